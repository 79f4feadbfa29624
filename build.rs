//! Embeds the shipped default model (models/default.refm) in the binary, so
//! `referee score` works without any setup wherever the binary is installed.

use std::{env, fs, path::PathBuf};

fn main() {
    let source = PathBuf::from("models/default.refm");
    println!("cargo:rerun-if-changed={}", source.display());
    let out =
        PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("default.refm");
    // A checkout without the model still builds; loading then says what is missing.
    let bytes = fs::read(&source).unwrap_or_default();
    fs::write(&out, bytes).expect("OUT_DIR is writable");
}

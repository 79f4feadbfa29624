//! Finding the model: `--model`, then `$REFEREE_MODEL` (both arrive through
//! clap), then the default model embedded at build time.

use std::path::Path;

use anyhow::{bail, Context};
use referee_train::Model;

/// The shipped default model, embedded by build.rs from models/default.refm.
static SHIPPED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default.refm"));

/// Loads the model at `path`, or the shipped default when none is given.
pub fn load_default_or(path: Option<&Path>) -> anyhow::Result<Model> {
    match path {
        Some(path) => {
            Model::load(path).with_context(|| format!("cannot load model {}", path.display()))
        }
        None => shipped(),
    }
}

/// The default model that ships inside the binary.
pub fn shipped() -> anyhow::Result<Model> {
    if SHIPPED.is_empty() {
        bail!("this build has no default model (models/default.refm was missing at build time); pass --model PATH");
    }
    Model::from_bytes(SHIPPED).context("the embedded default model is unreadable")
}

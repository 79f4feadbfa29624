//! The model being served, and swapping in a refitted one without a restart.
//!
//! [`ModelHandle`] holds the current [`Scorer`] behind an `ArcSwap`: a
//! request takes a snapshot ([`ModelHandle::current`]) and finishes on it
//! even if a newer model is swapped in meanwhile. A model file that fails to
//! load is refused and logged; the old model keeps serving.

use arc_swap::ArcSwap;
use axum::http::HeaderValue;
use referee_thread::Thread;
use referee_train::{CommentScore, ScoreOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::error::{Error, Result};

/// What the server needs from a model.
pub trait Scorer: Send + Sync + 'static {
    /// Scores every comment of `thread`, one result per comment, in order.
    fn score_thread(&self, thread: &Thread) -> Vec<CommentScore>;
    /// Like [`Scorer::score_thread`], for answers that carry no reasons:
    /// a scorer may leave them out and save computing their evidence.
    fn score_thread_without_reasons(&self, thread: &Thread) -> Vec<CommentScore> {
        self.score_thread(thread)
    }
    /// The model's version, sent with every response.
    fn version(&self) -> String;
    /// The checksum of the model file.
    fn checksum(&self) -> String;
    /// The model card.
    fn card(&self) -> serde_json::Value;
}

/// Loads a model file; the error message says why it was refused.
pub type Loader = Arc<dyn Fn(&Path) -> std::result::Result<Arc<dyn Scorer>, String> + Send + Sync>;

impl Scorer for referee_train::Model {
    fn score_thread(&self, thread: &Thread) -> Vec<CommentScore> {
        referee_train::Model::score_thread(self, thread, &ScoreOptions::default())
    }

    fn score_thread_without_reasons(&self, thread: &Thread) -> Vec<CommentScore> {
        let options = ScoreOptions {
            omit_reasons: true,
            ..ScoreOptions::default()
        };
        referee_train::Model::score_thread(self, thread, &options)
    }

    fn version(&self) -> String {
        referee_train::Model::version(self).to_string()
    }

    fn checksum(&self) -> String {
        referee_train::Model::checksum(self).to_string()
    }

    fn card(&self) -> serde_json::Value {
        serde_json::to_value(referee_train::Model::card(self)).unwrap_or_default()
    }
}

/// The loader of referee's own model files ([`referee_train::Model::load`]).
pub fn model_file_loader() -> Loader {
    Arc::new(|path: &Path| {
        referee_train::Model::load(path)
            .map(|m| Arc::new(m) as Arc<dyn Scorer>)
            .map_err(|e| e.to_string())
    })
}

/// A model snapshot: the scorer and its version, ready to put in a header.
pub struct Served {
    /// The scorer.
    pub scorer: Arc<dyn Scorer>,
    /// `scorer.version()`.
    pub version: String,
    /// `version` as a header value.
    pub header: HeaderValue,
}

impl Served {
    fn new(scorer: Arc<dyn Scorer>) -> Served {
        let version = scorer.version();
        let header = HeaderValue::from_str(&version)
            .unwrap_or_else(|_| HeaderValue::from_static("invalid-version"));
        Served {
            scorer,
            version,
            header,
        }
    }
}

/// What a reload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    /// The file did not change since the last look.
    Unchanged,
    /// A new model is serving; its version.
    Swapped(String),
    /// The file was refused; the old model keeps serving.
    Refused(String),
    /// The handle serves a fixed model with no file behind it.
    NoFile,
}

/// Size and modification time: what tells a rewritten file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

struct ModelFile {
    path: PathBuf,
    loader: Loader,
    seen: Mutex<Option<FileStamp>>,
}

/// The model being served.
pub struct ModelHandle {
    current: ArcSwap<Served>,
    file: Option<ModelFile>,
}

impl ModelHandle {
    /// Serves `scorer` for good (no file to watch).
    pub fn fixed(scorer: Arc<dyn Scorer>) -> ModelHandle {
        ModelHandle {
            current: ArcSwap::from_pointee(Served::new(scorer)),
            file: None,
        }
    }

    /// Loads the model at `path` with `loader`, and watches it for changes.
    pub fn from_file(path: impl Into<PathBuf>, loader: Loader) -> Result<ModelHandle> {
        let path = path.into();
        let stamp = FileStamp::of(&path);
        let scorer = loader(&path).map_err(|message| Error::Model {
            path: path.clone(),
            message,
        })?;
        Ok(ModelHandle {
            current: ArcSwap::from_pointee(Served::new(scorer)),
            file: Some(ModelFile {
                path,
                loader,
                seen: Mutex::new(stamp),
            }),
        })
    }

    /// The model serving now; keep it for the whole request.
    pub fn current(&self) -> Arc<Served> {
        self.current.load_full()
    }

    /// The watched model file, if any.
    pub fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(|f| f.path.as_path())
    }

    /// Reloads the model file if its size or modification time changed.
    pub fn reload_if_changed(&self) -> Reload {
        let Some(file) = &self.file else {
            return Reload::NoFile;
        };
        let stamp = FileStamp::of(&file.path);
        {
            let mut seen = file.seen.lock().unwrap_or_else(|e| e.into_inner());
            if *seen == stamp {
                return Reload::Unchanged;
            }
            // Remember the stamp whatever the outcome, so a refused file is
            // reported once, not every second.
            *seen = stamp;
        }
        if stamp.is_none() {
            let message = format!("{}: model file is missing", file.path.display());
            tracing::warn!(path = %file.path.display(), "model file is missing; keeping the current model");
            return Reload::Refused(message);
        }
        self.load(file)
    }

    /// Reloads the model file now (on SIGHUP).
    pub fn reload(&self) -> Reload {
        match &self.file {
            None => Reload::NoFile,
            Some(file) => {
                *file.seen.lock().unwrap_or_else(|e| e.into_inner()) = FileStamp::of(&file.path);
                self.load(file)
            }
        }
    }

    fn load(&self, file: &ModelFile) -> Reload {
        match (file.loader)(&file.path) {
            Ok(scorer) => {
                let served = Served::new(scorer);
                let version = served.version.clone();
                let old = self.current.swap(Arc::new(served));
                tracing::info!(path = %file.path.display(), from = %old.version, to = %version, "model reloaded");
                Reload::Swapped(version)
            }
            Err(message) => {
                tracing::error!(path = %file.path.display(), error = %message, "refused model file; keeping the current model");
                Reload::Refused(message)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(String);

    impl Scorer for Fixed {
        fn score_thread(&self, _: &Thread) -> Vec<CommentScore> {
            Vec::new()
        }
        fn version(&self) -> String {
            self.0.clone()
        }
        fn checksum(&self) -> String {
            String::new()
        }
        fn card(&self) -> serde_json::Value {
            serde_json::Value::Null
        }
    }

    fn text_loader() -> Loader {
        Arc::new(|path: &Path| {
            let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
            match text.strip_prefix("model ") {
                Some(v) => Ok(Arc::new(Fixed(v.trim().to_owned())) as Arc<dyn Scorer>),
                None => Err("not a model".to_owned()),
            }
        })
    }

    #[test]
    fn swaps_changed_files_and_refuses_corrupt_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m");
        std::fs::write(&path, "model v1").unwrap();
        let handle = ModelHandle::from_file(&path, text_loader()).unwrap();
        assert_eq!(handle.current().version, "v1");
        assert_eq!(handle.reload_if_changed(), Reload::Unchanged);

        let before = handle.current();
        std::fs::write(&path, "model v2 longer").unwrap();
        assert_eq!(
            handle.reload_if_changed(),
            Reload::Swapped("v2 longer".into())
        );
        // A snapshot taken before the swap still answers with the old model.
        assert_eq!(before.version, "v1");

        std::fs::write(&path, "garbage!").unwrap();
        assert!(matches!(handle.reload_if_changed(), Reload::Refused(_)));
        assert_eq!(handle.current().version, "v2 longer");
        // Reported once, not on every look.
        assert_eq!(handle.reload_if_changed(), Reload::Unchanged);

        std::fs::remove_file(&path).unwrap();
        assert!(matches!(handle.reload_if_changed(), Reload::Refused(_)));
        assert_eq!(handle.current().version, "v2 longer");
    }

    #[test]
    fn a_bad_first_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m");
        std::fs::write(&path, "nope").unwrap();
        let err = ModelHandle::from_file(&path, text_loader()).err().unwrap();
        assert!(err.to_string().contains("not a model"));
        assert!(err.to_string().contains(&path.display().to_string()));
    }
}

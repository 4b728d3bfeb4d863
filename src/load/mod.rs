//! Loading `data/`: finding the files, parsing TOML with positions, and reading records one at a time.

pub mod manifest;
pub mod paths;
pub mod record_files;
pub mod single;
pub mod source;
pub mod transcription;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use record_files::{RecordFile, RecordFiles};
pub use source::{SourceFile, SpannedDocument};
pub use transcription::{PrintedToken, Transcription};

/// The layout of a data directory.
#[derive(Debug, Clone)]
pub struct DataDir {
    pub root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataDir { root: root.into() }
    }

    pub fn dataset_path(&self) -> PathBuf {
        self.root.join("dataset.toml")
    }

    pub fn agents_path(&self) -> PathBuf {
        self.root.join("agents.toml")
    }

    pub fn compilations_dir(&self) -> PathBuf {
        self.root.join("compilations")
    }

    pub fn records_dir(&self) -> PathBuf {
        self.root.join("records")
    }

    /// Compilation description files (`data/compilations/*.toml`), sorted by name.
    pub fn compilation_files(&self) -> Result<Vec<PathBuf>> {
        let dir = self.compilations_dir();
        let mut files = Vec::new();
        // Links are reported by validation and never read (see `paths::oddities`).
        if paths::is_symlink(&dir) {
            return Ok(files);
        }
        for entry in read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if !paths::is_odd_type(entry.file_type()?)
                && path.extension().is_some_and(|e| e == "toml")
            {
                files.push(path);
            }
        }
        files.sort();
        Ok(files)
    }

    /// Every record file, sorted by file stem (the id), so that records stream in id order.
    ///
    /// Only paths are held, never the records: the pipeline then loads one record at a time.
    /// Anything else found under data/records/ (a file outside a kind folder, a nested folder,
    /// a file that is not `.toml`) is returned as stray, so that it is reported, not ignored.
    pub fn record_files(&self) -> Result<(RecordFiles, Vec<PathBuf>)> {
        let dir = self.records_dir();
        let mut files = RecordFiles::new(dir.clone());
        let mut stray = Vec::new();
        // Links (to files or folders) and special files are reported by validation, never read.
        if !dir.exists() || paths::is_symlink(&dir) {
            return Ok((files, stray));
        }
        for folder in read_dir(&dir)? {
            let folder = folder?;
            if paths::is_odd_type(folder.file_type()?) {
                continue;
            }
            if !folder.file_type()?.is_dir() {
                stray.push(folder.path());
                continue;
            }
            let folder_number = files.add_folder(&folder.file_name());
            for entry in read_dir(&folder.path())? {
                let entry = entry?;
                let path = entry.path();
                if paths::is_odd_type(entry.file_type()?) {
                    continue;
                }
                if entry.file_type()?.is_dir() || path.extension().is_none_or(|e| e != "toml") {
                    stray.push(path);
                } else if let Some(stem) = path.file_stem() {
                    files.push(folder_number, stem);
                }
            }
        }
        files.sort();
        stray.sort();
        Ok((files, stray))
    }
}

fn read_dir(dir: &Path) -> Result<std::fs::ReadDir> {
    std::fs::read_dir(dir).with_context(|| format!("cannot read the directory {}", dir.display()))
}

//! The list of record files under `data/records/<kind>/`, held compactly: it is the one list that
//! grows with the corpus and lives for the whole run.
//!
//! Every file name goes into one shared buffer, and each file is a small fixed-size entry (where
//! its name lies in the buffer, which folder holds it), instead of three strings per file: at a
//! million records that is ~45 MB instead of ~300 MB, and no small allocation per file stays
//! pinned between the short-lived ones made while checking records. A [`RecordFile`] with owned
//! strings and the full path is made on demand, for the few files being worked on.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// A record file found under `data/records/<kind>/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RecordFile {
    /// The file name without `.toml`: what the record's id must be.
    pub stem: String,
    /// The folder name: what the record's kind must be.
    pub folder: String,
    pub path: PathBuf,
}

/// Every record file, sorted by file name (the id the record must have), then folder.
#[derive(Debug, Clone, Default)]
pub struct RecordFiles {
    /// data/records/.
    dir: PathBuf,
    /// Kind folders: the name as shown (lossy UTF-8) and as on disk.
    folders: Vec<(String, OsString)>,
    /// Every file's stem (lossy UTF-8), one after another.
    names: String,
    entries: Vec<Entry>,
    /// The exact stems of the (rare, always faulty) file names that are not UTF-8, by where
    /// their lossy form starts in `names`.
    raw_names: BTreeMap<usize, OsString>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    start: usize,
    len: u32,
    folder: u32,
}

impl RecordFiles {
    pub(super) fn new(dir: PathBuf) -> RecordFiles {
        RecordFiles {
            dir,
            ..RecordFiles::default()
        }
    }

    /// Adds a kind folder; returns the number that [`RecordFiles::push`] takes.
    pub(super) fn add_folder(&mut self, name: &OsStr) -> u32 {
        self.folders
            .push((name.to_string_lossy().into_owned(), name.to_os_string()));
        u32::try_from(self.folders.len() - 1).unwrap_or(u32::MAX)
    }

    /// Adds the file `<stem>.toml` in folder `folder` (as numbered by `add_folder`).
    pub(super) fn push(&mut self, folder: u32, stem: &OsStr) {
        let start = self.names.len();
        let lossy = stem.to_string_lossy();
        if stem.to_str().is_none() {
            self.raw_names.insert(start, stem.to_os_string());
        }
        self.names.push_str(&lossy);
        self.entries.push(Entry {
            start,
            // A file name is at most a few hundred bytes on any file system.
            len: u32::try_from(lossy.len()).unwrap_or(u32::MAX),
            folder,
        });
    }

    /// Puts the files in id order: by stem, then folder name.
    pub(super) fn sort(&mut self) {
        let (names, folders) = (&self.names, &self.folders);
        let key = |e: &Entry| {
            (
                names.get(e.start..e.start + e.len as usize).unwrap_or(""),
                folders.get(e.folder as usize).map(|f| f.0.as_str()),
                e.start,
            )
        };
        self.entries.sort_unstable_by(|a, b| key(a).cmp(&key(b)));
        // Listing is done: the room the buffers grew into (up to twice their size) goes back.
        self.names.shrink_to_fit();
        self.entries.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The stem of the file at `at` (the id its record must have); empty past the end.
    pub fn stem(&self, at: usize) -> &str {
        self.entries
            .get(at)
            .and_then(|e| self.names.get(e.start..e.start + e.len as usize))
            .unwrap_or("")
    }

    /// Where the first file with this stem stands in the list.
    pub fn position(&self, stem: &str) -> Option<usize> {
        let at = self.entries.partition_point(|e| {
            self.names
                .get(e.start..e.start + e.len as usize)
                .is_some_and(|s| s < stem)
        });
        (at < self.len() && self.stem(at) == stem).then_some(at)
    }

    /// The file at `at`, with its path.
    pub fn get(&self, at: usize) -> Option<RecordFile> {
        let e = self.entries.get(at)?;
        let (folder, folder_on_disk) = self.folders.get(e.folder as usize)?;
        let stem = self.stem(at);
        let mut name = match self.raw_names.get(&e.start) {
            Some(raw) => raw.clone(),
            None => OsString::from(stem),
        };
        name.push(".toml");
        Some(RecordFile {
            stem: stem.to_string(),
            folder: folder.clone(),
            path: self.dir.join(folder_on_disk).join(name),
        })
    }

    /// Every file, in id order.
    pub fn iter(&self) -> impl Iterator<Item = RecordFile> + '_ {
        (0..self.len()).filter_map(|at| self.get(at))
    }

    /// The first file whose stem is `stem`.
    pub fn find(&self, stem: &str) -> Option<RecordFile> {
        self.position(stem).and_then(|at| self.get(at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_by_stem_then_folder_with_paths_rebuilt() {
        let mut files = RecordFiles::new(PathBuf::from("data/records"));
        let testimony = files.add_folder(OsStr::new("testimony"));
        let media = files.add_folder(OsStr::new("media_item"));
        files.push(testimony, OsStr::new("testimony-b"));
        files.push(media, OsStr::new("media-a"));
        files.push(testimony, OsStr::new("dup"));
        files.push(media, OsStr::new("dup"));
        files.sort();
        let listed: Vec<RecordFile> = files.iter().collect();
        let stems: Vec<(&str, &str)> = listed
            .iter()
            .map(|f| (f.stem.as_str(), f.folder.as_str()))
            .collect();
        assert_eq!(
            stems,
            [
                ("dup", "media_item"),
                ("dup", "testimony"),
                ("media-a", "media_item"),
                ("testimony-b", "testimony"),
            ]
        );
        assert_eq!(
            listed[3].path,
            PathBuf::from("data/records/testimony/testimony-b.toml")
        );
        assert_eq!(files.position("dup"), Some(0));
        assert_eq!(files.position("media-a"), Some(2));
        assert_eq!(files.position("media"), None);
        assert_eq!(files.position("zzz"), None);
        assert_eq!(
            files.find("testimony-b").map(|f| f.folder),
            Some("testimony".into())
        );
        assert_eq!(files.stem(9), "");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_name_that_is_not_utf8_keeps_its_exact_path() {
        use std::os::unix::ffi::OsStrExt;
        let mut files = RecordFiles::new(PathBuf::from("r"));
        let folder = files.add_folder(OsStr::new("testimony"));
        files.push(folder, OsStr::from_bytes(b"bad\xff"));
        files.sort();
        let file = files.get(0).expect("one file");
        assert_eq!(file.stem, "bad\u{fffd}");
        assert_eq!(
            file.path.as_os_str().as_bytes(),
            b"r/testimony/bad\xff.toml"
        );
    }
}

//! The files of a release outside its payload (metadata at the bag's root, the web view):
//! each stamped with the release moment and digested as it is written, so that SHA256SUMS and
//! the tag manifest take its digest from here instead of reading it back, and the stamping
//! pass skips it. A web view holds three files per record; reading each back twice, opening it
//! again to stamp it and again to sync it cost more than making it (10,000 records: 30,000
//! files, five opens each).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Result;
use sha2::{Digest, Sha256};

/// The tag files written so far, by their `/`-separated path under the bag.
pub struct TagFiles {
    root: PathBuf,
    moment: SystemTime,
    sha256: BTreeMap<String, String>,
    /// Folders made so far (a web view puts thousands of pages in one folder).
    made: std::collections::BTreeSet<PathBuf>,
    /// Folders whose files were written with `write_many` (stamped, digests not kept).
    many: std::collections::BTreeSet<String>,
}

impl TagFiles {
    /// Tag files under the bag at `root`, stamped with `moment`.
    pub fn new(root: &Path, moment: SystemTime) -> TagFiles {
        TagFiles {
            root: root.to_path_buf(),
            moment,
            sha256: BTreeMap::new(),
            made: Default::default(),
            many: Default::default(),
        }
    }

    /// Writes `bytes` to `rel` and stamps it, like `write`, but keeps no digest: for the files
    /// a release writes per record (millions at scale), whose digests are read back when the
    /// manifests are written rather than held in memory.
    pub fn write_many(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.create(rel)?;
        std::fs::File::create(&path)
            .and_then(|mut f| {
                f.write_all(bytes)
                    .and_then(|()| f.set_modified(self.moment))
            })
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        if let Some((dir, _)) = rel.rsplit_once('/')
            && !self.many.contains(dir)
        {
            self.many.insert(dir.to_string());
        }
        Ok(())
    }

    /// The path of `rel` under the bag, its folder made.
    fn create(&mut self, rel: &str) -> Result<PathBuf> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent()
            && !self.made.contains(dir)
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
            self.made.insert(dir.to_path_buf());
        }
        Ok(path)
    }

    /// Writes `bytes` to `rel` (a `/`-separated path under the bag), creating its folder.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.create(rel)?;
        let mut file = std::fs::File::create(&path)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        file.write_all(bytes)
            .and_then(|()| file.set_modified(self.moment))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        self.sha256.insert(
            rel.to_string(),
            base16ct::lower::encode_string(&Sha256::digest(bytes)),
        );
        Ok(())
    }

    /// Writes the file at `rel` through `fill`, digesting it on the way: for pages made a part
    /// at a time because they are too large to hold (a listing of a million records).
    pub fn write_streamed(
        &mut self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        let path = self.create(rel)?;
        let mut out = crate::export::output::DigestingFile::create(&path)?;
        fill(&mut out).map_err(|e| e.context(format!("cannot write {}", path.display())))?;
        let digest = out.finish()?;
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(self.moment))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        self.sha256.insert(rel.to_string(), digest.sha256);
        Ok(())
    }

    /// The sha256 (hex) of the tag file at `rel`, when it was written here.
    pub fn sha256(&self, rel: &str) -> Option<&str> {
        self.sha256.get(rel).map(String::as_str)
    }

    /// Whether the file at `rel` was written (and so stamped) here.
    pub fn wrote(&self, rel: &str) -> bool {
        self.sha256.contains_key(rel)
            || rel
                .rsplit_once('/')
                .is_some_and(|(dir, _)| self.many.contains(dir))
    }

    /// The sha256 (hex) of any file at `rel` under the bag: from when it was written here,
    /// else read (the bag's own tag files, written after these).
    pub fn sha256_or_read(&self, rel: &str) -> Result<String> {
        match self.sha256(rel) {
            Some(sum) => Ok(sum.to_string()),
            None => super::bagit::sha256_file(&self.root.join(rel)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_file_is_written_stamped_and_digested_once() {
        let root = tempfile::tempdir().expect("tempdir");
        let moment = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_764_633_600);
        let mut tags = TagFiles::new(root.path(), moment);
        tags.write("site/a/b.html", b"abc").expect("write");
        let path = root.path().join("site/a/b.html");
        assert_eq!(std::fs::read(&path).expect("read"), b"abc");
        assert_eq!(
            std::fs::metadata(&path)
                .expect("meta")
                .modified()
                .expect("mtime"),
            moment
        );
        assert_eq!(
            tags.sha256("site/a/b.html"),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(tags.sha256("site/other.html"), None);
    }
}

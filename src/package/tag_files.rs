//! The files of a release outside its payload (metadata at the bag's root, the web view):
//! each stamped with the release moment and digested as it is written, so that SHA256SUMS and
//! the tag manifest take its digest from here instead of reading it back, and the stamping
//! pass skips it. A web view holds three files per record; reading each back twice, opening it
//! again to stamp it and again to sync it cost more than making it (10,000 records: 30,000
//! files, five opens each).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Lines, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use super::spill::{Spill, rewound, temporary};

/// Bytes of digests held before a sorted run is spilled.
const SPILL_BYTES: usize = 8 << 20;

/// The tag files written so far, by their `/`-separated path under the bag.
pub struct TagFiles {
    root: PathBuf,
    moment: SystemTime,
    sha256: BTreeMap<String, String>,
    /// Folders made so far (a web view puts thousands of pages in one folder).
    made: std::collections::BTreeSet<PathBuf>,
    /// Folders whose files were written with `write_many` (stamped, digests spilled).
    many: std::collections::BTreeSet<String>,
    /// The digests of the files written with `write_many`, by path: spilled while they are
    /// written, then merged into `sorted` for the walks over the bag, which go in path order.
    many_digests: Option<Spill<String>>,
    sorted: Option<std::fs::File>,
    scratch: PathBuf,
}

impl TagFiles {
    /// Tag files under the bag at `root`, stamped with `moment`; digests of per-record files
    /// are spilled under `scratch`.
    pub fn new(root: &Path, moment: SystemTime, scratch: &Path) -> TagFiles {
        TagFiles {
            root: root.to_path_buf(),
            moment,
            sha256: BTreeMap::new(),
            made: Default::default(),
            many: Default::default(),
            many_digests: Some(Spill::new(scratch, SPILL_BYTES)),
            sorted: None,
            scratch: scratch.to_path_buf(),
        }
    }

    /// Writes `bytes` to `rel` and stamps it, like `write`, but spills its digest instead of
    /// holding it: for the files a release writes per record (millions at scale). The walks
    /// that write the manifests read the digests back in path order ([`TagFiles::digests`]).
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
        self.many_digests
            .as_mut()
            .context("internal error: a tag file written after the bag's manifests began")?
            .push(
                rel.to_string(),
                base16ct::lower::encode_string(&Sha256::digest(bytes)),
            )
    }

    /// Ends the writing of per-record files: their spilled digests are merged into one file
    /// in path order, which [`TagFiles::digests`] reads.
    pub fn finish_writing(&mut self) -> Result<()> {
        let Some(spill) = self.many_digests.take() else {
            return Ok(());
        };
        let mut sorted = spill.sorted()?;
        let mut out = temporary(&self.scratch)?;
        while let Some((rel, sha256)) = sorted.pop()? {
            serde_json::to_writer(&mut out, &(rel, sha256))?;
            out.write_all(b"\n")?;
        }
        self.sorted = Some(rewound(out)?);
        Ok(())
    }

    /// Every tag file's digest, for a walk over the bag in path order (`walk_files`): from
    /// when it was written, else read.
    pub fn digests(&self) -> Result<Digests<'_>> {
        let spilled = match &self.sorted {
            Some(file) => {
                let mut file = file.try_clone()?;
                file.rewind()?;
                Some(BufReader::new(file).lines())
            }
            None => None,
        };
        Ok(Digests {
            tags: self,
            spilled,
            next: None,
        })
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
}

/// The digests of the tag files, looked up in increasing path order.
pub struct Digests<'t> {
    tags: &'t TagFiles,
    spilled: Option<Lines<BufReader<std::fs::File>>>,
    /// The next spilled (path, digest) not yet passed.
    next: Option<(String, String)>,
}

impl Digests<'_> {
    /// The sha256 (hex) of any file at `rel` under the bag: from when it was written here,
    /// else read (the bag's own tag files, written after these). Paths must come in
    /// increasing order.
    pub fn sha256_or_read(&mut self, rel: &str) -> Result<String> {
        if let Some(sum) = self.tags.sha256(rel) {
            return Ok(sum.to_string());
        }
        loop {
            if self.next.is_none() {
                self.next = match self.spilled.as_mut().and_then(Iterator::next) {
                    Some(line) => Some(
                        serde_json::from_str(&line.context("cannot read a temporary file")?)
                            .context("a temporary file holds a malformed line")?,
                    ),
                    None => break,
                };
            }
            match self.next.as_ref().map(|(path, _)| path.as_str().cmp(rel)) {
                Some(std::cmp::Ordering::Less) => self.next = None,
                Some(std::cmp::Ordering::Equal) => {
                    if let Some((_, sum)) = self.next.take() {
                        return Ok(sum);
                    }
                }
                _ => break,
            }
        }
        super::bagit::sha256_file(&self.tags.root.join(rel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_file_is_written_stamped_and_digested_once() {
        let root = tempfile::tempdir().expect("tempdir");
        let moment = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_764_633_600);
        let mut tags = TagFiles::new(root.path(), moment, root.path());
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

    /// Digests of per-record files written in any order are found in path order, and a file
    /// written otherwise is read.
    #[test]
    fn spilled_digests_are_read_back_in_path_order() {
        let root = tempfile::tempdir().expect("tempdir");
        let moment = SystemTime::UNIX_EPOCH;
        let mut tags = TagFiles::new(root.path(), moment, root.path());
        let names = [
            "site/r/b.html",
            "site/r/a-x.html",
            "site/r/a.html",
            "site/c/z.json",
        ];
        for n in names {
            tags.write_many(n, n.as_bytes()).expect("write");
        }
        tags.write("site/index.html", b"index").expect("write");
        std::fs::write(root.path().join("site/r/late.txt"), b"late").expect("write");
        tags.finish_writing().expect("finish");
        let mut expected: Vec<&str> = names.to_vec();
        expected.extend(["site/index.html", "site/r/late.txt"]);
        expected.sort_unstable();
        let mut digests = tags.digests().expect("digests");
        for rel in expected {
            let bytes = std::fs::read(root.path().join(rel)).expect("read");
            assert_eq!(
                digests.sha256_or_read(rel).expect("digest"),
                base16ct::lower::encode_string(&Sha256::digest(&bytes)),
                "{rel}"
            );
        }
    }
}

//! Release files digested as they are written: each byte is hashed (SHA-256 and SHA-512) on its
//! way to disk, so the bag's manifests and checksums never read a file back.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use sha2::{Digest, Sha256, Sha512};

/// Hex SHA-256 and SHA-512 of one file, and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDigest {
    pub sha256: String,
    pub sha512: String,
    pub bytes: u64,
}

impl FileDigest {
    /// The digest of bytes held in memory.
    pub fn of(bytes: &[u8]) -> FileDigest {
        FileDigest {
            sha256: base16ct::lower::encode_string(&Sha256::digest(bytes)),
            sha512: base16ct::lower::encode_string(&Sha512::digest(bytes)),
            bytes: bytes.len() as u64,
        }
    }
}

/// The digests of the files a stage wrote, by path relative to the folder it wrote into
/// (`/`-separated), in sorted order.
pub type Digests = BTreeMap<String, FileDigest>;

/// A new file, buffered, whose bytes are digested as they are accepted.
pub struct DigestingFile {
    path: PathBuf,
    writer: BufWriter<File>,
    sha256: Sha256,
    sha512: Sha512,
    bytes: u64,
}

impl DigestingFile {
    /// Creates (or truncates) `path`.
    pub fn create(path: &Path) -> Result<DigestingFile> {
        let file = File::create(path)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
        Ok(DigestingFile {
            path: path.to_path_buf(),
            writer: BufWriter::with_capacity(1 << 16, file),
            sha256: Sha256::new(),
            sha512: Sha512::new(),
            bytes: 0,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the file and returns the digest of everything written to it.
    pub fn finish(mut self) -> Result<FileDigest> {
        self.writer
            .flush()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", self.path.display()))?;
        Ok(FileDigest {
            sha256: base16ct::lower::encode_string(&self.sha256.finalize()),
            sha512: base16ct::lower::encode_string(&self.sha512.finalize()),
            bytes: self.bytes,
        })
    }
}

impl Write for DigestingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.writer.write(buf)?;
        // Only the bytes the file accepted; a short write is retried with the rest.
        let accepted = buf.get(..n).unwrap_or_default();
        self.sha256.update(accepted);
        self.sha512.update(accepted);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// Writes `bytes` to `path` whole and returns their digest.
pub fn write_digested(path: &Path, bytes: &[u8]) -> Result<FileDigest> {
    std::fs::write(path, bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(FileDigest::of(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_while_writing_is_the_digest_of_the_file_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.bin");
        let mut f = DigestingFile::create(&path).unwrap();
        for i in 0..100_000u32 {
            f.write_all(&i.to_le_bytes()).unwrap();
        }
        let d = f.finish().unwrap();
        let back = std::fs::read(&path).unwrap();
        assert_eq!(d, FileDigest::of(&back));
        assert_eq!(d.bytes, 400_000);
    }
}

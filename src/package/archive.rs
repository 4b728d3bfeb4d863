//! Byte-reproducible `.tar.gz` and `.zip` archives of a release bag.
//!
//! Members are sorted, with a fixed mtime (the release epoch), owner 0/0, mode 0644 (0755 for
//! directories), and the gzip header carries no timestamp or file name: the same bag always
//! gives the same archive bytes.
//!
//! Archives are built in memory and then written in one go: a disk-full or other I/O error is
//! then reported once, naming the file, instead of surfacing from inside the archive writers
//! (the zip writer prints a Debug dump of its state to stderr when dropped after an error).

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use flate2::{Compression, GzBuilder};

use super::release::list_files;

/// Which archives of the bag a release writes (besides the bag directory itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Archives {
    pub tar_gz: bool,
    pub zip: bool,
}

impl Archives {
    /// Both archives: what a release writes unless told otherwise.
    pub const ALL: Archives = Archives {
        tar_gz: true,
        zip: true,
    };

    /// Reads `none`, `tar.gz`, `zip` or `all`.
    pub fn parse(s: &str) -> Option<Archives> {
        let (tar_gz, zip) = match s {
            "none" => (false, false),
            "tar.gz" => (true, false),
            "zip" => (false, true),
            "all" => (true, true),
            _ => return None,
        };
        Some(Archives { tar_gz, zip })
    }

    /// The file name suffixes of the archives to write, in the order they are written.
    pub fn suffixes(self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.tar_gz {
            v.push("tar.gz");
        }
        if self.zip {
            v.push("zip");
        }
        v
    }
}

/// Writes `<dir>` as a gzip-compressed tar to `dest`, members under `<prefix>/`.
pub fn write_tar_gz(dir: &Path, prefix: &str, epoch: i64, dest: &Path) -> Result<()> {
    // GzBuilder without filename or mtime: the header's MTIME field stays 0.
    let gz = GzBuilder::new().write(Vec::new(), Compression::best());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    let mtime = epoch.max(0) as u64;

    let files = list_files(dir)?;
    let mut dirs: Vec<String> = vec![String::new()];
    for f in &files {
        let mut acc = String::new();
        for part in f.split('/').collect::<Vec<_>>().iter().rev().skip(1).rev() {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
            if !dirs.contains(&acc) {
                dirs.push(acc.clone());
            }
        }
    }
    dirs.sort();
    for d in &dirs {
        let name = if d.is_empty() {
            format!("{prefix}/")
        } else {
            format!("{prefix}/{d}/")
        };
        let mut h = header(tar::EntryType::Directory, 0o755, mtime, 0);
        tar.append_data(&mut h, name, std::io::empty())?;
    }
    for f in &files {
        let bytes = read(&dir.join(f))?;
        let mut h = header(tar::EntryType::Regular, 0o644, mtime, bytes.len() as u64);
        tar.append_data(&mut h, format!("{prefix}/{f}"), bytes.as_slice())?;
    }
    let gz = tar.into_inner()?;
    write_file(dest, &gz.finish()?)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
}

/// Writes a finished archive, synced to disk, with an error that names the file.
fn write_file(dest: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::File::create(dest)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", dest.display()))
}

fn header(kind: tar::EntryType, mode: u32, mtime: u64, size: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_mtime(mtime);
    h.set_uid(0);
    h.set_gid(0);
    h.set_size(size);
    h
}

/// Writes `<dir>` as a zip to `dest`, members under `<prefix>/`.
pub fn write_zip(dir: &Path, prefix: &str, epoch: i64, dest: &Path) -> Result<()> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stamp = zip_time(epoch)?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    for f in list_files(dir)? {
        zip.start_file(format!("{prefix}/{f}"), options)?;
        zip.write_all(&read(&dir.join(&f))?)?;
    }
    write_file(dest, &zip.finish()?.into_inner())
}

/// The zip (MS-DOS) timestamp of the release epoch, clamped to the range zip can hold.
fn zip_time(epoch: i64) -> Result<zip::DateTime> {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = crate::model::edtf::ymd_from_days(days as i32);
    let y = y.clamp(1980, 2107) as u16;
    zip::DateTime::from_date_and_time(
        y,
        m as u8,
        d as u8,
        (secs / 3600) as u8,
        ((secs % 3600) / 60) as u8,
        (secs % 60) as u8,
    )
    .map_err(|e| anyhow::anyhow!("cannot express the release date in a zip archive: {e}"))
}

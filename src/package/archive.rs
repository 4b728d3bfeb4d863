//! Byte-reproducible `.tar.gz` and `.zip` archives of a release bag.
//!
//! Members are sorted, with a fixed mtime (the release epoch), owner 0/0, mode 0644 (0755 for
//! directories), and the gzip header carries no timestamp or file name: the same bag always
//! gives the same archive bytes.
//!
//! Archives are streamed: each member is copied from its file into the archive file, so memory
//! does not grow with the size of the release. Every error names the archive file; a member
//! of 4 GiB or more is written with ZIP64 fields (and only such a member, so that the archives of
//! smaller releases keep their bytes).

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

    /// The archives `data/dataset.toml` asks for (both when it says nothing).
    pub fn from_setting(setting: Option<&[crate::model::dataset::ArchiveFormat]>) -> Archives {
        use crate::model::dataset::ArchiveFormat;
        match setting {
            None => Archives::ALL,
            Some(formats) => Archives {
                tar_gz: formats.contains(&ArchiveFormat::TarGz),
                zip: formats.contains(&ArchiveFormat::Zip),
            },
        }
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
    let file = create(dest)?;
    let gz = GzBuilder::new().write(std::io::BufWriter::new(file), Compression::best());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    let mtime = u64::try_from(epoch.max(0)).unwrap_or(0);

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
        tar.append_data(&mut h, name, std::io::empty())
            .map_err(|e| write_error(dest, e))?;
    }
    for f in &files {
        let (member, size) = open(&dir.join(f))?;
        let mut h = header(tar::EntryType::Regular, 0o644, mtime, size);
        tar.append_data(&mut h, format!("{prefix}/{f}"), member)
            .map_err(|e| write_error(dest, e))?;
    }
    let finished = tar
        .into_inner()
        .and_then(|gz| gz.finish())
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()));
    finished
        .and_then(|f| f.sync_all())
        .map_err(|e| write_error(dest, e))
}

/// Opens a member to copy, with its size.
fn open(path: &Path) -> Result<(std::fs::File, u64)> {
    std::fs::File::open(path)
        .and_then(|f| f.metadata().map(|m| (f, m.len())))
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
}

fn create(dest: &Path) -> Result<std::fs::File> {
    std::fs::File::create(dest).map_err(|e| write_error(dest, e))
}

/// A failure to write an archive, naming it and the I/O cause.
fn write_error(dest: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("cannot write {}: {e}", dest.display())
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
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(create(dest)?));
    let stamp = zip_time(epoch)?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    for f in list_files(dir)? {
        let (mut member, size) = open(&dir.join(&f))?;
        // ZIP64 only where a member needs it: smaller members keep the plain headers.
        let options = options.large_file(size >= ZIP64_FROM);
        zip.start_file(format!("{prefix}/{f}"), options)
            .map_err(|e| write_error(dest, e))?;
        copy_in_chunks(&mut member, &mut zip, &dir.join(&f), dest)?;
    }
    let file = zip
        .finish()
        .map_err(|e| write_error(dest, e))?
        .into_inner()
        .map_err(|e| write_error(dest, e.into_error()))?;
    file.sync_all().map_err(|e| write_error(dest, e))
}

/// The zip writer's deflate output depends on how its input is cut into writes, so members are
/// written in chunks of a fixed size (a smaller member in one write): the same bytes always give
/// the same archive, and memory holds one chunk at most.
const ZIP_CHUNK: u64 = 4 * 1024 * 1024;

fn copy_in_chunks(
    member: &mut std::fs::File,
    zip: &mut impl std::io::Write,
    path: &Path,
    dest: &Path,
) -> Result<()> {
    use std::io::Read;
    let mut chunk = Vec::new();
    loop {
        chunk.clear();
        let n = member
            .by_ref()
            .take(ZIP_CHUNK)
            .read_to_end(&mut chunk)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        if n == 0 {
            return Ok(());
        }
        zip.write_all(&chunk).map_err(|e| write_error(dest, e))?;
    }
}

/// Members from this size on need ZIP64 sizes (the plain fields hold less than 4 GiB).
const ZIP64_FROM: u64 = 0xFFFF_FFFF;

/// The zip (MS-DOS) timestamp of the release epoch, clamped to the range zip can hold.
fn zip_time(epoch: i64) -> Result<zip::DateTime> {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    // The epoch is checked to lie in 1970..=9999 before a release starts; zip holds 1980-2107.
    let days = i32::try_from(days).unwrap_or(0);
    let (y, m, d) = crate::model::edtf::ymd_from_days(days);
    let small = |v: i64| u8::try_from(v).unwrap_or(0);
    zip::DateTime::from_date_and_time(
        u16::try_from(y.clamp(1980, 2107)).unwrap_or(1980),
        u8::try_from(m).unwrap_or(1),
        u8::try_from(d).unwrap_or(1),
        small(secs / 3600),
        small((secs % 3600) / 60),
        small(secs % 60),
    )
    .map_err(|e| anyhow::anyhow!("cannot express the release date in a zip archive: {e}"))
}

//! Byte-reproducible `.tar.gz` and `.zip` archives of a release bag.
//!
//! Members are sorted, with a fixed mtime (the release epoch), owner 0/0, mode 0644 (0755 for
//! directories), and the gzip header carries no timestamp or file name: the same bag always
//! gives the same archive bytes.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use flate2::{Compression, GzBuilder};

use super::release::list_files;

/// Writes `<dir>` as a gzip-compressed tar to `dest`, members under `<prefix>/`.
pub fn write_tar_gz(dir: &Path, prefix: &str, epoch: i64, dest: &Path) -> Result<()> {
    let file =
        std::fs::File::create(dest).with_context(|| format!("cannot create {}", dest.display()))?;
    // GzBuilder without filename or mtime: the header's MTIME field stays 0.
    let gz = GzBuilder::new().write(file, Compression::best());
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
        let bytes = std::fs::read(dir.join(f))?;
        let mut h = header(tar::EntryType::Regular, 0o644, mtime, bytes.len() as u64);
        tar.append_data(&mut h, format!("{prefix}/{f}"), bytes.as_slice())?;
    }
    let gz = tar.into_inner()?;
    gz.finish()?.sync_all()?;
    Ok(())
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
    let file =
        std::fs::File::create(dest).with_context(|| format!("cannot create {}", dest.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let stamp = zip_time(epoch)?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    for f in list_files(dir)? {
        zip.start_file(format!("{prefix}/{f}"), options)?;
        zip.write_all(&std::fs::read(dir.join(&f))?)?;
    }
    zip.finish()?.sync_all()?;
    Ok(())
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

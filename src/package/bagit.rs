//! BagIt (RFC 8493): writing the bag's tag files, and verifying a bag against its manifests.
//!
//! The payload is everything under `data/`; every other file at the bag's root is a tag file.
//! We write bags ourselves rather than with bagit.py, which stamps today's date and its own
//! version into every bag it creates (our bags must be byte-reproducible).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256, Sha512};

use super::release::walk_files;
use super::tag_files::TagFiles;
use crate::load::paths::{self, RelPath, Uncontained};

/// What bag-info.txt says about the bag, in the order written.
pub struct BagInfo {
    pub fields: Vec<(&'static str, String)>,
}

pub use crate::export::output::FileDigest;

/// Reads the file at `path` through, handing each chunk to `each`; returns its size.
fn read_through(path: &Path, mut each: impl FnMut(&[u8])) -> Result<u64> {
    let mut f =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = f
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            return Ok(bytes);
        }
        each(buf.get(..n).unwrap_or_default());
        bytes += n as u64;
    }
}

/// The sha256 (hex) of the file at `path`.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut s256 = Sha256::new();
    read_through(path, |chunk| s256.update(chunk))?;
    Ok(base16ct::lower::encode_string(&s256.finalize()))
}

pub fn digest_file(path: &Path) -> Result<FileDigest> {
    let mut s256 = Sha256::new();
    let mut s512 = Sha512::new();
    let bytes = read_through(path, |chunk| {
        s256.update(chunk);
        s512.update(chunk);
    })?;
    Ok(FileDigest {
        sha256: base16ct::lower::encode_string(&s256.finalize()),
        sha512: base16ct::lower::encode_string(&s512.finalize()),
        bytes,
    })
}

/// Writes bagit.txt, the payload manifests, bag-info.txt (with Payload-Oxum) and the tag
/// manifest into `root`, whose payload is complete under `root/data/` and already digested
/// (`payload`: paths relative to `data/`, in sorted order), so it is not read again.
pub fn write_bag(
    root: &Path,
    info: &BagInfo,
    payload: &BTreeMap<String, FileDigest>,
    tags: &TagFiles,
) -> Result<()> {
    write(
        &root.join("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )?;

    let mut m256 = String::new();
    let mut m512 = String::new();
    let (mut octets, mut count) = (0u64, 0u64);
    for (rel, d) in payload {
        m256.push_str(&format!("{}  data/{}\n", d.sha256, encode_path(rel)));
        m512.push_str(&format!("{}  data/{}\n", d.sha512, encode_path(rel)));
        octets += d.bytes;
        count += 1;
    }
    write(&root.join("manifest-sha256.txt"), m256)?;
    write(&root.join("manifest-sha512.txt"), m512)?;

    let mut bag_info = String::new();
    for (label, value) in &info.fields {
        bag_info.push_str(&format!("{label}: {}\n", one_line(value)));
    }
    bag_info.push_str(&format!("Payload-Oxum: {octets}.{count}\n"));
    write(&root.join("bag-info.txt"), bag_info)?;

    // Every tag file (all files outside data/ except the tag manifests themselves); those
    // written through `tags` were digested then.
    // Written as the tree is walked: a release of millions of records has millions of tag files.
    let path = root.join("tagmanifest-sha256.txt");
    let file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let mut manifest = std::io::BufWriter::new(file);
    let mut digests = tags.digests()?;
    walk_files(root, |rel| {
        if rel.starts_with("data/") || rel.starts_with("tagmanifest-") {
            return Ok(());
        }
        let sum = digests.sha256_or_read(rel)?;
        std::io::Write::write_all(
            &mut manifest,
            format!("{sum}  {}\n", encode_path(rel)).as_bytes(),
        )
        .with_context(|| format!("cannot write {}", path.display()))
    })?;
    std::io::Write::flush(&mut manifest)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// RFC 8493 §2.1.3: CR, LF and % in a manifest path are percent-encoded.
fn encode_path(p: &str) -> String {
    p.replace('%', "%25")
        .replace('\n', "%0A")
        .replace('\r', "%0D")
}

/// `std::fs::write` with an error that names the file.
fn write(path: &Path, content: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, content)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

fn decode_path(p: &str) -> String {
    p.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%25", "%")
}

/// bag-info values are written on one line: a value's own line breaks become spaces.
fn one_line(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One way a bag fails verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagProblem {
    /// The file concerned, relative to the bag's root.
    pub file: String,
    pub message: String,
}

/// Checks a bag: bagit.txt, every payload and tag manifest (every listed file exists with that
/// checksum; every payload file is listed), and Payload-Oxum. Returns every problem found.
pub fn verify(root: &Path) -> Result<Vec<BagProblem>> {
    let mut problems = Vec::new();
    let problem = |file: &str, message: String| BagProblem {
        file: file.to_string(),
        message,
    };
    if !root.is_dir() {
        anyhow::bail!("{} is not a directory", root.display());
    }
    // Links could make the check read (and vouch for) files outside the bag: each is named,
    // and none is followed. Special files (FIFOs, devices) would block or read a device.
    let odd = paths::oddities(root)?;
    for link in &odd.symlinks {
        let target = std::fs::read_link(link)
            .map(|t| format!(" (to {})", t.display().to_string().escape_debug()))
            .unwrap_or_default();
        problems.push(problem(
            &relative(root, link),
            format!("is a symbolic link{target}; a bag holds only regular files, and links are not followed"),
        ));
    }
    for special in &odd.special {
        problems.push(problem(
            &relative(root, special),
            "is not a regular file (a FIFO, socket or device); it is not read".into(),
        ));
    }
    match read_tag_file(root, "bagit.txt") {
        Ok(s) if s.starts_with("BagIt-Version: ") => {}
        Ok(_) => problems.push(problem(
            "bagit.txt",
            "does not start with `BagIt-Version: `".into(),
        )),
        Err(_) => problems.push(problem(
            "bagit.txt",
            "is missing: this is not a BagIt bag".into(),
        )),
    }

    let mut manifests: Vec<String> = regular_files(root)?
        .into_iter()
        .filter(|f| {
            !f.contains('/')
                && (f.starts_with("manifest-") || f.starts_with("tagmanifest-"))
                && f.ends_with(".txt")
        })
        .collect();
    manifests.sort();
    if !manifests.iter().any(|m| m.starts_with("manifest-")) {
        problems.push(problem(
            "manifest-sha256.txt",
            "no payload manifest (manifest-<algorithm>.txt) found".into(),
        ));
    }

    let payload: Vec<String> =
        if std::fs::symlink_metadata(root.join("data")).is_ok_and(|m| m.is_dir()) {
            regular_files(&root.join("data"))?
                .into_iter()
                .map(|f| format!("data/{f}"))
                .collect()
        } else {
            problems.push(problem("data/", "the payload directory is missing".into()));
            Vec::new()
        };

    let mut digests: BTreeMap<String, FileDigest> = BTreeMap::new();
    for manifest in &manifests {
        let algorithm = manifest
            .trim_end_matches(".txt")
            .rsplit('-')
            .next()
            .unwrap_or_default()
            .to_string();
        if algorithm != "sha256" && algorithm != "sha512" {
            problems.push(problem(
                manifest,
                format!(
                    "algorithm `{algorithm}` is not supported; only sha256 and sha512 are checked"
                ),
            ));
            continue;
        }
        let text = read_tag_file(root, manifest)
            .with_context(|| format!("cannot read {}", root.join(manifest).display()))?;
        let mut listed = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let Some((sum, path)) = line.split_once(char::is_whitespace) else {
                problems.push(problem(
                    manifest,
                    format!("line {}: expected `<checksum>  <path>`", n + 1),
                ));
                continue;
            };
            let path = decode_path(path.trim_start());
            // A listed path must name a regular file inside the bag, reached without links.
            let rel = match RelPath::parse(&path) {
                Ok(rel) => rel,
                Err(why) => {
                    problems.push(problem(
                        manifest,
                        format!("line {}: the path `{}` is refused: {why}; manifest paths are relative to the bag and stay inside it", n + 1, path.escape_debug()),
                    ));
                    continue;
                }
            };
            listed.push(path.clone());
            let file = match paths::check_parts(root, rel.parts()) {
                Ok(file) => file,
                // Reported once above, with the link's target.
                Err(Uncontained::Symlink(_)) => continue,
                Err(Uncontained::NotAFile(_)) => {
                    problems.push(problem(
                        &path,
                        format!("is listed in {manifest} but is not a regular file"),
                    ));
                    continue;
                }
                Err(_) => {
                    problems.push(problem(
                        &path,
                        format!("is listed in {manifest} but missing from the bag"),
                    ));
                    continue;
                }
            };
            if !digests.contains_key(&path) {
                digests.insert(path.clone(), digest_file(&file)?);
            }
            let Some(d) = digests.get(&path) else {
                continue;
            };
            let actual = if algorithm == "sha256" {
                &d.sha256
            } else {
                &d.sha512
            };
            if !actual.eq_ignore_ascii_case(sum) {
                problems.push(problem(
                    &path,
                    format!("{algorithm} checksum does not match {manifest} (expected {sum}, found {actual})"),
                ));
            }
        }
        if manifest.starts_with("manifest-") {
            for f in &payload {
                if !listed.contains(f) {
                    problems.push(problem(
                        f,
                        format!("is in the payload but not listed in {manifest}"),
                    ));
                }
            }
        }
    }

    if let Ok(info) = read_tag_file(root, "bag-info.txt")
        && let Some(oxum) = info
            .lines()
            .find_map(|l| l.strip_prefix("Payload-Oxum:"))
            .map(str::trim)
    {
        let mut octets = 0u64;
        for f in &payload {
            octets += std::fs::metadata(root.join(f))?.len();
        }
        let actual = format!("{octets}.{}", payload.len());
        if oxum != actual {
            problems.push(problem(
                "bag-info.txt",
                format!("Payload-Oxum is {oxum} but the payload holds {actual} (octets.files)"),
            ));
        }
    }
    Ok(problems)
}

/// Reads a tag file at the bag's root, refusing links (they are reported as such).
fn read_tag_file(root: &Path, name: &str) -> std::io::Result<String> {
    let Some(bytes) = paths::read_regular(&root.join(name))? else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    };
    // The words `read_to_string` uses for the same fault.
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// Relative paths (with `/`) of the regular files under `root`, sorted; links and special
/// files are skipped (`paths::oddities` reports them), so nothing outside `root` is listed.
fn regular_files(root: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let entry = entry?;
            let ty = entry.file_type()?;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if ty.is_dir() {
                walk(&entry.path(), &format!("{name}/"), out)?;
            } else if ty.is_file() {
                out.push(name);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, "", &mut out)?;
    out.sort();
    Ok(out)
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

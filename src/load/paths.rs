//! Paths read from data files, checked to stay inside their root: relative, no `..`, no links.
//!
//! A path written in a data file (a compilation's `transcription`) or in a bag's manifest is
//! input like any other: `/etc/passwd`, `../../x` or a symbolic link must not make the tool read
//! or write outside the folder the path is relative to.

use std::fmt;
use std::path::{Component, Path, PathBuf};

/// A relative path made only of plain names (no root, no `.` or `..`, no empty parts), checked
/// by [`RelPath::parse`]; joining it to a directory cannot leave that directory lexically.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RelPath {
    parts: Vec<String>,
}

/// Why a written path is not a plain relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    Empty,
    Absolute,
    Parent,
    Dot,
    EmptyPart,
    /// Backslashes, NUL and other control characters: a separator on Windows, or invisible.
    BadChar(char),
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Empty => f.write_str("the path is empty"),
            PathError::Absolute => f.write_str("the path is absolute"),
            PathError::Parent => f.write_str("the path climbs out with `..`"),
            PathError::Dot => f.write_str("the path has a `.` part"),
            PathError::EmptyPart => {
                f.write_str("the path has an empty part (`//` or a trailing `/`)")
            }
            PathError::BadChar(c) => write!(f, "the path contains the character {c:?}"),
        }
    }
}

impl RelPath {
    /// Checks a path written with `/` separators.
    pub fn parse(s: &str) -> Result<RelPath, PathError> {
        if s.is_empty() {
            return Err(PathError::Empty);
        }
        // `C:x` and `\\server` are roots on Windows; a leading `/` is one everywhere.
        if s.starts_with('/') || Path::new(s).has_root() || is_drive_prefixed(s) {
            return Err(PathError::Absolute);
        }
        if let Some(c) = s.chars().find(|c| *c == '\\' || c.is_control()) {
            return Err(PathError::BadChar(c));
        }
        let mut parts = Vec::new();
        for part in s.split('/') {
            match part {
                "" => return Err(PathError::EmptyPart),
                "." => return Err(PathError::Dot),
                ".." => return Err(PathError::Parent),
                p => parts.push(p.to_string()),
            }
        }
        // What the platform makes of it must agree: only plain names.
        if Path::new(s)
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(PathError::Absolute);
        }
        Ok(RelPath { parts })
    }

    /// The path under `root` (lexically inside it: every part is a plain name).
    pub fn under(&self, root: &Path) -> PathBuf {
        let mut p = root.to_path_buf();
        p.extend(&self.parts);
        p
    }

    /// The parts, outermost first.
    pub fn parts(&self) -> &[String] {
        &self.parts
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.parts.join("/"))
    }
}

fn is_drive_prefixed(s: &str) -> bool {
    matches!(s.as_bytes(), [d, b':', ..] if d.is_ascii_alphabetic())
}

/// Why a contained path cannot be read.
#[derive(Debug)]
pub enum Uncontained {
    /// The path as written is not a plain relative path.
    Syntax(PathError),
    /// A part of it (this one, under the root) is a symbolic link.
    Symlink(PathBuf),
    /// A folder on the way is not a folder, or the file is not a regular file.
    NotAFile(PathBuf),
    /// Missing or unreadable.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for Uncontained {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Uncontained::Syntax(e) => e.fmt(f),
            Uncontained::Symlink(p) => match std::fs::read_link(p) {
                Ok(to) => write!(
                    f,
                    "{} is a symbolic link (to {})",
                    p.display(),
                    to.display().to_string().escape_debug()
                ),
                Err(_) => write!(f, "{} is a symbolic link", p.display()),
            },
            Uncontained::NotAFile(p) => write!(f, "{} is not a regular file", p.display()),
            Uncontained::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
        }
    }
}

/// Resolves `written` under `root` without following any link: every folder on the way must be
/// a real folder and the last part a regular file. The root itself may be a link (the user
/// chose it); nothing below it may be.
pub fn contained_file(root: &Path, written: &str) -> Result<(RelPath, PathBuf), Uncontained> {
    let rel = RelPath::parse(written).map_err(Uncontained::Syntax)?;
    let path = check_parts(root, rel.parts())?;
    Ok((rel, path))
}

/// Checks each part of `parts` under `root` with `symlink_metadata` (which does not follow
/// links); returns the full path when it ends in a regular file.
pub fn check_parts(root: &Path, parts: &[String]) -> Result<PathBuf, Uncontained> {
    let mut path = root.to_path_buf();
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let meta =
            std::fs::symlink_metadata(&path).map_err(|e| Uncontained::Io(path.clone(), e))?;
        if meta.file_type().is_symlink() {
            return Err(Uncontained::Symlink(path));
        }
        let ok = if i == last {
            meta.is_file()
        } else {
            meta.is_dir()
        };
        if !ok {
            return Err(Uncontained::NotAFile(path));
        }
    }
    Ok(path)
}

/// Whether `path` itself is a symbolic link (not followed).
pub fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The bytes of the file at `path` (a data file, a bag's tag file); `None` when it is a link or
/// a special file (FIFO, socket, device), which is never opened: reading one could block, read
/// a device, or leave the folder it is in. Its size, from the same look at the path that rules
/// links out, sizes the buffer, so a file costs one `lstat`, an `open` and two `read`s (the
/// `lstat` and `std::fs::read`'s `fstat` were two of the six system calls per record file).
pub fn read_regular(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let meta = std::fs::symlink_metadata(path)?;
    if is_odd_type(meta.file_type()) {
        return Ok(None);
    }
    let size = usize::try_from(meta.len()).unwrap_or(0);
    read_to_end_sized(&mut open_regular(path)?, size).map(Some)
}

/// Reads `file` to its end, expecting `size` bytes: one read for them and one that finds the
/// end (a file that changed size meanwhile is still read whole). `File::read_to_end` would ask
/// for the size again, and `Read::read_to_end` without it reads in 8 KiB steps.
fn read_to_end_sized(file: &mut std::fs::File, size: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    // One byte of room beyond the size, for the read that returns 0 at the end. The size is
    // the file's word: the buffer grows from at most 64 MiB as bytes come, and memory that
    // cannot be had is an error (a huge or sparse file), never an abort.
    grow(&mut bytes, size.saturating_add(1).min(1 << 26))?;
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            grow(&mut bytes, filled.max(1 << 13))?;
        }
        let Some(room) = bytes.get_mut(filled..) else {
            break;
        };
        match file.read(room) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Adds `more` zeroed bytes to `bytes`, or fails with `OutOfMemory`.
fn grow(bytes: &mut Vec<u8>, more: usize) -> std::io::Result<()> {
    bytes
        .try_reserve_exact(more)
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::OutOfMemory))?;
    bytes.resize(bytes.len() + more, 0);
    Ok(())
}

/// Opens a file found to be regular. On Linux the open itself refuses a link and does not wait
/// on a FIFO, in case the path was swapped between the look and the open.
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY;
        // open(2) takes the flags as a C int: the same bits.
        options.custom_flags(flags.bits().cast_signed());
    }
    options.open(path)
}

/// Neither a real folder nor a regular file.
pub fn is_odd_type(t: std::fs::FileType) -> bool {
    !t.is_dir() && !t.is_file()
}

/// What a walk of a tree found that is neither a folder nor a regular file.
#[derive(Debug, Default)]
pub struct Oddities {
    /// Symbolic links (to files or folders); their targets are not visited.
    pub symlinks: Vec<PathBuf>,
    /// FIFOs, sockets, devices: reading one could block or read a device.
    pub special: Vec<PathBuf>,
}

/// Walks `root` without following links and lists every link and special file under it.
/// A folder that cannot be read is named in the error, whichever folder of the tree it is.
pub fn oddities(root: &Path) -> anyhow::Result<Oddities> {
    fn walk(dir: &Path, out: &mut Oddities) -> anyhow::Result<()> {
        let cannot =
            |e: std::io::Error| anyhow::anyhow!("cannot read the folder {}: {e}", dir.display());
        for entry in std::fs::read_dir(dir).map_err(cannot)? {
            let entry = entry.map_err(cannot)?;
            let ty = entry.file_type().map_err(cannot)?;
            let path = entry.path();
            if ty.is_symlink() {
                out.symlinks.push(path);
            } else if ty.is_dir() {
                walk(&path, out)?;
            } else if !ty.is_file() {
                out.special.push(path);
            }
        }
        Ok(())
    }
    let mut out = Oddities::default();
    walk(root, &mut out)?;
    out.symlinks.sort();
    out.special.sort();
    Ok(out)
}

/// `path` made absolute and free of `.`/`..` and links as far as it exists; the part that does
/// not exist yet is appended lexically (it cannot hold links). Used to compare two paths that
/// may not exist yet, e.g. `--out` against `--data`.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Find the longest existing prefix, canonicalise it, then add the rest lexically.
    let comps: Vec<Component<'_>> = abs.components().collect();
    let mut split = comps.len();
    let mut base = loop {
        let prefix: PathBuf = comps.iter().take(split).collect();
        match std::fs::canonicalize(&prefix) {
            Ok(p) => break p,
            Err(_) if split > 1 => split -= 1,
            Err(e) => return Err(e),
        }
    };
    for c in comps.iter().skip(split) {
        match c {
            Component::ParentDir => {
                base.pop();
            }
            Component::Normal(n) => base.push(n),
            _ => {}
        }
    }
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_cannot_be_read_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("records").join("media_item");
        let e = oddities(&missing).expect_err("no such folder");
        assert!(
            e.to_string().contains(&missing.display().to_string()),
            "{e}"
        );
    }

    #[test]
    fn plain_relative_paths_pass() {
        assert_eq!(
            RelPath::parse("a.txt").map(|p| p.to_string()),
            Ok("a.txt".into())
        );
        assert_eq!(RelPath::parse("sub/a.txt").map(|p| p.parts().len()), Ok(2));
    }

    #[test]
    fn escapes_are_refused() {
        for (s, e) in [
            ("", PathError::Empty),
            ("/etc/passwd", PathError::Absolute),
            ("C:x", PathError::Absolute),
            ("../x", PathError::Parent),
            ("a/../../x", PathError::Parent),
            ("./x", PathError::Dot),
            ("a//b", PathError::EmptyPart),
            ("a/", PathError::EmptyPart),
            ("a\\..\\b", PathError::BadChar('\\')),
            ("a\0b", PathError::BadChar('\0')),
        ] {
            assert_eq!(RelPath::parse(s), Err(e), "{s:?}");
        }
    }

    #[test]
    fn resolve_handles_paths_that_do_not_exist() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        let r = resolve(&dir.path().join("a/b/../c")).expect("resolve");
        assert_eq!(r, root.join("a/c"));
    }

    #[test]
    fn regular_files_are_read_whole_and_links_and_fifos_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        // Empty, smaller than a read step, and several steps long.
        for len in [0usize, 10, 100_000] {
            let path = dir.path().join(format!("f{len}"));
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(read_regular(&path).unwrap(), Some(bytes));
        }
        // A file that grows after its size was taken is still read to its end.
        let grown = dir.path().join("grown");
        std::fs::write(&grown, b"abc").unwrap();
        let mut file = open_regular(&grown).unwrap();
        std::fs::write(&grown, b"abcdefgh").unwrap();
        assert_eq!(read_to_end_sized(&mut file, 3).unwrap(), b"abcdefgh");

        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(dir.path().join("f10"), &link).unwrap();
            assert_eq!(read_regular(&link).unwrap(), None);
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .is_ok_and(|s| s.success());
            if made {
                // Opening a FIFO for reading would wait for a writer: it is never opened.
                assert_eq!(read_regular(&fifo).unwrap(), None);
            }
        }
        assert!(read_regular(&dir.path().join("missing")).is_err());
    }
}

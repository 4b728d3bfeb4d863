//! All-or-nothing output: everything is written into a locked temporary sibling of the output
//! directory, synced to disk, and renamed into place only when complete.
//!
//! A failed or refused run leaves the output exactly as before (and does not create it); a run
//! killed midway leaves only a `.khojaly-partial-…` folder, which the next run removes once no
//! live process holds its lock. Names placed by a run can be rolled back when a later step (such
//! as recording the version manifest) fails.

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

/// Every temporary folder or file of ours starts with this, so leftovers can be found.
pub const PARTIAL_PREFIX: &str = ".khojaly-partial-";

/// The lock file inside a staging folder: held exclusively while the run lives (the OS drops
/// the lock when the process dies, even by `kill -9`).
const LOCK_FILE: &str = ".lock";

/// A non-empty staging folder without a lock file is not ours to judge quickly (our runs lock
/// before writing): it is removed only once it is this old.
const UNLOCKED_GRACE: Duration = Duration::from_secs(600);

/// A staged write that failed, and what became of its output.
#[derive(Debug)]
pub enum Failure {
    /// Nothing reached the output: it is exactly as it was.
    NothingWritten(anyhow::Error),
    /// The message itself says what became of the output (taken back, or left midway because
    /// undoing failed): callers add nothing to it.
    Settled(anyhow::Error),
}

impl Failure {
    /// The error as a caller reports it: "nothing was written to `out`" added when that is so.
    pub fn into_error(self, out: &Path) -> anyhow::Error {
        match self {
            Failure::NothingWritten(e) => e.context(format!(
                "the release failed; nothing was written to {}",
                out.display()
            )),
            Failure::Settled(e) => e,
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::NothingWritten(e)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::NothingWritten(e) | Failure::Settled(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for Failure {}

/// A temporary tree that becomes (part of) `out` on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    dir: Option<tempfile::TempDir>,
    _lock: File,
    tree: PathBuf,
    out: PathBuf,
    out_existed: bool,
    /// Folders above `out` created for it, outermost first; removed again if nothing is placed.
    created_ancestors: Vec<PathBuf>,
}

/// What a commit put in place, so it can be taken back.
#[derive(Debug)]
pub struct Placed {
    /// `out` itself, when this run created it (then it holds only what this run wrote).
    created_out: Option<PathBuf>,
    /// Entries moved into an `out` that existed before, with where the file they replaced
    /// was set aside (restored by a rollback).
    entries: Vec<(PathBuf, Option<PathBuf>)>,
    /// Folders made inside an existing `out` for the entries.
    created_dirs: Vec<PathBuf>,
    created_ancestors: Vec<PathBuf>,
    /// The staging folder, kept until the rollback is no longer possible (it holds the
    /// replaced files).
    _staging: Option<Staging>,
}

impl Staging {
    /// Prepares to write `out`: removes leftovers of killed runs, creates a locked staging
    /// folder inside `out` (when it exists, so renames stay on its file system) or beside it.
    /// `label` names the staging folder, for whoever finds one.
    pub fn begin(out: &Path, label: &str) -> Result<Staging> {
        let out_existed = match std::fs::metadata(out) {
            Ok(m) if m.is_dir() => true,
            Ok(_) => anyhow::bail!("{} exists and is not a folder", out.display()),
            // A dangling link would be replaced by the rename: refuse rather than remove it.
            Err(e) if e.kind() == ErrorKind::NotFound && std::fs::symlink_metadata(out).is_ok() => {
                anyhow::bail!(
                    "{} is a link to nothing; remove it or choose another output",
                    out.display()
                )
            }
            Err(e) if e.kind() == ErrorKind::NotFound => false,
            Err(e) => anyhow::bail!("cannot use {}: {e}", out.display()),
        };
        let out_name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let (parent, prefix, created_ancestors) = if out_existed {
            remove_leftovers(out, PARTIAL_PREFIX);
            (
                out.to_path_buf(),
                format!("{PARTIAL_PREFIX}{label}-"),
                Vec::new(),
            )
        } else {
            let parent = match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let created = create_ancestors(&parent)?;
            let prefix = format!("{PARTIAL_PREFIX}{out_name}-");
            remove_leftovers(&parent, &prefix);
            (parent, prefix, created)
        };
        let (dir, lock) = match locked_dir(&parent, &prefix) {
            Ok(d) => d,
            Err(e) => {
                remove_created(&created_ancestors);
                return Err(e);
            }
        };
        let staging = Staging {
            tree: dir.path().join("tree"),
            dir: Some(dir),
            _lock: lock,
            out: out.to_path_buf(),
            out_existed,
            created_ancestors,
        };
        // On failure, dropping `staging` removes what was made so far.
        std::fs::create_dir(&staging.tree)
            .with_context(|| format!("cannot create {}", staging.tree.display()))?;
        Ok(staging)
    }

    /// A folder for working files that are never placed in `out` (beside `tree`, removed with
    /// the staging folder, on the same file system).
    pub fn scratch(&self) -> &Path {
        self.tree.parent().unwrap_or(&self.tree)
    }

    /// The folder to write into; its content mirrors what goes into `out`.
    pub fn tree(&self) -> &Path {
        &self.tree
    }

    /// Syncs the staged tree to disk, then moves `entries` (paths relative to the tree) into
    /// `out`: the whole tree at once when `out` did not exist, else entry by entry, replacing
    /// a file of the same name (callers decide beforehand what may be replaced).
    pub fn commit(mut self, entries: &[String]) -> Result<Placed, Failure> {
        sync_tree(&self.tree)?;
        let mut placed = Placed {
            created_out: None,
            entries: Vec::new(),
            created_dirs: Vec::new(),
            created_ancestors: Vec::new(),
            _staging: None,
        };
        if !self.out_existed {
            // On failure, dropping `self` removes the staging and the folders made for `out`.
            std::fs::rename(&self.tree, &self.out).with_context(|| {
                format!(
                    "cannot move the finished output into place at {}",
                    self.out.display()
                )
            })?;
            placed.created_out = Some(self.out.clone());
            placed.created_ancestors = std::mem::take(&mut self.created_ancestors);
            sync_dir(self.out.parent().unwrap_or(Path::new(".")));
        } else {
            let replaced = self.tree.with_file_name("replaced");
            for (n, rel) in entries.iter().enumerate() {
                let from = self.tree.join(rel);
                let to = self.out.join(rel);
                let aside = replaced.join(n.to_string());
                let moved =
                    ensure_real_dirs(&self.out, rel, &mut placed.created_dirs).and_then(|()| {
                        // A file being replaced is set aside first, so a rollback can put it back.
                        let set_aside = match std::fs::symlink_metadata(&to) {
                            Ok(m) if m.is_file() => {
                                std::fs::create_dir_all(&replaced)
                                    .and_then(|()| std::fs::rename(&to, &aside))
                                    .with_context(|| format!("cannot replace {}", to.display()))?;
                                Some(aside)
                            }
                            _ => None,
                        };
                        let result = std::fs::rename(&from, &to)
                            .with_context(|| format!("cannot move {} into place", to.display()));
                        placed.entries.push((to.clone(), set_aside));
                        result
                    });
                if let Err(e) = moved {
                    // Take back what this run placed so far: all or nothing.
                    let undo = placed.rollback();
                    return Err(match undo {
                        Ok(()) => Failure::NothingWritten(e),
                        Err(u) => Failure::Settled(e.context(format!(
                            "placing the output in {} failed midway, and undoing it failed ({u:#})",
                            self.out.display()
                        ))),
                    });
                }
                if let Some(p) = to.parent() {
                    sync_dir(p);
                }
            }
        }
        placed._staging = Some(self);
        Ok(placed)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let _ = dir.close();
        }
        remove_created(&self.created_ancestors);
    }
}

impl Placed {
    /// Removes what the commit placed (and `out` and its folders when this run created them).
    pub fn rollback(&mut self) -> Result<()> {
        let mut failed = Vec::new();
        for (p, aside) in self.entries.drain(..).rev() {
            let removed = match std::fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(&p),
                Ok(_) => std::fs::remove_file(&p),
                Err(_) => Ok(()),
            };
            let restored = removed.and_then(|()| match &aside {
                Some(a) => std::fs::rename(a, &p),
                None => Ok(()),
            });
            if let Err(e) = restored {
                failed.push(format!("{}: {e}", p.display()));
            }
        }
        remove_created(&self.created_dirs);
        self.created_dirs.clear();
        if let Some(out) = self.created_out.take()
            && let Err(e) = std::fs::remove_dir_all(&out)
        {
            failed.push(format!("{}: {e}", out.display()));
        }
        // The staging folder (it held the replaced files) goes before the folders above `out`.
        self._staging = None;
        remove_created(&self.created_ancestors);
        self.created_ancestors.clear();
        if failed.is_empty() {
            Ok(())
        } else {
            anyhow::bail!("cannot remove {}", failed.join("; "))
        }
    }
}

/// Creates the missing folders of `dir`, returning those created (outermost first).
fn create_ancestors(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut p = dir.to_path_buf();
    while !p.as_os_str().is_empty() && std::fs::symlink_metadata(&p).is_err() {
        missing.push(p.clone());
        if !p.pop() {
            break;
        }
    }
    missing.reverse();
    let mut created = Vec::new();
    for d in missing {
        if let Err(e) = std::fs::create_dir(&d) {
            remove_created(&created);
            anyhow::bail!("cannot create {}: {e}", d.display());
        }
        created.push(d);
    }
    Ok(created)
}

/// Removes folders this run created, innermost first, as long as they are empty.
fn remove_created(created: &[PathBuf]) {
    for d in created.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
}

/// Makes sure every folder on the way to `rel` inside `root` is a real folder (creating the
/// missing ones, recorded in `created`): moving a file through a link would write outside
/// `root`.
fn ensure_real_dirs(root: &Path, rel: &str, created: &mut Vec<PathBuf>) -> Result<()> {
    let parts: Vec<&str> = rel.split('/').collect();
    let mut p = root.to_path_buf();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        p.push(part);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => anyhow::bail!(
                "{} is not a folder (a file or a link); nothing was written into it",
                p.display()
            ),
            Err(_) => {
                std::fs::create_dir(&p)
                    .with_context(|| format!("cannot create {}", p.display()))?;
                created.push(p.clone());
            }
        }
    }
    Ok(())
}

/// Removes staging folders (and files) named `prefix…` in `dir` that no live run holds.
/// Best effort: what cannot be removed now is tried again next time.
fn remove_leftovers(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(prefix) {
            continue;
        }
        let Ok(ty) = entry.file_type() else { continue };
        let path = entry.path();
        if ty.is_dir() {
            match File::open(path.join(LOCK_FILE)) {
                Ok(lock) => {
                    if lock.try_lock().is_ok() {
                        let _ = std::fs::remove_dir_all(&path);
                    }
                }
                // No lock file: a run killed right after creating the folder leaves it empty
                // (`remove_dir` removes only an empty folder, atomically; a live run in that
                // instant makes a new one, see `locked_dir`); anything else only when old.
                Err(_) => {
                    if std::fs::remove_dir(&path).is_err() && is_old(&path) {
                        let _ = std::fs::remove_dir_all(&path);
                    }
                }
            }
        } else if ty.is_file() && is_abandoned(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// A new staging folder `prefix…` in `parent` with its lock file created and locked.
///
/// Between creating the folder and its lock file, another run's cleanup may take the folder
/// for the empty leftover of a killed run and remove it; then a new one is made.
fn locked_dir(parent: &Path, prefix: &str) -> Result<(tempfile::TempDir, File)> {
    let mut attempts = 0;
    loop {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(parent)
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot create a temporary folder in {}: {e}",
                    parent.display()
                )
            })?;
        // The lock file appears under its name only once locked (a rename keeps the lock), so
        // a cleanup never finds it unlocked while this run lives.
        let tmp = dir.path().join(".lock.tmp");
        let locked = File::create(&tmp)
            .and_then(|f| f.lock().map(|()| f))
            .and_then(|f| std::fs::rename(&tmp, dir.path().join(LOCK_FILE)).map(|()| f));
        match locked {
            Ok(lock) => return Ok((dir, lock)),
            Err(e) if e.kind() == ErrorKind::NotFound && attempts < 3 => attempts += 1,
            Err(e) => anyhow::bail!("cannot lock {}: {e}", dir.path().display()),
        }
    }
}

/// Whether a temporary file (which is its own lock) is abandoned: unlocked, and either written
/// to (a live run locks it before writing) or old (a run that died before locking it).
fn is_abandoned(file: &Path) -> bool {
    File::open(file).is_ok_and(|f| {
        f.try_lock().is_ok() && (f.metadata().is_ok_and(|m| m.len() > 0) || is_old(file))
    })
}

fn is_old(entry: &Path) -> bool {
    std::fs::symlink_metadata(entry)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > UNLOCKED_GRACE)
}

/// Writes the file at `path` atomically, its content written by `fill` (which may stream it
/// from elsewhere): a locked temporary file beside it, synced, renamed.
pub fn write_file_atomically_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    remove_leftovers(dir, PARTIAL_PREFIX);
    let mut tmp = tempfile::Builder::new()
        .prefix(PARTIAL_PREFIX)
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.as_file()
        .lock()
        .with_context(|| format!("cannot lock {}", tmp.path().display()))?;
    let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
    fill(&mut buffered)
        .and_then(|()| buffered.flush())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    drop(buffered);
    tmp.as_file()
        .sync_all()
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error))?;
    sync_dir(dir);
    Ok(())
}

/// Everything under `root` on disk, so a rename never publishes data that is still only in
/// memory. On Linux one syncfs(2) of `root`'s file system (which also writes out whatever else
/// is waiting there); elsewhere, or where it fails, an fsync of every file and folder.
pub fn sync_tree(root: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    if File::open(root).is_ok_and(|dir| rustix::fs::syncfs(&dir).is_ok()) {
        return Ok(());
    }
    sync_each(root)
}

/// fsync of every file and folder under `root`.
fn sync_each(root: &Path) -> Result<()> {
    for entry in
        std::fs::read_dir(root).with_context(|| format!("cannot read {}", root.display()))?
    {
        let entry = entry?;
        let path = entry.path();
        let ty = entry.file_type()?;
        if ty.is_dir() {
            sync_each(&path)?;
        } else if ty.is_file() {
            File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        }
    }
    sync_dir(root);
    Ok(())
}

/// fsync of a folder (its entries); not every platform or file system can, so best effort.
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_staging_leaves_nothing_not_even_the_folders_above_out() {
        let root = tempfile::tempdir().expect("tempdir");
        let out = root.path().join("a/b/out");
        {
            let s = Staging::begin(&out, "x").expect("begin");
            std::fs::write(s.tree().join("f"), "x").expect("write");
        }
        assert_eq!(std::fs::read_dir(root.path()).expect("read").count(), 0);
    }

    #[test]
    fn a_commit_into_a_new_out_creates_it_and_a_rollback_removes_it() {
        let root = tempfile::tempdir().expect("tempdir");
        let out = root.path().join("a/out");
        let s = Staging::begin(&out, "x").expect("begin");
        std::fs::write(s.tree().join("f"), "x").expect("write");
        let mut placed = s.commit(&["f".into()]).expect("commit");
        assert_eq!(std::fs::read(out.join("f")).expect("read"), b"x");
        placed.rollback().expect("rollback");
        assert_eq!(std::fs::read_dir(root.path()).expect("read").count(), 0);
    }

    #[test]
    fn a_rollback_in_an_existing_out_restores_replaced_files_and_removes_new_folders() {
        let out = tempfile::tempdir().expect("tempdir");
        std::fs::write(out.path().join("a.json"), "old").expect("write");
        std::fs::write(out.path().join("keep"), "mine").expect("write");
        let before = std::fs::read_dir(out.path()).expect("read").count();
        let s = Staging::begin(out.path(), "x").expect("begin");
        std::fs::create_dir(s.tree().join("sub")).expect("mkdir");
        std::fs::write(s.tree().join("a.json"), "new").expect("write");
        std::fs::write(s.tree().join("sub/b.json"), "new").expect("write");
        let mut placed = s
            .commit(&["a.json".into(), "sub/b.json".into()])
            .expect("commit");
        assert_eq!(
            std::fs::read(out.path().join("a.json")).expect("read"),
            b"new"
        );
        assert_eq!(
            std::fs::read(out.path().join("sub/b.json")).expect("read"),
            b"new"
        );
        placed.rollback().expect("rollback");
        drop(placed);
        assert_eq!(
            std::fs::read(out.path().join("a.json")).expect("read"),
            b"old"
        );
        assert!(!out.path().join("sub").exists());
        assert_eq!(std::fs::read_dir(out.path()).expect("read").count(), before);
    }

    #[test]
    fn an_empty_leftover_is_removed_and_a_young_unlocked_one_with_content_kept() {
        let out = tempfile::tempdir().expect("tempdir");
        let empty = out.path().join(format!("{PARTIAL_PREFIX}x-empty"));
        std::fs::create_dir(&empty).expect("mkdir");
        // A run between creating its lock file and renaming it into place.
        let starting = out.path().join(format!("{PARTIAL_PREFIX}x-starting"));
        std::fs::create_dir(&starting).expect("mkdir");
        std::fs::write(starting.join(".lock.tmp"), "").expect("write");
        drop(Staging::begin(out.path(), "y").expect("begin"));
        assert!(!empty.exists());
        assert!(starting.exists());
    }

    #[test]
    fn leftovers_without_a_live_lock_are_removed_and_others_kept() {
        let out = tempfile::tempdir().expect("tempdir");
        let dead = out.path().join(format!("{PARTIAL_PREFIX}x-dead"));
        std::fs::create_dir_all(dead.join("tree")).expect("mkdir");
        std::fs::write(dead.join(LOCK_FILE), "").expect("lock file");
        let live = Staging::begin(out.path(), "live").expect("begin");
        let other = out.path().join("keep.txt");
        std::fs::write(&other, "mine").expect("write");
        // A second run removes the dead one, keeps the live one and everything else.
        let second = Staging::begin(out.path(), "second").expect("begin");
        assert!(!dead.exists());
        assert!(live.tree().exists());
        assert!(other.exists());
        drop(second);
        drop(live);
        let names: Vec<_> = std::fs::read_dir(out.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("keep.txt")]);
    }
}

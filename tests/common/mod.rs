//! Helpers shared by the integration tests: the binary, fixture data directories, file trees.

#![allow(dead_code)] // each test crate uses its own subset

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root (where Cargo.toml, data/ and schema/ are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `khojaly` binary, run from the repository root with a fixed release date.
pub fn khojaly() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_khojaly"));
    cmd.current_dir(repo())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    cmd
}

/// Copies a directory tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A temporary data directory: tests/fixtures/base with the broken case laid over it.
///
/// A case is a directory mirroring the data layout; its files replace or add to the base's,
/// and a `DELETE` file lists base paths (one per line) to remove.
pub fn fixture_data(case: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = repo().join("tests/fixtures");
    copy_tree(&fixtures.join("base"), dir.path());
    if let Some(case) = case {
        copy_tree(&fixtures.join("broken").join(case), dir.path());
        let delete = dir.path().join("DELETE");
        if delete.exists() {
            let list = std::fs::read_to_string(&delete).expect("read DELETE");
            for rel in list.lines().filter(|l| !l.trim().is_empty()) {
                std::fs::remove_file(dir.path().join(rel.trim())).expect("delete listed file");
            }
            std::fs::remove_file(delete).expect("remove DELETE");
        }
    }
    dir
}

/// Every file under `root` with its bytes, keyed by relative path.
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .expect("inside root")
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(&path).expect("read file"));
        }
    }
}

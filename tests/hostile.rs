//! Hostile input and faults (issue 12): the tool never destroys, never writes outside its
//! output, leaves no partial output, and never panics. Each case runs on a copy of the data in a
//! temporary sandbox and asserts the exit code, the message (with file and location where there
//! is one) and that nothing outside the output changed (a listing of the sandbox with every
//! file's SHA-256 and every link's target, before and after).

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::prelude::*;
use common::{copy_tree, khojaly, repo};
use predicates::prelude::*;
use sha2::{Digest, Sha256};

/// A temporary folder holding `data/` (a copy of the fixture data) and room for outputs.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_tree(
            &repo().join("tests/fixtures/base"),
            &dir.path().join("data"),
        );
        Sandbox { dir }
    }

    /// The bundled data instead of the fixture (bigger: a release takes long enough to be
    /// interrupted).
    fn bundled() -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_tree(&repo().join("data"), &dir.path().join("data"));
        Sandbox { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn data(&self) -> PathBuf {
        self.root().join("data")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn write(&self, rel: &str, content: &str) {
        let p = self.path(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        std::fs::write(p, content).expect("write");
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.path(rel);
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(p, text.replace(from, to)).expect("write");
    }

    fn snapshot(&self) -> BTreeMap<String, String> {
        snapshot(self.root())
    }
}

/// Every entry under `root` (not following links): folders, links with their targets, files
/// with their SHA-256.
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let entry = entry.expect("entry");
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            let ty = entry.file_type().expect("file type");
            if ty.is_symlink() {
                let to = std::fs::read_link(&path).expect("read link");
                out.insert(rel, format!("link {}", to.display()));
            } else if ty.is_dir() {
                out.insert(rel.clone(), "dir".into());
                walk(root, &path, out);
            } else if ty.is_file() {
                let bytes = std::fs::read(&path).expect("read file");
                out.insert(rel, base16(&Sha256::digest(&bytes)));
            } else {
                out.insert(rel, "special".into());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn base16(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// The binary as a std `Command` (for redirecting stdout to a file), set up as `khojaly()`.
fn std_khojaly() -> StdCommand {
    let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_khojaly"));
    cmd.current_dir(repo())
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    cmd
}

fn no_panic(a: &assert_cmd::assert::Assert) {
    let err = stderr_of(a);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(a.get_output().status.code(), Some(101), "{err}");
}

fn release(s: &Sandbox, out: &Path) -> assert_cmd::assert::Assert {
    khojaly()
        .args(["release", "--data"])
        .arg(s.data())
        .arg("--out")
        .arg(out)
        .assert()
}

fn validate(s: &Sandbox) -> assert_cmd::assert::Assert {
    khojaly()
        .args(["validate", "--data"])
        .arg(s.data())
        .assert()
}

/// Makes a folder unwritable for the duration of a test. As root, permissions do not stop
/// writes, so the immutable attribute is used (when the file system allows it).
struct ReadOnly(PathBuf, bool);

impl ReadOnly {
    fn new(path: &Path) -> Option<ReadOnly> {
        let root = StdCommand::new("id")
            .arg("-u")
            .output()
            .map(|o| o.stdout == b"0\n")
            .unwrap_or(false);
        if root {
            let ok = StdCommand::new("chattr")
                .arg("+i")
                .arg(path)
                .status()
                .is_ok_and(|s| s.success());
            ok.then(|| ReadOnly(path.to_path_buf(), true))
        } else {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o555)).ok()?;
            Some(ReadOnly(path.to_path_buf(), false))
        }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.1 {
            let _ = StdCommand::new("chattr").arg("-i").arg(&self.0).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
}

fn partial_dirs(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".khojaly-partial-"))
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Destroy: nothing the tool did not create is deleted or overwritten.

#[test]
fn destroy_schema_out_keeps_every_file_it_did_not_write() {
    let s = Sandbox::new();
    let out = s.path("checkout");
    s.write("checkout/README.md", "mine\n");
    s.write("checkout/.git/HEAD", "ref: refs/heads/main\n");
    s.write("checkout/src/main.rs", "fn main() {}\n");
    s.write("checkout/old.schema.json", "{}\n");
    let before = snapshot(&out);
    let a = khojaly()
        .args(["schema", "--out"])
        .arg(&out)
        .assert()
        .success();
    no_panic(&a);
    let err = stderr_of(&a);
    assert!(
        err.contains("old.schema.json is not generated by this version"),
        "{err}"
    );
    let after = snapshot(&out);
    for (path, hash) in &before {
        assert_eq!(after.get(path), Some(hash), "{path} was changed or removed");
    }
    assert!(after.contains_key("media_item.schema.json"));
    assert!(after.contains_key("tables/records.schema.json"));
    assert!(partial_dirs(&out).is_empty());
    // The check names the leftover schema, not the checkout's other files.
    let a = khojaly()
        .args(["schema", "--check", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let err = stderr_of(&a);
    assert!(err.contains("old.schema.json is not generated"), "{err}");
    assert!(!err.contains("README.md") && !err.contains("HEAD"), "{err}");
    assert!(
        !err.contains("out of date") && !err.contains("missing"),
        "{err}"
    );
}

#[test]
fn destroy_schema_out_dot_in_a_checkout_deletes_nothing() {
    let s = Sandbox::new();
    s.write("work/Cargo.toml", "[package]\n");
    s.write("work/.git/config", "[core]\n");
    let before = snapshot(&s.path("work"));
    khojaly()
        .current_dir(s.path("work"))
        .args(["schema", "--out", "."])
        .assert()
        .success();
    let after = snapshot(&s.path("work"));
    for (path, hash) in &before {
        assert_eq!(after.get(path), Some(hash), "{path} was changed or removed");
    }
    assert!(after.contains_key("agents.schema.json"));
}

#[test]
fn destroy_schema_out_rewrites_only_stale_files_of_its_own() {
    let s = Sandbox::new();
    let out = s.path("schema");
    copy_tree(&repo().join("schema"), &out);
    std::fs::write(out.join("media_item.schema.json"), "{}\n").expect("write");
    khojaly()
        .args(["schema", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote 1 schema files"));
    assert_eq!(snapshot(&out), snapshot(&repo().join("schema")));
}

#[test]
fn write_outside_schema_out_does_not_follow_a_linked_tables_folder() {
    let s = Sandbox::new();
    let out = s.path("schema");
    std::fs::create_dir_all(&out).expect("mkdir");
    s.write("elsewhere/keep.txt", "x");
    std::os::unix::fs::symlink(s.path("elsewhere"), out.join("tables")).expect("symlink");
    let before = snapshot(&s.path("elsewhere"));
    let a = khojaly()
        .args(["schema", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    no_panic(&a);
    assert!(
        stderr_of(&a).contains("tables is not a folder"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(snapshot(&s.path("elsewhere")), before);
}

#[test]
fn destroy_an_absolute_transcription_path_is_refused_and_the_file_left_alone() {
    let s = Sandbox::new();
    s.write("victim.txt", "precious\n");
    let victim = s.path("victim.txt");
    s.edit(
        "data/compilations/sample.toml",
        "transcription = \"sample.txt\"",
        &format!("transcription = \"{}\"", victim.display()),
    );
    let before = s.snapshot();
    let a = validate(&s).code(1);
    no_panic(&a);
    let err = stderr_of(&a);
    assert!(err.contains("compilations/sample.toml:6:17"), "{err}");
    assert!(err.contains("the path is absolute"), "{err}");
    assert!(err.contains("[transcription-path]"), "{err}");
    let out = s.path("dist");
    release(&s, &out)
        .code(1)
        .stderr(predicate::str::contains("nothing was written"));
    assert!(!out.exists());
    assert_eq!(s.snapshot(), before);
    assert_eq!(std::fs::read(&victim).expect("victim"), b"precious\n");
}

#[test]
fn destroy_a_refused_release_leaves_an_existing_out_exactly_as_it_was() {
    let s = Sandbox::new();
    let out = s.path("dist");
    release(&s, &out).success();
    s.write("dist/notes.txt", "mine");
    s.edit(
        "data/records/media_item/media-1992-02-28-washington-post-victims-buried.toml",
        "place = \"Washington DC\"",
        "place = \"Washington\"",
    );
    let before = s.snapshot();
    release(&s, &out)
        .code(1)
        .stderr(predicate::str::contains("already published"));
    assert_eq!(s.snapshot(), before);
}

#[test]
fn panic_a_link_loop_in_an_existing_release_is_a_difference_not_a_hang() {
    let s = Sandbox::new();
    let out = s.path("dist");
    release(&s, &out).success();
    let bag = out.join("fixture-corpus-0.1.0");
    std::os::unix::fs::symlink(".", bag.join("data/loop")).expect("symlink");
    std::fs::remove_file(out.join("fixture-corpus-0.1.0.zip")).expect("remove");
    std::os::unix::fs::symlink("/etc/hostname", out.join("fixture-corpus-0.1.0.zip"))
        .expect("symlink");
    let before = s.snapshot();
    let a = khojaly()
        .args(["release", "--data"])
        .arg(s.data())
        .arg("--out")
        .arg(&out)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1);
    no_panic(&a);
    let err = stderr_of(&a);
    assert!(
        err.contains("already holds version 0.1.0 with different content"),
        "{err}"
    );
    assert!(err.contains("2 files differ"), "{err}");
    assert_eq!(s.snapshot(), before);
}

#[test]
fn destroy_out_equal_to_the_data_directory_is_refused() {
    let s = Sandbox::new();
    let before = s.snapshot();
    let a = release(&s, &s.data()).code(2);
    no_panic(&a);
    let err = stderr_of(&a);
    assert!(
        err.contains("is the same folder as the data directory"),
        "{err}"
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn write_outside_out_inside_the_data_directory_is_refused_however_spelt() {
    let s = Sandbox::new();
    std::os::unix::fs::symlink(s.data(), s.path("alias")).expect("symlink");
    let before = s.snapshot();
    for out in [
        s.path("data/records"),
        s.path("data/new/dist"),
        s.root().join("elsewhere/../data/x"),
        s.path("alias/dist"),
    ] {
        let a = release(&s, &out).code(2);
        no_panic(&a);
        let err = stderr_of(&a);
        assert!(
            err.contains("inside the data directory"),
            "{}: {err}",
            out.display()
        );
        assert_eq!(s.snapshot(), before, "{}", out.display());
    }
}

#[test]
fn destroy_out_that_is_a_regular_file_is_refused_and_kept() {
    let s = Sandbox::new();
    s.write("dist", "not a folder\n");
    let before = s.snapshot();
    let a = release(&s, &s.path("dist")).code(2);
    no_panic(&a);
    assert!(
        stderr_of(&a).contains("exists and is not a folder"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn destroy_out_that_is_a_dangling_link_is_refused_and_kept() {
    let s = Sandbox::new();
    std::os::unix::fs::symlink(s.path("nowhere"), s.path("dist")).expect("symlink");
    let before = s.snapshot();
    let a = release(&s, &s.path("dist")).code(2);
    no_panic(&a);
    assert!(
        stderr_of(&a).contains("is a link to nothing"),
        "{}",
        stderr_of(&a)
    );
    assert_eq!(s.snapshot(), before);
}

// ---------------------------------------------------------------------------------------------
// Write outside: paths from data and bags stay inside their root; links are not followed.

#[test]
fn write_outside_a_transcription_path_climbing_out_is_refused_at_its_field() {
    let s = Sandbox::new();
    s.write("outside.txt", "secret\n");
    s.edit(
        "data/compilations/sample.toml",
        "transcription = \"sample.txt\"",
        "transcription = \"../../outside.txt\"",
    );
    let before = s.snapshot();
    let a = validate(&s).code(1);
    let err = stderr_of(&a);
    assert!(err.contains("compilations/sample.toml:6:17"), "{err}");
    assert!(err.contains("climbs out with `..`"), "{err}");
    assert!(
        err.contains("help: give the transcription's file name"),
        "{err}"
    );
    // Not read: no checksum comparison of the outside file.
    assert!(!err.contains("SHA-256"), "{err}");
    let out = s.path("dist");
    release(&s, &out).code(1);
    assert!(!out.exists());
    assert_eq!(s.snapshot(), before);
}

#[test]
fn write_outside_a_transcription_path_with_control_characters_is_refused_and_escaped() {
    let s = Sandbox::new();
    s.edit(
        "data/compilations/sample.toml",
        "transcription = \"sample.txt\"",
        "transcription = \"\\u001b[2Jsample.txt\"",
    );
    let a = validate(&s).code(1);
    let err = stderr_of(&a);
    assert!(err.contains("compilations/sample.toml:6:17"), "{err}");
    assert!(err.contains("contains the character '\\u{1b}'"), "{err}");
    let message = err.lines().next().unwrap_or_default();
    assert!(
        !message.contains('\u{1b}'),
        "a raw ESC reached the terminal: {message:?}"
    );
}

#[test]
fn write_outside_a_linked_transcription_is_refused_at_its_field_and_named_once() {
    let s = Sandbox::new();
    let real = s.path("sample-real.txt");
    std::fs::rename(s.path("data/compilations/sample.txt"), &real).expect("move");
    std::os::unix::fs::symlink(&real, s.path("data/compilations/sample.txt")).expect("symlink");
    let a = validate(&s).code(1);
    let err = stderr_of(&a);
    assert!(err.contains("compilations/sample.toml:6:17"), "{err}");
    assert!(err.contains("sample.txt is a symbolic link (to "), "{err}");
    assert_eq!(err.matches("symbolic link").count(), 1, "{err}");
}

#[test]
fn write_outside_a_linked_record_file_is_named_and_not_read() {
    let s = Sandbox::new();
    let rel = "data/records/media_item/media-1992-02-28-washington-post-victims-buried.toml";
    std::fs::rename(s.path(rel), s.path("record.toml")).expect("move");
    std::os::unix::fs::symlink(s.path("record.toml"), s.path(rel)).expect("symlink");
    let a = validate(&s).code(1);
    no_panic(&a);
    let err = stderr_of(&a);
    assert!(
        err.contains("media-1992-02-28-washington-post-victims-buried.toml")
            && err.contains("[symlink]"),
        "{err}"
    );
    assert!(err.contains("is a symbolic link (to "), "{err}");
}

#[test]
fn write_outside_linked_agents_and_kind_folder_are_named() {
    let s = Sandbox::new();
    std::fs::rename(s.path("data/agents.toml"), s.path("agents.toml")).expect("move");
    std::os::unix::fs::symlink(s.path("agents.toml"), s.path("data/agents.toml")).expect("link");
    s.write("elsewhere/x.toml", "id = \"x\"\n");
    std::os::unix::fs::symlink(s.path("elsewhere"), s.path("data/records/testimony"))
        .expect("link");
    let a = validate(&s).code(1);
    let err = stderr_of(&a);
    assert!(
        err.contains("data/agents.toml") && err.contains("[symlink]"),
        "{err}"
    );
    assert!(err.contains("data/records/testimony"), "{err}");
    assert!(
        !err.contains("elsewhere/x.toml"),
        "the linked folder was read: {err}"
    );
}

#[test]
fn panic_a_fifo_in_the_records_is_named_not_read() {
    let s = Sandbox::new();
    let fifo = s.path("data/records/media_item/media-1992-02-29-fifo.toml");
    let ok = StdCommand::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|st| st.success());
    assert!(ok, "mkfifo");
    let a = khojaly()
        .args(["validate", "--data"])
        .arg(s.data())
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1);
    let err = stderr_of(&a);
    assert!(
        err.contains("media-1992-02-29-fifo.toml") && err.contains("[special-file]"),
        "{err}"
    );
}

/// A released bag in a sandbox, for the verify cases.
fn released_bag() -> (Sandbox, PathBuf) {
    let s = Sandbox::new();
    release(&s, &s.path("dist")).success();
    let bag = s.path("dist/fixture-corpus-0.1.0");
    (s, bag)
}

fn append(path: &Path, line: &str) {
    let mut text = std::fs::read_to_string(path).expect("read");
    text.push_str(line);
    std::fs::write(path, text).expect("write");
}

#[test]
fn write_outside_verify_refuses_an_absolute_manifest_path() {
    let (s, bag) = released_bag();
    s.write("secret.txt", "x");
    let sum = base16(&Sha256::digest(b"x"));
    append(
        &bag.join("manifest-sha256.txt"),
        &format!("{sum}  {}\n", s.path("secret.txt").display()),
    );
    let a = khojaly().arg("verify").arg(&bag).assert().code(1);
    no_panic(&a);
    let err = stderr_of(&a);
    assert!(err.contains("manifest-sha256.txt: line "), "{err}");
    assert!(err.contains("the path is absolute"), "{err}");
}

#[test]
fn write_outside_verify_refuses_a_manifest_path_with_dotdot() {
    let (s, bag) = released_bag();
    s.write("dist/outside.txt", "x");
    let sum = base16(&Sha256::digest(b"x"));
    append(
        &bag.join("manifest-sha256.txt"),
        &format!("{sum}  data/../../outside.txt\n"),
    );
    let a = khojaly().arg("verify").arg(&bag).assert().code(1);
    let err = stderr_of(&a);
    assert!(err.contains("climbs out with `..`"), "{err}");
    assert!(err.contains("manifest-sha256.txt: line "), "{err}");
}

#[test]
fn write_outside_verify_names_a_payload_link_pointing_outside() {
    let (s, bag) = released_bag();
    s.write("secret.txt", "x");
    let target = bag.join("data/agents.csv");
    std::fs::remove_file(&target).expect("remove");
    std::os::unix::fs::symlink(s.path("secret.txt"), &target).expect("symlink");
    let a = khojaly().arg("verify").arg(&bag).assert().code(1);
    let err = stderr_of(&a);
    assert!(
        err.contains("data/agents.csv: is a symbolic link (to "),
        "{err}"
    );
    // The JSON report names it too.
    let out = khojaly()
        .arg("verify")
        .arg(&bag)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        v.as_array()
            .expect("array")
            .iter()
            .any(|p| p["file"] == "data/agents.csv"
                && p["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("symbolic link"))),
        "{v}"
    );
}

#[test]
fn write_outside_verify_does_not_read_a_linked_tag_file() {
    let (s, bag) = released_bag();
    s.write("fake-info.txt", "Payload-Oxum: 1.1\n");
    std::fs::remove_file(bag.join("bag-info.txt")).expect("remove");
    std::os::unix::fs::symlink(s.path("fake-info.txt"), bag.join("bag-info.txt")).expect("link");
    let a = khojaly().arg("verify").arg(&bag).assert().code(1);
    let err = stderr_of(&a);
    assert!(err.contains("bag-info.txt: is a symbolic link"), "{err}");
    assert!(
        !err.contains("Payload-Oxum is 1.1"),
        "the linked file was read: {err}"
    );
}

#[test]
fn panic_verify_does_not_hang_on_a_fifo_in_the_payload() {
    let (_s, bag) = released_bag();
    let fifo = bag.join("data/pipe");
    assert!(
        StdCommand::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|st| st.success())
    );
    let a = khojaly()
        .arg("verify")
        .arg(&bag)
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1);
    assert!(
        stderr_of(&a).contains("data/pipe: is not a regular file"),
        "{}",
        stderr_of(&a)
    );
}

// ---------------------------------------------------------------------------------------------
// Partial output: a failed, refused or killed run leaves --out and data/ as they were.

#[test]
fn partial_a_refused_run_does_not_create_out_or_its_parents() {
    let s = Sandbox::new();
    s.edit(
        "data/records/media_item/media-1992-02-28-washington-post-victims-buried.toml",
        "date = \"1992-02-28\"",
        "date = \"1992-13-45\"",
    );
    let before = s.snapshot();
    release(&s, &s.path("a/b/dist"))
        .code(1)
        .stderr(predicate::str::contains("nothing was written"));
    assert_eq!(s.snapshot(), before);
}

#[test]
fn partial_a_version_refused_by_policy_creates_no_out() {
    let s = Sandbox::new();
    release(&s, &s.path("first")).success();
    s.edit(
        "data/records/media_item/media-1992-02-28-washington-post-victims-buried.toml",
        "place = \"Washington DC\"",
        "place = \"Washington\"",
    );
    let before = s.snapshot();
    release(&s, &s.path("a/second"))
        .code(1)
        .stderr(predicate::str::contains("already published"));
    assert_eq!(s.snapshot(), before);
}

#[test]
fn partial_releases_being_a_regular_file_fails_before_anything_is_written() {
    let s = Sandbox::new();
    s.write("data/releases", "not a folder\n");
    let before = s.snapshot();
    let a = release(&s, &s.path("dist")).code(2);
    no_panic(&a);
    let err = stderr_of(&a);
    assert!(err.contains("data/releases is not a folder"), "{err}");
    assert_eq!(s.snapshot(), before);
}

#[test]
fn partial_an_unwritable_releases_folder_takes_the_release_back() {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.path("data/releases")).expect("mkdir");
    let Some(_guard) = ReadOnly::new(&s.path("data/releases")) else {
        eprintln!("skipped: cannot make a folder read-only here");
        return;
    };
    // Into a new out and into an existing one with other content.
    s.write("existing/keep.txt", "mine");
    let before = s.snapshot();
    for out in [s.path("dist"), s.path("existing")] {
        let a = release(&s, &out).code(2);
        no_panic(&a);
        let err = stderr_of(&a);
        assert!(err.contains("cannot record version 0.1.0"), "{err}");
        assert!(err.contains("the release was taken back"), "{err}");
        // Its message says what became of the output; nothing is added to it.
        assert!(!err.contains("the release failed"), "{err}");
        assert!(
            err.contains("0.1.0.manifest") || err.contains("data/releases"),
            "{err}"
        );
        assert_eq!(s.snapshot(), before, "{}", out.display());
    }
}

#[test]
fn partial_a_read_only_data_directory_leaves_no_trace() {
    let s = Sandbox::new();
    let Some(_guard) = ReadOnly::new(&s.data()) else {
        eprintln!("skipped: cannot make a folder read-only here");
        return;
    };
    let before = s.snapshot();
    let a = release(&s, &s.path("dist")).code(2);
    no_panic(&a);
    let err = stderr_of(&a);
    assert!(
        err.contains("cannot create") && err.contains("releases"),
        "{err}"
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn partial_a_killed_release_leaves_only_a_partial_folder_that_the_next_run_removes() {
    killed_run_is_cleaned_up(true);
}

#[test]
fn partial_a_killed_release_into_a_new_out_leaves_no_out_and_is_cleaned_up() {
    killed_run_is_cleaned_up(false);
}

/// Kills a release (SIGKILL) while it writes, into an existing or a new --out: only a
/// `.khojaly-partial-…` folder remains (inside --out, or beside it when --out did not exist),
/// and the next run removes it and completes the release.
fn killed_run_is_cleaned_up(out_exists: bool) {
    let s = Sandbox::bundled();
    let out = s.path("dist");
    if out_exists {
        std::fs::create_dir_all(&out).expect("mkdir");
    }
    // Where the staging folder appears.
    let staging_parent = if out_exists {
        out.clone()
    } else {
        s.root().to_path_buf()
    };
    let before = s.snapshot();
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_khojaly"))
        .args(["release", "--data"])
        .arg(s.data())
        .arg("--out")
        .arg(&out)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    // Kill it while it writes: once the staged bag has its payload folder.
    let writing = |dir: &Path| {
        partial_dirs(dir).iter().any(|p| {
            // The staged bag's payload folder, whatever the version in its name.
            std::fs::read_dir(dir.join(p).join("tree"))
                .map(|entries| entries.flatten().any(|e| e.path().join("data").exists()))
                .unwrap_or(false)
        })
    };
    while !writing(&staging_parent) && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().expect("kill -9");
    child.wait().expect("wait");
    let leftovers = partial_dirs(&staging_parent);
    assert_eq!(leftovers.len(), 1, "no partial folder was seen");
    // Nothing else changed: no bag, no archive, no --out created, data/ untouched.
    let mut after = s.snapshot();
    after.retain(|path, _| !path.contains(".khojaly-partial-"));
    assert_eq!(after, before);
    // The next run removes the leftover and completes the release.
    khojaly()
        .args(["release", "--data"])
        .arg(s.data())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(
        partial_dirs(&staging_parent).is_empty(),
        "{:?}",
        partial_dirs(&staging_parent)
    );
    assert!(partial_dirs(&out).is_empty(), "{:?}", partial_dirs(&out));
    let bag = std::fs::read_dir(&out)
        .expect("read out")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .expect("a release folder in --out");
    khojaly().arg("verify").arg(bag).assert().success();
}

#[test]
fn partial_a_write_error_names_the_file_and_leaves_no_out() {
    // A file size limit makes every write past 100 KB fail with EFBIG, as a full disk would.
    let s = Sandbox::bundled();
    let out = s.path("dist");
    let before = s.snapshot();
    let output = StdCommand::new("sh")
        .arg("-c")
        .arg("ulimit -f 200; trap '' XFSZ; exec \"$0\" release --data \"$1\" --out \"$2\"")
        .arg(env!("CARGO_BIN_EXE_khojaly"))
        .arg(s.data())
        .arg(&out)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("nothing was written to"), "{err}");
    assert!(err.contains(": cannot write "), "{err}");
    assert!(err.contains("File too large"), "{err}");
    for junk in ["External", "ZipWriter", "Os {", "panicked"] {
        assert!(!err.contains(junk), "{junk} in: {err}");
    }
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(s.snapshot(), before);
}

// ---------------------------------------------------------------------------------------------
// Panic: closed pipes, full disks, out-of-range inputs end with a message and an exit code.

/// Runs khojaly with stdout (or stderr) a pipe whose reading end is already closed.
fn with_closed(stream: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_khojaly"));
    cmd.args(args)
        .current_dir(repo())
        .env_remove("SOURCE_DATE_EPOCH");
    if stream == "stdout" {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    } else {
        cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    }
    let mut child = cmd.spawn().expect("spawn");
    let mut other = String::new();
    if stream == "stdout" {
        drop(child.stdout.take());
        if let Some(mut e) = child.stderr.take() {
            e.read_to_string(&mut other).expect("read stderr");
        }
    } else {
        drop(child.stderr.take());
    }
    let status = child.wait().expect("wait");
    std::process::Output {
        status,
        stdout: Vec::new(),
        stderr: other.into_bytes(),
    }
}

#[test]
fn panic_stats_into_a_closed_pipe_ends_quietly() {
    let out = with_closed("stdout", &["stats"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn panic_cite_into_a_closed_pipe_ends_quietly() {
    let out = with_closed(
        "stdout",
        &["cite", "media-1992-02-28-washington-post-victims-buried"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn panic_help_and_json_reports_into_a_closed_pipe_end_quietly() {
    for args in [
        &["--help"][..],
        &["validate", "--format", "json"],
        &["stats", "--format", "json"],
    ] {
        let out = with_closed("stdout", args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn panic_diagnostics_to_a_closed_stderr_keep_the_exit_code() {
    let s = Sandbox::new();
    s.edit(
        "data/records/media_item/media-1992-02-28-washington-post-victims-buried.toml",
        "date = \"1992-02-28\"",
        "date = \"1992-13-45\"",
    );
    let data = s.data();
    let out = with_closed("stderr", &["validate", "--data", &data.to_string_lossy()]);
    // Problems were found: exit 1, not a panic (101), not a false "clean".
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn panic_a_json_report_of_problems_into_a_closed_pipe_keeps_exit_1() {
    let s = Sandbox::new();
    s.edit(
        "data/records/media_item/media-1992-02-28-washington-post-victims-buried.toml",
        "date = \"1992-02-28\"",
        "date = \"1992-13-45\"",
    );
    let data = s.data();
    let out = with_closed(
        "stdout",
        &[
            "validate",
            "--format",
            "json",
            "--data",
            &data.to_string_lossy(),
        ],
    );
    // The reader went away, the problems did not: no panic, no "clean" exit, no message.
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn panic_stats_to_a_full_disk_fails_with_the_stream_named() {
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let a = std_khojaly().arg("stats").stdout(full).assert().code(2);
    no_panic(&a);
    let err = stderr_of(&a);
    assert!(
        err.contains("cannot write to stdout: No space left on device"),
        "{err}"
    );
}

#[test]
fn panic_diagnostics_to_a_full_disk_exit_2() {
    let s = Sandbox::new();
    s.edit(
        "data/records/media_item/media-1992-02-28-washington-post-victims-buried.toml",
        "date = \"1992-02-28\"",
        "date = \"1992-13-45\"",
    );
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = StdCommand::new(env!("CARGO_BIN_EXE_khojaly"))
        .args(["validate", "--data"])
        .arg(s.data())
        .stderr(full)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    // JSON diagnostics to a full stdout: exit 2 with the stream named on stderr.
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let a = std_khojaly()
        .args(["validate", "--format", "json", "--data"])
        .arg(s.data())
        .stdout(full)
        .assert()
        .code(2);
    assert!(
        stderr_of(&a).contains("cannot write to stdout"),
        "{}",
        stderr_of(&a)
    );
}

#[test]
fn panic_source_date_epoch_out_of_range_is_refused_and_nothing_written() {
    let s = Sandbox::new();
    let before = s.snapshot();
    for epoch in [
        "-50000000000000",
        "-1",
        "253402300800",
        "99999999999999999",
        "1e9",
        "",
    ] {
        let a = khojaly()
            .args(["release", "--data"])
            .arg(s.data())
            .arg("--out")
            .arg(s.path("dist"))
            .env("SOURCE_DATE_EPOCH", epoch)
            .assert()
            .code(2);
        no_panic(&a);
        let err = stderr_of(&a);
        assert!(err.contains("SOURCE_DATE_EPOCH"), "{epoch}: {err}");
        assert_eq!(s.snapshot(), before, "{epoch}");
    }
    // The edges are fine.
    for (epoch, date) in [("0", "1970-01-01"), ("253402300799", "9999-12-31")] {
        let out = tempfile::tempdir().expect("tempdir");
        let s = Sandbox::new();
        khojaly()
            .args(["release", "--data"])
            .arg(s.data())
            .arg("--out")
            .arg(out.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .assert()
            .success();
        let info = std::fs::read_to_string(out.path().join("fixture-corpus-0.1.0/bag-info.txt"))
            .expect("bag-info");
        assert!(info.contains(&format!("Bagging-Date: {date}")), "{info}");
    }
}

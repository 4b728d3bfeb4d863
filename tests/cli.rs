//! The command line, end to end: every subcommand and exit code, reproducible releases,
//! nothing written on failure, the schema check, and Parquet read back against JSON Lines.

mod common;

use std::fs::File;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Date32Type};
use common::{fixture_data, khojaly, repo, tree};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use predicates::prelude::*;

#[test]
fn validate_accepts_the_bundled_data() {
    khojaly()
        .arg("validate")
        .assert()
        .success()
        .stderr(predicate::str::contains("no problems"));
}

#[test]
fn validate_json_is_an_empty_array_when_clean() {
    khojaly()
        .args(["validate", "--format", "json"])
        .assert()
        .success()
        .stdout("[]\n");
}

#[test]
fn a_missing_data_directory_is_a_tool_failure_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    khojaly()
        .arg("validate")
        .arg("--data")
        .arg(dir.path().join("nowhere"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a directory"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn an_impossible_date_in_a_copy_of_the_data_names_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&repo().join("data"), dir.path());
    let file = dir
        .path()
        .join("records/media_item/media-1992-02-28-washington-post-victims-buried.toml");
    let text = std::fs::read_to_string(&file).expect("read record");
    std::fs::write(
        &file,
        text.replace("date = \"1992-02-28\"", "date = \"1992-13-45\""),
    )
    .expect("write record");
    khojaly()
        .arg("validate")
        .arg("--data")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "media-1992-02-28-washington-post-victims-buried.toml:4:",
        ))
        .stderr(predicate::str::contains("1992-13-45"));
}

#[test]
fn unknown_subcommand_and_bad_flags_exit_2() {
    khojaly().arg("publish").assert().code(2);
    khojaly()
        .args(["validate", "--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn help_lists_every_subcommand() {
    let assert = khojaly().arg("--help").assert().success();
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for cmd in ["validate", "release", "schema", "stats"] {
        assert!(out.contains(cmd), "{cmd} missing from --help:\n{out}");
    }
}

#[test]
fn stats_prints_counts() {
    khojaly()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicate::str::contains("media_item"));
}

#[test]
fn schema_check_passes_on_the_committed_schemas() {
    khojaly().args(["schema", "--check"]).assert().success();
}

#[test]
fn schema_check_fails_on_stale_schemas_and_schema_rewrites_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("schema");
    common::copy_tree(&repo().join("schema"), &out);
    std::fs::write(out.join("media_item.schema.json"), "{}\n").expect("write");
    std::fs::write(out.join("leftover.schema.json"), "{}\n").expect("write");
    khojaly()
        .args(["schema", "--check", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "media_item.schema.json is out of date",
        ))
        .stderr(predicate::str::contains(
            "leftover.schema.json is not generated",
        ));
    khojaly()
        .args(["schema", "--out"])
        .arg(&out)
        .assert()
        .success();
    khojaly()
        .args(["schema", "--check", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(tree(&out), tree(&repo().join("schema")));
}

fn release_into(out: &std::path::Path) -> std::path::PathBuf {
    khojaly()
        .args(["release", "--out"])
        .arg(out)
        .assert()
        .success();
    let dirs: Vec<_> = std::fs::read_dir(out)
        .expect("read out")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

#[test]
fn two_releases_are_byte_identical() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let ra = release_into(a.path());
    let rb = release_into(b.path());
    assert_eq!(ra.file_name(), rb.file_name());
    let (ta, tb) = (tree(&ra), tree(&rb));
    assert!(ta.len() > 10, "{:?}", ta.keys());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(tb[path] == *bytes, "{path} differs between two releases");
    }
    // The archives too are byte-identical.
    for ext in ["tar.gz", "zip"] {
        let name = format!("{}.{ext}", ra.file_name().expect("name").to_string_lossy());
        let (xa, xb) = (
            std::fs::read(a.path().join(&name)).expect("archive a"),
            std::fs::read(b.path().join(&name)).expect("archive b"),
        );
        assert!(xa.len() > 1000, "{name} is too small");
        assert!(xa == xb, "{name} differs between two releases");
    }
    // Releasing the same data again into the same place changes nothing.
    release_into(a.path());
    assert_eq!(tree(&ra), ta);
}

#[test]
fn a_release_lists_every_file_in_sha256sums() {
    let out = tempfile::tempdir().expect("tempdir");
    let dir = release_into(out.path());
    let files = tree(&dir);
    let sums = String::from_utf8(files["SHA256SUMS"].clone()).expect("utf-8");
    let listed: Vec<&str> = sums
        .lines()
        .map(|l| l.split_once("  ").expect("two spaces").1)
        .collect();
    // The BagIt files are written after SHA256SUMS and carry their own checksums.
    let bag_files = [
        "SHA256SUMS",
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "manifest-sha512.txt",
        "tagmanifest-sha256.txt",
    ];
    let expected: Vec<&String> = files
        .keys()
        .filter(|k| !bag_files.contains(&k.as_str()))
        .collect();
    assert_eq!(listed.len(), expected.len());
    for line in sums.lines() {
        let (hash, path) = line.split_once("  ").expect("two spaces");
        let digest = sha2_hex(&files[path]);
        assert_eq!(hash, digest, "{path}");
    }
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn an_invalid_dataset_is_not_released_and_nothing_is_written() {
    let data = fixture_data(Some("fidelity"));
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("dist");
    khojaly()
        .args(["release", "--data"])
        .arg(data.path())
        .arg("--out")
        .arg(&target)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing was written"));
    assert!(
        !target.exists(),
        "a failed release created {}",
        target.display()
    );
}

#[test]
fn a_released_version_is_never_overwritten_with_different_content() {
    let data = fixture_data(None);
    let out = tempfile::tempdir().expect("tempdir");
    khojaly()
        .args(["release", "--data"])
        .arg(data.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let dir = out.path().join("fixture-corpus-0.1.0");
    let before = tree(&dir);
    let record = data
        .path()
        .join("records/media_item/media-1992-02-28-washington-post-victims-buried.toml");
    let text = std::fs::read_to_string(&record).expect("read");
    std::fs::write(
        &record,
        text.replace("place = \"Washington DC\"", "place = \"Washington\""),
    )
    .expect("write");
    khojaly()
        .args(["release", "--data"])
        .arg(data.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already published"));
    assert_eq!(
        tree(&dir),
        before,
        "the refused release changed the published one"
    );
}

#[test]
fn records_parquet_reads_back_equal_to_the_json_lines() {
    let out = tempfile::tempdir().expect("tempdir");
    let dir = release_into(out.path()).join("data");
    let jsonl = std::fs::read_to_string(dir.join("records.jsonl")).expect("jsonl");
    let records: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();

    let file = File::open(dir.join("records.parquet")).expect("parquet");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("parquet reader")
        .build()
        .expect("build reader");
    let mut row = 0;
    for batch in reader {
        let batch = batch.expect("batch");
        let schema = batch.schema();
        let col = |name: &str| {
            batch
                .column(
                    schema
                        .index_of(name)
                        .unwrap_or_else(|_| panic!("column {name}")),
                )
                .clone()
        };
        assert_eq!(col("date_start").data_type(), &DataType::Date32);
        assert_eq!(col("date_end").data_type(), &DataType::Date32);
        for i in 0..batch.num_rows() {
            let expected = &records[row];
            for field in [
                "id",
                "kind",
                "title",
                "date",
                "place",
                "language",
                "text_status",
                "text",
                "part_of",
            ] {
                let array = col(field);
                let strings = array.as_string::<i32>();
                let got = (!strings.is_null(i)).then(|| strings.value(i).to_string());
                let want = expected[field].as_str().map(str::to_string);
                assert_eq!(got, want, "{field} of {}", expected["id"]);
            }
            let bodies = col("body_id");
            assert_eq!(
                Some(bodies.as_string::<i32>().value(i)),
                expected["body"].as_str(),
                "body of {}",
                expected["id"]
            );
            for field in ["authors", "source_urls"] {
                let list = col(field);
                let list = list.as_list::<i32>();
                let values = list.value(i);
                let got: Vec<String> = values
                    .as_string::<i32>()
                    .iter()
                    .map(|v| v.unwrap_or_default().to_string())
                    .collect();
                let want: Vec<String> = expected[field]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                assert_eq!(got, want, "{field} of {}", expected["id"]);
            }
            // Dated records have both bounds; the bounds are ordered.
            let start = col("date_start");
            let end = col("date_end");
            let (start, end) = (
                start.as_primitive::<Date32Type>(),
                end.as_primitive::<Date32Type>(),
            );
            if !start.is_null(i) && !end.is_null(i) {
                assert!(start.value(i) <= end.value(i), "{}", expected["id"]);
            }
            if expected["date"].is_null() {
                assert!(start.is_null(i) && end.is_null(i), "{}", expected["id"]);
            }
            row += 1;
        }
    }
    assert_eq!(row, records.len());
}

fn release_data(data: &std::path::Path, out: &std::path::Path) -> assert_cmd::assert::Assert {
    khojaly()
        .args(["release", "--data"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .assert()
}

fn set_version(data: &std::path::Path, version: &str) {
    let path = data.join("dataset.toml");
    let text = std::fs::read_to_string(&path).expect("read dataset.toml");
    let line = text
        .lines()
        .find(|l| l.starts_with("version = "))
        .expect("version line")
        .to_string();
    std::fs::write(
        &path,
        text.replace(&line, &format!("version = \"{version}\"")),
    )
    .expect("write dataset.toml");
}

#[test]
fn verify_passes_on_a_release_and_names_a_changed_parquet_file() {
    let out = tempfile::tempdir().expect("tempdir");
    let dir = release_into(out.path());
    khojaly()
        .arg("verify")
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("valid bag"));
    let parquet = dir.join("data/records.parquet");
    let mut bytes = std::fs::read(&parquet).expect("read parquet");
    bytes[100] ^= 0x01;
    std::fs::write(&parquet, bytes).expect("write parquet");
    khojaly()
        .arg("verify")
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("data/records.parquet"))
        .stderr(predicate::str::contains("checksum does not match"));
}

#[test]
fn verify_reports_a_missing_and_an_unlisted_payload_file() {
    let out = tempfile::tempdir().expect("tempdir");
    let dir = release_into(out.path());
    std::fs::remove_file(dir.join("data/bodies.csv")).expect("remove");
    std::fs::write(dir.join("data/extra.txt"), "x").expect("write");
    let assert = khojaly().arg("verify").arg(&dir).assert().code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("data/bodies.csv") && stderr.contains("missing"),
        "{stderr}"
    );
    assert!(
        stderr.contains("data/extra.txt") && stderr.contains("not listed"),
        "{stderr}"
    );
    assert!(stderr.contains("Payload-Oxum"), "{stderr}");
}

#[test]
fn a_patch_release_of_a_correction_is_diffed_and_the_old_version_stays_immutable() {
    let data = fixture_data(None);
    let out = tempfile::tempdir().expect("tempdir");
    release_data(data.path(), out.path()).success();
    let old = out.path().join("fixture-corpus-0.1.0");
    let before = tree(&old);
    assert!(data.path().join("releases/0.1.0.manifest").is_file());

    // Correct one record's text (keep the printed "hus band" instead of mending it: still as
    // printed, and a change of the text).
    let record = data
        .path()
        .join("records/media_item/media-1992-02-28-washington-post-victims-buried.toml");
    let text = std::fs::read_to_string(&record).expect("read");
    let corrected = text.replace("her husband and", "her hus band and").replace(
        "emendations = [{ printed = \"hus band\", reads = \"husband\" }]\n",
        "",
    );
    assert_ne!(corrected, text);
    std::fs::write(&record, corrected).expect("write");
    khojaly()
        .args(["validate", "--data"])
        .arg(data.path())
        .assert()
        .success();

    // Same version, changed data: refused, nothing touched.
    release_data(data.path(), out.path())
        .code(1)
        .stderr(predicate::str::contains("already published"))
        .stderr(predicate::str::contains("0.1.1"));
    assert_eq!(tree(&old), before);

    // Skipping a version is refused; the next patch version is released.
    set_version(data.path(), "0.1.2");
    release_data(data.path(), out.path())
        .code(1)
        .stderr(predicate::str::contains("does not follow"));
    set_version(data.path(), "0.1.1");
    let new_out = tempfile::tempdir().expect("tempdir");
    release_data(data.path(), new_out.path()).success();
    let new = new_out.path().join("fixture-corpus-0.1.1");
    let changelog = std::fs::read_to_string(new.join("CHANGELOG.md")).expect("changelog");
    assert!(
        changelog.contains("media-1992-02-28-washington-post-victims-buried"),
        "{changelog}"
    );

    khojaly()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "changed    media-1992-02-28-washington-post-victims-buried",
        ))
        .stdout(predicate::str::contains("text"));
    let json = khojaly()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"])
        .output()
        .expect("run diff");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON diff");
    assert_eq!(
        v["changed"][0]["id"],
        "media-1992-02-28-washington-post-victims-buried"
    );
    assert_eq!(v["added"].as_array().map(Vec::len), Some(0));
    khojaly().arg("diff").arg(&old).arg(&old).assert().success();
}

#[test]
fn an_added_record_needs_a_minor_version() {
    let data = fixture_data(None);
    let out = tempfile::tempdir().expect("tempdir");
    release_data(data.path(), out.path()).success();
    let from = data
        .path()
        .join("records/media_item/media-1992-02-28-washington-post-victims-buried.toml");
    let copy = data
        .path()
        .join("records/media_item/media-1992-02-28-washington-post-victims-buried-copy.toml");
    let text = std::fs::read_to_string(&from).expect("read");
    std::fs::write(
        &copy,
        text.replace(
            "id = \"media-1992-02-28-washington-post-victims-buried\"",
            "id = \"media-1992-02-28-washington-post-victims-buried-copy\"",
        ),
    )
    .expect("write");
    set_version(data.path(), "0.1.1");
    release_data(data.path(), out.path())
        .code(1)
        .stderr(predicate::str::contains("needs a minor release"))
        .stderr(predicate::str::contains("0.2.0"));
    set_version(data.path(), "0.2.0");
    release_data(data.path(), out.path()).success();
}

#[test]
fn cite_prints_the_record_id_and_the_release_version() {
    let out = tempfile::tempdir().expect("tempdir");
    let dir = release_into(out.path());
    let id = "media-1992-02-28-washington-post-victims-buried";
    let dataset = std::fs::read_to_string(repo().join("data/dataset.toml")).expect("dataset.toml");
    let version = dataset
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("version in dataset.toml");
    khojaly()
        .args(["cite", id, "--release"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("Record {id}")))
        .stdout(predicate::str::contains(format!("version {version}")))
        .stdout(predicate::str::contains("@dataset{"));
    khojaly()
        .args(["cite", id])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("{{{version}}}")));
    khojaly()
        .args(["cite", "no-such-record"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no record with id"));
}

//! Hostile input, "accepted though wrong" and "message quality" classes (issue 12): each case
//! breaks a copy of the base fixture in one way and asserts the exit code, the message, where it
//! points (file:line:column) and that nothing else is reported (one fault, one error).

mod common;

use std::path::Path;

use common::{fixture_data, khojaly};

const RECORD: &str = "records/media_item/media-1992-02-28-washington-post-victims-buried.toml";

struct Run {
    code: i32,
    stderr: String,
}

impl Run {
    /// Asserts one problem, with this message, at `file:line:column`.
    fn one(&self, message: &str, file: &str, line: usize, column: usize) {
        assert_eq!(self.code, 1, "{}", self.stderr);
        assert!(
            self.stderr.contains(message),
            "expected {message:?} in:\n{}",
            self.stderr
        );
        let at = format!("{file}:{line}:{column}");
        assert!(
            self.stderr.contains(&at),
            "expected {at} in:\n{}",
            self.stderr
        );
        assert!(
            self.stderr.contains("1 problem in 1 file"),
            "expected exactly one problem:\n{}",
            self.stderr
        );
        assert!(
            self.stderr.contains("help: "),
            "expected a fix hint:\n{}",
            self.stderr
        );
        self.printable();
    }

    /// Nothing a terminal would act on reaches stderr.
    fn printable(&self) {
        assert!(
            !self
                .stderr
                .chars()
                .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
            "raw control characters in:\n{:?}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
    }
}

/// Validates the base fixture after `change` has been applied to it.
fn validate(change: impl FnOnce(&Path)) -> Run {
    let data = fixture_data(None);
    change(data.path());
    let out = khojaly()
        .arg("validate")
        .arg("--data")
        .arg(data.path())
        .output()
        .expect("run khojaly");
    let root = data.path().display().to_string();
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).replace(&root, "[DATA]"),
    }
}

/// Replaces the first `old` in a file of the data directory.
fn edit(data: &Path, rel: &str, old: &str, new: &str) {
    let path = data.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(old), "{rel} lacks {old:?}");
    std::fs::write(&path, text.replacen(old, new, 1)).expect("write");
}

fn rename_record(data: &Path, new_id: &str) {
    edit(
        data,
        RECORD,
        "id = \"media-1992-02-28-washington-post-victims-buried\"",
        &format!("id = \"{new_id}\""),
    );
    std::fs::rename(
        data.join(RECORD),
        data.join(format!("records/media_item/{new_id}.toml")),
    )
    .expect("rename");
}

fn sha(label: &str) -> String {
    use sha2::{Digest, Sha256};
    base16ct::lower::encode_string(&Sha256::digest(label))
}

fn manifest(version: &str, ids: &[&str]) -> String {
    let mut s = format!(
        "# khojaly published-release manifest\nversion {version}\nrelease_date 2026-11-01\nschema {}\nmetadata {}\n",
        sha("s"),
        sha("m")
    );
    for id in ids {
        s.push_str(&format!("record {} {id}\n", sha(id)));
    }
    s
}

fn write(data: &Path, rel: &str, text: &str) {
    let path = data.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

// --- message quality ---------------------------------------------------------------------

#[test]
fn unknown_key_in_a_kind_table_is_named() {
    let r = validate(|d| edit(d, RECORD, "byline = ", "foo = 1\nbyline = "));
    r.one("unknown field `foo` in `media_item`", RECORD, 28, 1);
    assert!(!r.stderr.contains("anyOf"), "{}", r.stderr);
}

#[test]
fn misspelt_key_in_a_kind_table_gets_a_suggestion() {
    let r = validate(|d| edit(d, RECORD, "medium = ", "mediun = "));
    r.one("unknown field `mediun` in `media_item`", RECORD, 27, 1);
    assert!(r.stderr.contains("did you mean `medium`?"), "{}", r.stderr);
}

#[test]
fn invalid_text_status_lists_the_allowed_values() {
    let r = validate(|d| edit(d, RECORD, "text_status = \"full\"", "text_status = \"ful\""));
    r.one(
        "`text_status` is \"ful\", which is not an allowed value",
        RECORD,
        9,
        15,
    );
    assert!(
        r.stderr.contains(
            "did you mean `full`? The allowed values are: `full`, `excerpt`, `paraphrase`, `not_transcribed`, `mentioned_only`"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn invalid_enum_value_in_a_kind_table_lists_the_allowed_values() {
    let r = validate(|d| edit(d, RECORD, "medium = \"newspaper\"", "medium = \"paper\""));
    r.one("`media_item.medium` is \"paper\"", RECORD, 27, 10);
    assert!(r.stderr.contains("`news_agency`"), "{}", r.stderr);
}

#[test]
fn an_unquoted_toml_date_asks_for_a_quoted_edtf_string() {
    let r = validate(|d| edit(d, RECORD, "date = \"1992-02-28\"", "date = 1992-02-28"));
    r.one("`date` is a TOML date without quotes", RECORD, 4, 8);
    assert!(r.stderr.contains("`date = \"1992-02-28\"`"), "{}", r.stderr);
    assert!(!r.stderr.contains("found map"), "{}", r.stderr);
}

#[test]
fn an_unquoted_date_time_is_one_error_not_three() {
    let r = validate(|d| {
        edit(
            d,
            RECORD,
            "date = \"1992-02-28\"",
            "date = 1992-02-28T10:00:00",
        )
    });
    r.one("`date` is a TOML date without quotes", RECORD, 4, 8);
    let r = validate(|d| edit(d, RECORD, "lines = [1, 30]", "lines = 1992-02-28"));
    r.one(
        "`appearances[1].lines` is a TOML date without quotes",
        RECORD,
        33,
        9,
    );
}

#[test]
fn a_number_too_large_names_the_range_not_a_rust_type() {
    let r = validate(|d| edit(d, RECORD, "lines = [1, 30]", "lines = [1, 99999999999]"));
    r.one(
        "`appearances[1].lines[2]` is 99999999999, which is out of range: it takes a whole number from 0 to 4294967295",
        RECORD,
        33,
        13,
    );
    assert!(!r.stderr.contains("u32"), "{}", r.stderr);
}

#[test]
fn a_number_out_of_range_is_reported_beside_an_unknown_field() {
    let r = validate(|d| {
        edit(d, RECORD, "lines = [1, 30]", "lines = [1, 4294967296]");
        edit(d, RECORD, "heading = ", "headng = ");
    });
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("unknown field `headng`"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`appearances[1].lines[2]` is 4294967296, which is out of range"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 problems in 1 file"), "{}", r.stderr);
}

#[test]
fn a_number_beyond_64_bits_names_the_range_too() {
    let r = validate(|d| {
        edit(
            d,
            RECORD,
            "lines = [1, 30]",
            "lines = [1, 99999999999999999999]",
        )
    });
    r.one(
        "out of range: it takes a whole number from 0 to 4294967295",
        RECORD,
        33,
        13,
    );
}

#[test]
fn too_deep_nesting_is_located() {
    let deep = format!("authors = {}{}", "[".repeat(300), "]".repeat(300));
    let r = validate(|d| edit(d, RECORD, "authors = [\"Thomas Goltz\"]", &deep));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("[toml-syntax]"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{RECORD}:6:")), "{}", r.stderr);
    r.printable();
}

#[test]
fn a_string_where_a_list_belongs_says_so() {
    let r = validate(|d| {
        edit(
            d,
            RECORD,
            "authors = [\"Thomas Goltz\"]",
            "authors = \"Thomas Goltz\"",
        )
    });
    r.one(
        "`authors` must be a list `[...]`, not a string",
        RECORD,
        6,
        11,
    );
}

// --- one fault, one error ----------------------------------------------------------------

#[test]
fn a_syntax_error_in_agents_is_reported_once() {
    let r = validate(|d| {
        edit(
            d,
            "agents.toml",
            "form = \"newspaper\"",
            "form = \"newspaper",
        )
    });
    r.one("TOML syntax error", "agents.toml", 5, 18);
    assert!(!r.stderr.contains("no agent with the id"), "{}", r.stderr);
    assert!(!r.stderr.contains("unused-agent"), "{}", r.stderr);
}

#[test]
fn an_unparsable_record_does_not_make_references_to_it_unknown() {
    let r = validate(|d| {
        write(
            d,
            "records/testimony/testimony-1992-02-28-washington-post-raisa-aslanova.toml",
            "id = \"testimony-1992-02-28-washington-post-raisa-aslanova\"\nkind = \"testimony\"\ndate = \"1992-02-28\"\nbody = \"washington-post\"\nlanguage = \"en\"\ntext_status = \"mentioned_only\"\npart_of = \"media-1992-02-28-washington-post-victims-buried\"\n\n[testimony]\nwitness = \"Raisa Aslanova\"\n\n[[appearances]]\ncompilation = \"sample\"\nsection = \"III. INTERNATIONAL MASS MEDIA RECORDS\"\nlines = [1, 30]\n",
        );
        let agents = std::fs::read_to_string(d.join("agents.toml")).expect("read");
        write(
            d,
            "agents.toml",
            &format!(
                "{agents}\n[[agents]]\nid = \"raisa-aslanova\"\nname = \"Raisa Aslanova\"\nagent_type = \"person\"\nroles = [\"witness\"]\nprivate_person = true\n"
            ),
        );
        edit(
            d,
            RECORD,
            "place = \"Washington DC\"",
            "place = Washington DC",
        );
    });
    r.one("TOML syntax error", RECORD, 7, 9);
    assert!(!r.stderr.contains("no record has that id"), "{}", r.stderr);
}

#[test]
fn a_broken_compilation_does_not_make_its_records_unknown() {
    let r = validate(|d| {
        edit(
            d,
            "compilations/sample.toml",
            "language = \"en\"",
            "language = en",
        )
    });
    r.one("TOML syntax error", "compilations/sample.toml", 5, 12);
    assert!(!r.stderr.contains("unknown-compilation"), "{}", r.stderr);
}

// --- accepted though wrong ---------------------------------------------------------------

#[test]
fn an_id_whose_date_disagrees_with_date_is_an_error() {
    let r = validate(|d| rename_record(d, "media-1992-02-29-washington-post-victims-buried"));
    r.one(
        "the id's date part `1992-02-29` disagrees with `date` (`1992-02-28`)",
        "records/media_item/media-1992-02-29-washington-post-victims-buried.toml",
        1,
        6,
    );
    assert!(
        r.stderr
            .contains("write `media-1992-02-28-washington-post-victims-buried`"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_undated_id_on_a_dated_record_is_an_error() {
    let r = validate(|d| rename_record(d, "media-undated-washington-post-victims-buried"));
    r.one(
        "the id's date part `undated` disagrees with `date` (`1992-02-28`)",
        "records/media_item/media-undated-washington-post-victims-buried.toml",
        1,
        6,
    );
}

#[test]
fn an_id_at_a_coarser_precision_than_the_date_is_an_error() {
    let r = validate(|d| rename_record(d, "media-1992-washington-post-victims-buried"));
    r.one(
        "the id's date part `1992` disagrees with `date` (`1992-02-28`)",
        "records/media_item/media-1992-washington-post-victims-buried.toml",
        1,
        6,
    );
}

#[test]
fn an_interval_dates_the_id_by_its_start() {
    let r = validate(|d| {
        edit(
            d,
            RECORD,
            "date = \"1992-02-28\"",
            "date = \"1992-02-28/1992-03-01\"",
        )
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = validate(|d| edit(d, RECORD, "date = \"1992-02-28\"", "date = \"1992-02-28?\""));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_published_id_keeps_its_date_part_when_the_date_is_corrected() {
    let r = validate(|d| {
        edit(d, RECORD, "date = \"1992-02-28\"", "date = \"1992-02-27\"");
        write(
            d,
            "releases/0.1.0.manifest",
            &manifest(
                "0.1.0",
                &["media-1992-02-28-washington-post-victims-buried"],
            ),
        );
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_garbage_release_manifest_is_located() {
    let r = validate(|d| {
        write(
            d,
            "releases/0.1.0.manifest",
            &manifest("0.1.0", &[]).replace("release_date 2026-11-01", "release_date soon"),
        )
    });
    r.one(
        "the published-release manifest is damaged: `soon` is not a date",
        "releases/0.1.0.manifest",
        3,
        1,
    );
}

#[test]
fn a_manifest_out_of_order_is_located() {
    // Manifests are compared line by line, as a merge walks two sorted lists: an edited one whose
    // lines are out of order is refused where it breaks.
    let r = validate(|d| {
        write(
            d,
            "releases/0.1.0.manifest",
            &manifest("0.1.0", &["media-b", "media-a"]),
        )
    });
    r.one(
        "the published-release manifest is damaged: the record `media-a` is out of order (after the record `media-b`)",
        "releases/0.1.0.manifest",
        7,
        1,
    );
}

#[test]
fn a_manifest_under_another_versions_name_is_located() {
    let r = validate(|d| write(d, "releases/0.2.0.manifest", &manifest("0.1.0", &[])));
    r.one(
        "the manifest of version 0.1.0 is named `0.2.0.manifest`",
        "releases/0.2.0.manifest",
        2,
        1,
    );
}

#[test]
fn a_withdrawn_id_is_not_reused_even_two_versions_later() {
    let id = "media-1992-02-28-washington-post-victims-buried";
    let r = validate(|d| {
        write(
            d,
            "releases/0.1.0.manifest",
            &manifest("0.1.0", &[id, "other"]),
        );
        write(d, "releases/0.2.0.manifest", &manifest("0.2.0", &["other"]));
        write(
            d,
            "releases/0.3.0.manifest",
            &manifest("0.3.0", &["other", "third"]),
        );
    });
    r.one(
        &format!("the id `{id}` belonged to a record withdrawn in version 0.2.0"),
        RECORD,
        1,
        6,
    );
}

#[test]
fn an_escape_sequence_in_a_title_is_rejected_and_not_printed() {
    let r = validate(|d| {
        edit(
            d,
            RECORD,
            "title = \"Nagorno",
            "title = \"\\u001B[2JNagorno",
        )
    });
    r.one(
        "the text contains the control character U+001B (ESC) in `title`",
        RECORD,
        3,
        10,
    );
}

#[test]
fn a_nul_in_a_kind_field_is_rejected() {
    let r = validate(|d| edit(d, RECORD, "byline = \"By", "byline = \"\\u0000By"));
    r.one(
        "the control character U+0000 (NUL) in `media_item.byline`",
        RECORD,
        28,
        11,
    );
}

#[test]
fn a_bidi_override_is_rejected_and_shown_visibly() {
    let r = validate(|d| {
        edit(
            d,
            RECORD,
            "place = \"Washington",
            "place = \"\u{202e}Washington",
        )
    });
    r.one("U+202E (RIGHT-TO-LEFT OVERRIDE)", RECORD, 7, 10);
    assert!(r.stderr.contains("is stored in `place`"), "{}", r.stderr);
    assert!(r.stderr.contains('\u{fffd}'), "{}", r.stderr);
}

#[test]
fn a_crlf_record_with_curly_quotes_is_located_without_panicking() {
    let r = validate(|d| {
        let path = d.join(RECORD);
        let text = std::fs::read_to_string(&path).expect("read");
        let text = text.replacen("“for being Muslims”.\n", "“for being Muslims”. \n", 1);
        std::fs::write(&path, text.replace('\n', "\r\n")).expect("write");
    });
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("[text-hygiene]"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{RECORD}:")), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

// --- diff and cite on damaged releases ---------------------------------------------------

/// A minimal release directory: datapackage.json and data/records.jsonl.
fn release(lines: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "datapackage.json",
        r#"{"name":"x","title":"X","version":"0.1.0","created":"2026-11-22T00:00:00Z"}"#,
    );
    write(
        dir.path(),
        "data/records.jsonl",
        &format!("{}\n", lines.join("\n")),
    );
    dir
}

#[test]
fn diff_refuses_a_release_with_a_duplicate_id_line() {
    let old = release(&[r#"{"id":"a","title":"A"}"#]);
    let new = release(&[r#"{"id":"a","title":"A"}"#, r#"{"id":"a","title":"B"}"#]);
    let out = khojaly()
        .arg("diff")
        .arg(old.path())
        .arg(new.path())
        .output()
        .expect("run khojaly");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // A damaged input is a failure of the run (2), not a difference (1).
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .contains("records.jsonl:2:1: the record `a` appears a second time (first on line 1)"),
        "{stderr}"
    );
}

#[test]
fn cite_never_prints_raw_escape_sequences() {
    // A complete record (cite reads every field of it) with a hostile title.
    let dir = release(&[
        r#"{"id":"a","kind":"compiler_text","title":"Evil \u001b[31mred\u202e title","body":"x","language":"en","text_status":"mentioned_only","appearances":[{"compilation":"c","section":"S","lines":[1,2]}],"compiler_text":{}}"#,
    ]);
    let out = khojaly()
        .arg("cite")
        .arg("a")
        .arg("--release")
        .arg(dir.path())
        .output()
        .expect("run khojaly");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("Evil \\u{1b}[31mred\\u{202e} title"),
        "{stdout}"
    );
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{202e}'),
        "{stdout:?}"
    );
}

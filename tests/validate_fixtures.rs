//! Every validation rule against a broken fixture: exit code 1 and the exact message, snapshotted.
//!
//! tests/fixtures/base is a valid data directory (one real record on a 30-line excerpt of the
//! first compilation); tests/fixtures/broken/<case>/ breaks one rule each (see common::fixture_data).

mod common;

use common::{fixture_data, khojaly};

fn validate_output(case: Option<&str>, extra: &[&str]) -> (i32, String, String) {
    let data = fixture_data(case);
    let out = khojaly()
        .arg("validate")
        .arg("--data")
        .arg(data.path())
        .args(extra)
        .output()
        .expect("run khojaly");
    let root = data.path().display().to_string();
    let clean = |b: &[u8]| String::from_utf8_lossy(b).replace(&root, "[DATA]");
    (
        out.status.code().unwrap_or(-1),
        clean(&out.stdout),
        clean(&out.stderr),
    )
}

#[test]
fn the_base_fixture_is_valid() {
    let (code, stdout, stderr) = validate_output(None, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("1 record, no problems"), "{stderr}");
}

macro_rules! broken {
    ($($name:ident => $case:literal, $rule:literal;)*) => {$(
        #[test]
        fn $name() {
            let (code, _, stderr) = validate_output(Some($case), &[]);
            assert_eq!(code, 1, "{stderr}");
            assert!(stderr.contains(concat!("[", $rule, "]")), "expected rule {}:\n{stderr}", $rule);
            assert!(!stderr.contains("panicked"), "{stderr}");
            insta::assert_snapshot!($case, stderr);
        }
    )*};
}

broken! {
    fidelity_dropped_number => "fidelity-dropped-number", "fidelity";
    fidelity_dropped_paragraph => "fidelity-dropped-paragraph", "fidelity";
    layout_token => "layout-token", "layout-token";
    omission => "omission", "omission";
    completeness => "completeness", "completeness";
    claim_quote => "claim-quote", "claim";
    claim_value => "claim-value", "claim";
    figure_coverage => "figure-coverage", "figure-coverage";
    not_figure => "not-figure", "not-figure";
    toml_syntax => "toml-syntax", "toml-syntax";
    agents_syntax => "agents-syntax", "toml-syntax";
    unknown_field => "unknown-field", "unknown-field";
    missing_field => "missing-field", "missing-field";
    dataset_field => "dataset-field", "missing-field";
    wrong_type => "wrong-type", "wrong-type";
    agent_type => "agent-type", "wrong-type";
    id_format => "id-format", "id-format";
    file_name => "file-name", "file-name";
    kind_folder => "kind-folder", "kind-folder";
    duplicate_id => "duplicate-id", "duplicate-id";
    stray_file => "stray-file", "stray-file";
    edtf_month => "edtf-month", "edtf";
    edtf_day => "edtf-day", "edtf";
    language_tag => "language-tag", "language-tag";
    url => "url", "url";
    unknown_agent => "unknown-agent", "unknown-agent";
    unused_agent => "unused-agent", "unused-agent";
    agent_name => "agent-name", "agent-name";
    agent_printed => "agent-printed", "agent-printed";
    private_person_authority => "agent-printed", "private-person-authority";
    claim_attribution => "claim-attribution", "claim-attribution";
    claim_qualifier => "claim-qualifier", "claim-qualifier";
    claim_unit => "claim-unit", "claim-unit";
    claim_reference => "claim-reference", "claim-reference";
    unknown_compilation => "unknown-compilation", "unknown-compilation";
    part_of => "part-of", "part-of";
    line_span => "line-span", "line-span";
    text_hygiene_nfc => "text-hygiene-nfc", "text-hygiene";
    text_hygiene_tab => "text-hygiene-tab", "text-hygiene";
    text_hygiene_trailing_space => "text-hygiene-trailing-space", "text-hygiene";
    transcription_sha256 => "transcription-sha256", "transcription-sha256";
    missing_file => "missing-file", "transcription";
    encoding => "encoding", "encoding";
    fidelity => "fidelity", "fidelity";
    emendation => "emendation", "emendation";
    text_status => "text-status", "text-status";
    absent_reason => "absent-reason", "absent-reason";
    many_problems => "many-problems", "fidelity";
    crlf_curly_quotes => "crlf-curly-quotes", "text-hygiene";
    crlf_line_ends => "crlf-curly-quotes", "line-ends";
    control_character => "control-character", "text-hygiene";
    c1_control_in_table => "c1-control-in-table", "text-hygiene";
    bidi_override => "bidi-override", "text-hygiene";
    id_date => "id-date", "id-date";
    id_date_undated => "id-date-undated", "id-date";
    id_reused => "id-reused", "id-reused";
    release_manifest => "release-manifest", "release-manifest";
    record_syntax_part_of => "record-syntax-part-of", "toml-syntax";
    compilation_syntax => "compilation-syntax", "toml-syntax";
    kind_table_unknown_key => "kind-table-unknown-key", "unknown-field";
    text_status_value => "text-status-value", "wrong-type";
    toml_date => "toml-date", "toml-datetime";
    u32_overflow => "u32-overflow", "wrong-type";
    i64_overflow => "i64-overflow", "wrong-type";
    deep_nesting => "deep-nesting", "toml-syntax";
    jurisdiction => "jurisdiction", "jurisdiction";
    claim_as_printed => "claim-as-printed", "claim-as-printed";
    dataset_name => "dataset-name", "dataset";
    kind_value => "kind-value", "kind";
    private_person_type => "private-person-type", "private-person-type";
    missing_dataset => "missing-dataset", "missing-file";
}

/// One fault, one error: a broken file is reported once, not again by every file that names it.
#[test]
fn one_fault_gives_one_error() {
    for case in [
        "agents-syntax",
        "agent-type",
        "record-syntax-part-of",
        "compilation-syntax",
        "release-manifest",
        "toml-date",
    ] {
        let (code, _, stderr) = validate_output(Some(case), &[]);
        assert_eq!(code, 1, "{case}: {stderr}");
        assert!(stderr.contains("1 problem in 1 file"), "{case}: {stderr}");
    }
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let (code, _, stderr) = validate_output(Some("many-problems"), &[]);
    assert_eq!(code, 1);
    for rule in ["[edtf]", "[unknown-agent]", "[language-tag]", "[fidelity]"] {
        assert!(stderr.contains(rule), "missing {rule}:\n{stderr}");
    }
    assert!(stderr.contains("4 problems in 1 file"), "{stderr}");
}

#[test]
fn json_report_lists_rule_file_line_and_column() {
    let (code, stdout, _) = validate_output(Some("edtf-month"), &["--format", "json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    insta::assert_json_snapshot!("edtf-month-json", report);
}

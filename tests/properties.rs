//! Property-based tests: the parsers that read untrusted bytes never panic.
//!
//! - the TOML loader (`SpannedDocument::parse`) and the whole record validation path, on
//!   arbitrary bytes and on structure-aware mutations of a real record file;
//! - the EDTF parser, on arbitrary strings and on strings built from EDTF's own pieces;
//! - the bag manifest parser behind `khojaly verify`, on arbitrary manifest files;
//! - the two-way aligner of the fidelity proof (no panic on any declarations; the printed words
//!   align, and any word dropped from or added to them is rejected, in linear steps) and the
//!   figure reader of the claims.
//!
//! Each property runs 10,000 cases by default (about 40 s for all of them in a debug build on
//! two cores, which CI affords); set `KHOJALY_PROPTEST_CASES` for a longer run, e.g.
//! `KHOJALY_PROPTEST_CASES=1000000 cargo test --release --locked --test properties`. A failure
//! prints the smallest input that fails (shrunk).

mod common;

use std::path::Path;
use std::sync::OnceLock;

use khojaly::DataDir;
use khojaly::internals::{SourceFile, SpannedDocument};
use khojaly::model::edtf;
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Cases per property: 10,000 unless `KHOJALY_PROPTEST_CASES` (or proptest's own
/// `PROPTEST_CASES`) says otherwise.
fn cases(default: u32) -> u32 {
    ["KHOJALY_PROPTEST_CASES", "PROPTEST_CASES"]
        .iter()
        .find_map(|k| std::env::var(k).ok().and_then(|v| v.parse().ok()))
        .unwrap_or(default)
}

fn config(default: u32) -> Config {
    Config {
        cases: cases(default),
        // Shrinking stays bounded, so a failure is reported in reasonable time.
        max_shrink_iters: 2_000,
        // No failure-persistence files: this is a test of the parsers, not a corpus.
        failure_persistence: None,
        ..Config::default()
    }
}

/// The real record of the base fixture, the seed of the structure-aware mutations.
fn seed() -> &'static str {
    static SEED: OnceLock<String> = OnceLock::new();
    SEED.get_or_init(|| {
        std::fs::read_to_string(common::repo().join(
            "tests/fixtures/base/records/media_item/media-1992-02-28-washington-post-victims-buried.toml",
        ))
        .expect("read the base record")
    })
}

/// Pieces that TOML and our records are made of, for mutations that keep files nearly valid.
const TOKENS: &[&str] = &[
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    "\n",
    "\r\n",
    "\\",
    "\\u",
    "#",
    ".",
    "-",
    "1992-02-28",
    "99999999999",
    "-1",
    "1e400",
    "nan",
    "true",
    "\u{0}",
    "\u{1b}",
    "\u{202e}",
    "é",
    "“",
    "”",
    "🙂",
    "\u{feff}",
    "[media_item]",
    "[[appearances]]",
    "lines = [",
    "text_status = ",
    "date = ",
    "kind = \"testimony\"",
    "part_of = ",
    "x = 1",
    "\t",
    " ",
];

/// A mutation of the seed: splice, delete, duplicate or insert TOML pieces at byte positions
/// (moved to character boundaries).
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Bytes(usize, Vec<u8>),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Edit::Insert(at, t)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), 1usize..200).prop_map(|(at, n)| Edit::Duplicate(at, n)),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, b)| Edit::Bytes(at, b)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Insert(at, t) => {
                let at = at % len;
                let token = TOKENS.get(*t).copied().unwrap_or_default();
                bytes.splice(at..at, token.bytes());
            }
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            Edit::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let copy: Vec<u8> = bytes.get(at..end).unwrap_or_default().to_vec();
                bytes.splice(end..end, copy);
            }
            Edit::Bytes(at, b) => {
                let at = at % len;
                bytes.splice(at..at, b.iter().copied());
            }
        }
    }
    bytes
}

/// Parsing and locating never panics, and every location is inside the text.
fn parse_and_locate(text: &str) {
    let source = SourceFile::new("x.toml".into(), text.to_string());
    match SpannedDocument::parse(text) {
        Ok(doc) => {
            for loc in doc.locations().values() {
                assert!(loc.value.end <= text.len(), "value span past the end");
                let _ = source.line_col(loc.value.start);
            }
        }
        Err(errors) => {
            for e in errors {
                if let Some(span) = e.span {
                    assert!(span.start <= text.len(), "error span past the end");
                    let _ = source.line_col(span.start);
                }
            }
        }
    }
}

/// A data directory (the base fixture) whose one record file the record properties overwrite.
struct Scratch {
    _dir: tempfile::TempDir,
    data: DataDir,
    record: std::path::PathBuf,
}

fn scratch() -> Scratch {
    let dir = common::fixture_data(None);
    let data = DataDir::new(dir.path());
    let record = dir
        .path()
        .join("records/media_item/media-1992-02-28-washington-post-victims-buried.toml");
    Scratch {
        _dir: dir,
        data,
        record,
    }
}

/// The whole validation path on one record file: never a panic, never a failure of the tool
/// (a fault of the file is a reported problem, not an error of the run), and every problem
/// renders (as text and as JSON).
fn validate_record(s: &Scratch, bytes: &[u8]) {
    std::fs::write(&s.record, bytes).expect("write the record");
    let (_, problems) = khojaly::validate(&s.data).expect("validation runs");
    let renderer = annotate_snippets::Renderer::plain();
    let _ = problems.render(&renderer);
    let _ = problems.to_json();
}

#[test]
fn toml_loader_on_arbitrary_bytes() {
    proptest!(config(10_000), |(bytes in proptest::collection::vec(any::<u8>(), 0..512))| {
        parse_and_locate(&String::from_utf8_lossy(&bytes));
    });
}

#[test]
fn toml_loader_on_mutated_records() {
    proptest!(config(10_000), |(edits in proptest::collection::vec(edit(), 1..6))| {
        let bytes = apply(seed(), &edits);
        parse_and_locate(&String::from_utf8_lossy(&bytes));
    });
}

#[test]
fn record_validation_on_mutated_records() {
    let s = scratch();
    proptest!(config(10_000), |(edits in proptest::collection::vec(edit(), 1..6))| {
        validate_record(&s, &apply(seed(), &edits));
    });
}

#[test]
fn record_validation_on_arbitrary_bytes() {
    let s = scratch();
    proptest!(config(10_000), |(bytes in proptest::collection::vec(any::<u8>(), 0..256))| {
        validate_record(&s, &bytes);
    });
}

/// Strings made of EDTF's own pieces reach deep into the parser.
fn edtf_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("1992".to_string()),
        Just("-".to_string()),
        Just("/".to_string()),
        Just("..".to_string()),
        Just("X".to_string()),
        Just("XX".to_string()),
        Just("?".to_string()),
        Just("~".to_string()),
        Just("%".to_string()),
        Just("02".to_string()),
        Just("29".to_string()),
        Just("21".to_string()),
        Just("é".to_string()),
        (0u32..100_000).prop_map(|n| n.to_string()),
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

fn check_edtf(s: &str) {
    if let Ok(e) = edtf::parse(s)
        && let (Some(a), Some(b)) = (e.start, e.end)
    {
        assert!(a <= b, "{s}: start {a} after end {b}");
        let _ = edtf::civil_from_days(a);
        let _ = edtf::civil_from_days(b);
    }
}

#[test]
fn edtf_parser_on_arbitrary_strings() {
    proptest!(config(10_000), |(s in any::<String>())| {
        check_edtf(&s);
    });
}

#[test]
fn edtf_parser_on_edtf_like_strings() {
    proptest!(config(10_000), |(s in edtf_like())| {
        check_edtf(&s);
    });
}

/// A minimal bag with one payload file, whose manifest is replaced by arbitrary bytes.
fn verify_with_manifest(dir: &Path, manifest: &[u8]) {
    std::fs::write(dir.join("manifest-sha256.txt"), manifest).expect("write manifest");
    // `verify` may report problems or fail with an error; it must not panic.
    let _ = khojaly::verify(dir);
}

fn bag() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("data")).expect("payload dir");
    std::fs::write(dir.path().join("data/a.txt"), "a\n").expect("payload");
    std::fs::write(
        dir.path().join("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )
    .expect("bagit.txt");
    std::fs::write(dir.path().join("bag-info.txt"), "Payload-Oxum: 2.1\n").expect("bag-info");
    dir
}

/// Manifest lines built from the pieces a manifest is made of.
fn manifest_like() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        Just(
            "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7  data/a.txt"
                .to_string()
        ),
        Just("00  data/a.txt".to_string()),
        Just("x  ../outside".to_string()),
        Just("x  /etc/passwd".to_string()),
        Just("x  data/%0A%25".to_string()),
        Just("x  data/".to_string()),
        Just("x  data".to_string()),
        Just("x".to_string()),
        Just(String::new()),
        Just(" \t ".to_string()),
        "[0-9a-f ]{0,70}".prop_map(|s| format!("{s}  data/a.txt")),
        any::<String>(),
    ];
    proptest::collection::vec(line, 0..6).prop_map(|v| v.join("\n").into_bytes())
}

#[test]
fn bag_manifest_parser_on_arbitrary_bytes() {
    let dir = bag();
    proptest!(config(10_000), |(bytes in proptest::collection::vec(any::<u8>(), 0..300))| {
        verify_with_manifest(dir.path(), &bytes);
    });
}

#[test]
fn bag_manifest_parser_on_manifest_like_lines() {
    let dir = bag();
    proptest!(config(10_000), |(bytes in manifest_like())| {
        verify_with_manifest(dir.path(), &bytes);
    });
}

// The two-way aligner (fidelity proof): never panics, always rejects a text missing or adding a
// word, and does a bounded number of comparisons per printed token.

use khojaly::internals::Transcription;
use khojaly::internals::alignment::{self, Declared, Piece, PieceKind};
use khojaly::model::record::{LayoutKind, LayoutToken};

/// A printed page: words from a small vocabulary (so that repetitions abound, the hard case for
/// alignment), digits, hyphenated line ends, split into lines.
fn page() -> impl Strategy<Value = Vec<Vec<String>>> {
    let word = prop_oneof![
        Just("the".to_string()),
        Just("town".to_string()),
        Just("27".to_string()),
        Just("recon-".to_string()),
        Just("struction".to_string()),
        Just("“were".to_string()),
        Just("killed”.1".to_string()),
        "[a-zé]{1,6}",
    ];
    proptest::collection::vec(proptest::collection::vec(word, 0..8), 1..12)
}

fn text_of(page: &[Vec<String>]) -> String {
    page.iter()
        .map(|l| l.join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn aligner_never_panics_on_arbitrary_declarations() {
    proptest!(config(10_000), |(
        printed in page(),
        text in "[a-z0-9 “”.-]{0,60}",
        layout in proptest::collection::vec((0u32..20, "[0-9a-z.”]{0,4}", proptest::option::of("[0-9]{0,2}"), proptest::option::of(0u32..3)), 0..4),
        lines in proptest::collection::vec((0u32..20, 0u32..20), 0..3),
    )| {
        let t = Transcription::new(&text_of(&printed));
        let tokens: Vec<LayoutToken> = layout
            .into_iter()
            .map(|(line, printed, suffix, occurrence)| LayoutToken { line, printed, suffix, occurrence, kind: LayoutKind::Other })
            .collect();
        let ranges: Vec<[u32; 2]> = lines.iter().map(|(a, b)| [*a, *b]).collect();
        let omitted: Vec<(usize, [u32; 2])> = lines.iter().enumerate().map(|(k, (a, b))| (k, [*b, *a])).collect();
        let pieces = vec![Piece::new(PieceKind::Text, &text), Piece::optional(PieceKind::Section, "the town")];
        let span = t.span(1, t.line_count().max(1));
        let a = alignment::align(span, &pieces, Declared { layout_lines: &ranges, layout_tokens: &tokens, omitted_lines: &omitted });
        prop_assert_eq!(a.roles.len(), span.len());
    });
}

#[test]
fn aligner_accepts_the_printed_words_and_rejects_any_word_dropped_or_added() {
    proptest!(config(10_000), |(printed in page(), pick in any::<prop::sample::Index>(), extra in "[a-z]{1,5}")| {
        let t = Transcription::new(&text_of(&printed));
        let span = t.span(1, t.line_count().max(1));
        let words: Vec<&str> = span.iter().map(|p| p.text.as_str()).collect();
        prop_assume!(!words.is_empty());
        let whole = words.join(" ");
        let ok = alignment::align(span, &[Piece::new(PieceKind::Text, &whole)], Declared::default());
        prop_assert!(ok.error.is_none(), "the printed words themselves: {:?}", ok.error);
        prop_assert!(ok.steps <= 2 * span.len() as u64 + 64, "{} steps for {} tokens", ok.steps, span.len());

        let k = pick.index(words.len());
        let dropped: Vec<&str> = words.iter().enumerate().filter(|(i, _)| *i != k).map(|(_, w)| *w).collect();
        if !dropped.is_empty() {
            let a = alignment::align(span, &[Piece::new(PieceKind::Text, &dropped.join(" "))], Declared::default());
            prop_assert!(a.error.is_some(), "word {k} (`{}`) dropped from `{whole}` was accepted", words[k]);
        }
        let mut added = words.clone();
        added.insert(k, &extra);
        let a = alignment::align(span, &[Piece::new(PieceKind::Text, &added.join(" "))], Declared::default());
        prop_assert!(a.error.is_some(), "`{extra}` added at {k} to `{whole}` was accepted");
    });
}

#[test]
fn figure_reader_never_panics() {
    proptest!(config(10_000), |(s in any::<String>(), words in "(about |over |up to |between )?[0-9, ]{0,12}( (to|and|or) [0-9,]{1,8})?")| {
        let _ = khojaly::model::figure::read(&s);
        let _ = khojaly::model::figure::mentions(&s);
        let _ = khojaly::model::figure::dates(&s);
        if let Some(r) = khojaly::model::figure::read(&words)
            && let (Some(lo), Some(hi)) = (r.low, r.high)
        {
            prop_assert!(lo <= hi, "`{words}` read as {lo}..{hi}");
        }
    });
}

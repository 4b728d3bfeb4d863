//! A second corpus (examples/harbour-society, self-written, on another subject) validates and
//! releases with the same binary, and nothing of this corpus's prose reaches its release.

mod common;

use std::path::Path;

use common::{copy_tree, khojaly, repo};

/// Words that belong to the bundled corpus and must never appear in another corpus's release:
/// its subject, places and the publishers of its sources. (The program is still named
/// `khojaly`, in lower case, where a release names the software that wrote it.)
const BUNDLED_CORPUS_WORDS: [&str; 6] = [
    "Khojaly",
    "KHOJALY",
    "Azerbaij",
    "Karabakh",
    "Armenia",
    "25–26 February 1992",
];

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn the_example_corpus_validates_and_releases_without_the_bundled_corpus_prose() {
    // A copy, so that the release's new manifest is not written into the repository.
    let data = tempfile::tempdir().expect("tempdir");
    copy_tree(&repo().join("examples/harbour-society"), data.path());
    khojaly()
        .args(["validate", "--data"])
        .arg(data.path())
        .assert()
        .success();
    let out = tempfile::tempdir().expect("tempdir");
    khojaly()
        .args(["release", "--quiet", "--data"])
        .arg(data.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let release = out.path().join("harbour-society-sample-corpus-0.1.0");
    assert!(release.join("data/records.parquet").is_file());
    assert!(release.join("site/index.html").is_file());

    let mut all = Vec::new();
    files(&release, &mut all);
    assert!(all.len() > 100, "{} files", all.len());
    let mut found = Vec::new();
    for file in &all {
        let bytes = std::fs::read(file).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        for word in BUNDLED_CORPUS_WORDS {
            if text.contains(word) {
                found.push(format!("{}: {word}", file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the bundled corpus's prose in another corpus's release:\n{}",
        found.join("\n")
    );

    // Its own prose is there instead.
    let card = std::fs::read_to_string(release.join("README.md")).expect("card");
    assert!(
        card.contains("Harbour Garden Society Sample Corpus 0.1.0"),
        "{card}"
    );
    assert!(
        card.contains("Everything in the pamphlet is invented"),
        "{card}"
    );
    assert!(
        !card.contains("also distributed as"),
        "archives = [] writes none: {card}"
    );
    let about = std::fs::read_to_string(release.join("site/about.html")).expect("about");
    assert!(
        about.contains("documents printed in one invented pamphlet"),
        "{about}"
    );
    assert!(release.join("data/claims-killed.svg").is_file());
}

#[test]
fn the_bundled_corpus_prose_is_in_its_data_not_in_the_program() {
    let dataset = std::fs::read_to_string(repo().join("data/dataset.toml")).expect("dataset.toml");
    assert!(dataset.contains("[corpus]"));
    // The places that said it in code now read it from there.
    for file in [
        "src/package/metadata/card.rs",
        "src/package/chart.rs",
        "src/package/site/layout.rs",
        "src/package/site/listing.rs",
        "src/package/site/about.rs",
        "src/package/site/claims.rs",
        "src/model/schema.rs",
        "src/model/claim.rs",
        "src/export/tables/claims.rs",
    ] {
        let code = std::fs::read_to_string(repo().join(file)).expect("source");
        for word in BUNDLED_CORPUS_WORDS {
            assert!(!code.contains(word), "{file} says {word}");
        }
    }
}

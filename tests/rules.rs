//! Every validation rule has a stable code, a broken fixture that triggers it, and a line in
//! CURATING.md: the registry (src/validate/rule.rs) is checked against both.

use khojaly::Rule;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .expect("a file of the repository")
}

#[test]
fn every_rule_has_a_fixture() {
    let fixtures = read("tests/validate_fixtures.rs");
    // Links and special files cannot be committed as fixtures: tests/hostile.rs makes them.
    let hostile = read("tests/hostile.rs");
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.id())
        .filter(|id| {
            !fixtures.contains(&format!(", \"{id}\";")) && !hostile.contains(&format!("[{id}]"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a broken fixture (tests/fixtures/broken/ and the broken! list of tests/validate_fixtures.rs): {missing:?}"
    );
}

#[test]
fn every_rule_has_a_line_in_curating() {
    let curating = read("CURATING.md");
    let missing: Vec<String> = Rule::ALL
        .iter()
        .map(|r| format!("| {} | `{}` | {} |", r.code(), r.id(), r.summary()))
        .filter(|line| !curating.lines().any(|l| l == line))
        .collect();
    assert!(
        missing.is_empty(),
        "CURATING.md's Rules table lacks or differs from these lines:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_fixture_names_a_rule() {
    let fixtures = read("tests/validate_fixtures.rs");
    for line in fixtures.lines().filter(|l| l.contains(" => \"")) {
        let rule = line
            .trim_end_matches(';')
            .rsplit(", ")
            .next()
            .map(|r| r.trim_matches('"'))
            .unwrap_or("");
        assert!(
            Rule::ALL.iter().any(|r| r.id() == rule),
            "{line}: `{rule}` is no rule of src/validate/rule.rs"
        );
    }
}

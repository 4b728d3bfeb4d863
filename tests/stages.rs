//! Data flows one way through the stages: no module imports from a stage above its own.

use std::path::Path;

/// The stages in the order data flows through them; each may use only those before it.
const STAGES: [&str; 8] = [
    "model", "load", "compare", "validate", "export", "package", "serve", "cli",
];

fn rank(stage: &str) -> Option<usize> {
    STAGES.iter().position(|s| *s == stage)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::<stage>` named in code (comments aside) of a file in stage `own`.
fn upward_imports(own: usize, text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices("crate::") {
            let after = &code[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if let Some(r) = rank(&name)
                && r > own
            {
                found.push((n + 1, format!("crate::{name}")));
            }
        }
    }
    found
}

#[test]
fn no_stage_imports_from_a_stage_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for stage in STAGES {
        let mut files = Vec::new();
        rust_files(&src.join(stage), &mut files);
        assert!(!files.is_empty(), "src/{stage}/ holds no Rust file");
        let own = rank(stage).expect("a stage");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a readable source file");
            for (line, import) in upward_imports(own, &text) {
                violations.push(format!("{}:{line}: {import}", file.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports from a later stage (the order is {}):\n{}",
        STAGES.join(" -> "),
        violations.join("\n")
    );
}

#[test]
fn an_upward_import_is_found() {
    let text = "use crate::model::Record;\nuse crate::package::versions; // not model\n// crate::cli in a comment\n";
    assert_eq!(
        upward_imports(rank("load").unwrap(), text),
        vec![(2, "crate::package".to_string())]
    );
}

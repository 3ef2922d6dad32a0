//! The project's own documentation: every finding code is explained for clerks, and nothing a
//! user reads points at a file outside the repository.

use crate::common;

/// The variants of `enum Code` in src/core/findings.rs, as their JSON names (snake_case).
fn codes() -> Vec<String> {
    let src = std::fs::read_to_string(common::root().join("src/core/findings.rs")).unwrap();
    let body = src.split("pub enum Code {").nth(1).unwrap();
    let body = &body[..body.find('}').unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.is_empty())
        .map(|l| l.trim_end_matches(','))
        .map(|v| {
            let mut s = String::new();
            for (i, c) in v.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    s.push('_');
                }
                s.push(c.to_ascii_lowercase());
            }
            s
        })
        .collect()
}

#[test]
fn every_finding_code_is_explained() {
    let codes = codes();
    assert!(codes.len() >= 32, "{codes:?}");
    // The parse agrees with the serialized names.
    assert!(codes.contains(&liaison::core::findings::Code::TotalNotVerified.as_str()));
    assert!(codes.contains(&liaison::core::findings::Code::LedgerDateOutside.as_str()));
    let doc = std::fs::read_to_string(common::root().join("docs/审核意见说明.md")).unwrap();
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !doc.contains(&format!("| `{c}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "not in docs/审核意见说明.md: {missing:?}"
    );
}

#[test]
fn no_citation_of_a_spec_outside_the_repository() {
    let r = common::root();
    for f in [
        "README.md",
        "docs/审核意见说明.md",
        "docs/报表填写说明.md",
        "docs/档案说明.md",
        "docs/每月流程.md",
        "config/changsha.toml",
    ] {
        let text = std::fs::read_to_string(r.join(f)).unwrap();
        assert!(!text.contains("SPEC") && !text.contains('§'), "{f}");
    }
    for args in [&["--help"][..], &["check", "--help"], &["report", "--help"]] {
        let (_, out, _) = common::run(&r, args, &r.join("docs"));
        assert!(
            !out.contains("SPEC") && !out.contains('§'),
            "{args:?}: {out}"
        );
    }
}

/// The chart files as a clerk looks for them are named where a clerk reads (README, the
/// archive guide); the notebook's command in the README is the one CI runs, with everything
/// it needs pinned.
#[test]
fn chart_names_and_the_notebook_command_are_documented() {
    let r = common::root();
    let readme = std::fs::read_to_string(r.join("README.md")).unwrap();
    let guide = std::fs::read_to_string(r.join("docs/档案说明.md")).unwrap();
    for name in liaison::report::charts::file_names(&liaison::config::Config::embedded()) {
        assert!(readme.contains(&format!("`{name}`")), "README: {name}");
        assert!(
            guide.contains(&format!("`{name}`")),
            "docs/档案说明.md: {name}"
        );
    }
    for text in [&readme, &guide] {
        assert!(text.contains("超期未办结意见建议清单.xlsx"));
    }
    let command = "python3 -m jupyter nbconvert --to html --execute notebooks/compare_towns.ipynb";
    assert!(readme.contains(command), "README: {command}");
    let ci = std::fs::read_to_string(r.join(".ci/run_notebook.py")).unwrap();
    assert!(
        ci.contains("'-m', 'jupyter', 'nbconvert', '--to', 'html', '--execute',")
            && ci.contains("'notebooks/compare_towns.ipynb'"),
        "CI runs the README's command"
    );
    let pins = std::fs::read_to_string(r.join("notebooks/requirements.txt")).unwrap();
    for p in ["polars==", "duckdb==", "nbconvert==", "ipykernel=="] {
        assert!(pins.contains(p), "notebooks/requirements.txt: {p}");
    }
    // The notebook speaks Chinese to its reader: its prose, and its tables' columns.
    let nb = std::fs::read_to_string(r.join("notebooks/compare_towns.ipynb")).unwrap();
    let nb: serde_json::Value = serde_json::from_str(&nb).unwrap();
    for cell in nb["cells"].as_array().unwrap() {
        let src: String = match &cell["source"] {
            serde_json::Value::Array(v) => v.iter().filter_map(|x| x.as_str()).collect(),
            v => v.as_str().unwrap_or_default().to_string(),
        };
        if cell["cell_type"] == "markdown" {
            let han = src
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count();
            let latin = src.chars().filter(|c| c.is_ascii_alphabetic()).count();
            assert!(han > latin / 2, "prose in Chinese: {src}");
        }
    }
}

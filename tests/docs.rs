//! The project's own documentation: every finding code is explained for clerks, and nothing a
//! user reads points at a file outside the repository.

mod common;

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

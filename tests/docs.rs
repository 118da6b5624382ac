//! `docs/rules.md` is generated from the rule definitions; this test fails when they differ.
//! Regenerate with `HIVEAUDIT_REGENERATE_DOCS=1 cargo test --test docs`.

use std::path::Path;

#[test]
fn rules_doc_matches_the_rule_definitions() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let generated = hiveaudit::rules::catalogue_markdown();
    if std::env::var_os("HIVEAUDIT_REGENERATE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("write docs/rules.md");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is out of date; run HIVEAUDIT_REGENERATE_DOCS=1 cargo test --test docs"
    );
}

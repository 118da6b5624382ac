//! `hiveaudit rules` and `docs/rules.md`: the rule catalogue printed from the rule data.

use std::io::{self, Write};

use serde::Serialize;

use super::{Rule, all_rules};

/// One rule as listed.
#[derive(Serialize)]
struct Listed {
    id: &'static str,
    severity: &'static str,
    confidence: &'static str,
    title: &'static str,
    source: &'static str,
    reads: String,
}

impl Listed {
    fn of(rule: &Rule) -> Self {
        Listed {
            id: rule.id,
            severity: rule.severity.label(),
            confidence: rule.confidence.label(),
            title: rule.title,
            source: rule.source,
            reads: rule
                .reads
                .iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// Formats of `hiveaudit rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    /// An aligned text table.
    Table,
    /// RFC 4180 CSV.
    Csv,
    /// JSON Lines.
    Jsonl,
}

/// Writes the rule catalogue to `out` in `format`.
pub fn print_catalogue(format: RulesFormat, out: &mut impl Write) -> io::Result<()> {
    match format {
        RulesFormat::Table => write_table(out),
        RulesFormat::Csv => write_csv(out),
        RulesFormat::Jsonl => write_jsonl(out),
    }
}

fn write_table(out: &mut impl Write) -> io::Result<()> {
    let id_width = all_rules().map(|r| r.id.len()).max().unwrap_or(2);
    writeln!(
        out,
        "{:id_width$}  {:8}  {:10}  TITLE / SOURCE",
        "ID", "SEVERITY", "CONFIDENCE"
    )?;
    for rule in all_rules() {
        writeln!(
            out,
            "{:id_width$}  {:8}  {:10}  {}",
            rule.id,
            rule.severity.label(),
            rule.confidence.label(),
            rule.title
        )?;
        writeln!(
            out,
            "{:id_width$}  {:8}  {:10}  source: {}",
            "", "", "", rule.source
        )?;
    }
    Ok(())
}

fn write_csv(out: &mut impl Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    for rule in all_rules() {
        writer.serialize(Listed::of(rule))?;
    }
    writer.flush()
}

fn write_jsonl(out: &mut impl Write) -> io::Result<()> {
    for rule in all_rules() {
        serde_json::to_writer(&mut *out, &Listed::of(rule))?;
        writeln!(out)?;
    }
    Ok(())
}

/// The catalogue as the Markdown of `docs/rules.md`.
pub fn catalogue_markdown() -> String {
    let mut doc = String::from(
        "# Rules\n\nGenerated from the rule definitions in `src/rules/catalogue.rs` \
         (`hiveaudit rules` prints the same list); do not edit by hand. Regenerate with \
         `HIVEAUDIT_REGENERATE_DOCS=1 cargo test --test docs`.\n",
    );
    for rule in all_rules() {
        let reads: Vec<String> = rule.reads.iter().map(|s| format!("`{}`", s.id)).collect();
        doc.push_str(&format!(
            "\n## {} — {}\n\n- Severity: {}\n- Confidence: {}\n- Reads: {}\n- Source: {}\n\n{}\n\n\
             **Remediation:** {}\n",
            rule.id,
            rule.title,
            rule.severity.label(),
            rule.confidence.label(),
            if reads.is_empty() {
                "hive load state".to_string()
            } else {
                reads.join(", ")
            },
            rule.source,
            rule.explanation,
            rule.remediation
        ));
    }
    doc
}

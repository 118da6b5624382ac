//! The rules: prompt-causing combinations, each defined once with its source.
//!
//! A [`Rule`] is data (id, severity, confidence, texts, source, the settings it reads) plus a
//! small check over the facts of one machine, one user or one hive. [`evaluate`] runs every
//! per-machine rule; rules over the whole fleet are in [`fleet`] and run on compact machine
//! summaries. `hiveaudit rules` and `docs/rules.md` are printed from the same list.

mod catalogue;
mod checks;
mod evidence;
pub mod fleet;
mod listing;

use serde::Serialize;

use crate::load::HiveState;
use crate::settings::{MachineFacts, Setting, UserFacts};

pub use catalogue::RULES;
pub use listing::{RulesFormat, catalogue_markdown, print_catalogue};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
pub enum Severity {
    /// Context only.
    Info,
    /// Minor.
    Low,
    /// A documented contributing cause.
    Medium,
    /// Microsoft documents repeated prompts for this exact configuration.
    High,
    /// Authentication will fail.
    Critical,
}

impl Severity {
    /// The name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "Info",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

/// How well the rule's premise is documented (domain-rules.md status tags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Confidence {
    /// Stated by Microsoft documentation or code.
    Verified,
    /// Partly verified, partly inferred.
    Partial,
    /// Plausible but not confirmed.
    Unverified,
}

impl Confidence {
    /// The name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Verified => "verified",
            Confidence::Partial => "partial",
            Confidence::Unverified => "unverified",
        }
    }
}

/// What a rule looks at.
#[derive(Clone, Copy)]
pub enum Check {
    /// One machine's SYSTEM and SOFTWARE facts.
    Machine(fn(&MachineFacts) -> Option<Hit>),
    /// One user's NTUSER facts, with their machine's.
    User(fn(&MachineFacts, &UserFacts) -> Option<Hit>),
    /// The load state of one audited hive.
    Hive(fn(&HiveState) -> Option<Hit>),
    /// Several machines: evaluated once over the whole scan by [`fleet::evaluate`].
    Fleet,
}

/// A rule that matched: the evidence it used, and a severity when it differs from the rule's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hit {
    /// One line per piece of evidence (setting, key, value, key time).
    pub evidence: Vec<String>,
    /// Overrides the rule's severity (rules whose severity depends on context).
    pub severity: Option<Severity>,
    /// Overrides the rule's confidence (rules whose support depends on the Outlook version).
    pub confidence: Option<Confidence>,
}

impl Hit {
    /// A hit with the given evidence lines.
    pub fn with(evidence: Vec<String>) -> Self {
        Hit {
            evidence,
            severity: None,
            confidence: None,
        }
    }
}

/// A prompt-causing condition.
pub struct Rule {
    /// Stable identifier from domain-rules.md section 11.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// How well documented the premise is.
    pub confidence: Confidence,
    /// One-line title.
    pub title: &'static str,
    /// Why it causes prompts, for the report.
    pub explanation: &'static str,
    /// What to change.
    pub remediation: &'static str,
    /// The documentation the rule rests on.
    pub source: &'static str,
    /// The settings the check reads.
    pub reads: &'static [&'static Setting],
    /// The check.
    pub check: Check,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

/// A rule that fired for a machine, user or hive.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// Severity (the rule's, or the hit's override).
    pub severity: Severity,
    /// Confidence (the rule's, or the hit's override).
    pub confidence: Confidence,
    /// The user, for user and user-hive findings.
    pub user: Option<String>,
    /// The user's SID, when known.
    pub sid: Option<String>,
    /// The evidence, one item per line of the hit.
    pub evidence: Vec<String>,
}

/// An audited hive of a machine, as the hive-scope rules see it.
pub struct HiveSubject<'a> {
    /// The hive's path, named in the evidence.
    pub path: &'a str,
    /// Its load state.
    pub state: &'a HiveState,
    /// Its user, for user hives.
    pub user: Option<&'a UserFacts>,
}

/// Runs every per-machine rule over one machine, its users and its audited hives, in rule
/// order, then user order.
pub fn evaluate(
    machine: &MachineFacts,
    users: &[UserFacts],
    hives: &[HiveSubject<'_>],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in RULES {
        let finding = |hit: Hit, user: Option<&UserFacts>| Finding {
            rule,
            severity: hit.severity.unwrap_or(rule.severity),
            confidence: hit.confidence.unwrap_or(rule.confidence),
            user: user.and_then(|u| u.user.clone()),
            sid: user.and_then(|u| u.sid.clone()),
            evidence: hit.evidence,
        };
        match rule.check {
            Check::Machine(check) => findings.extend(check(machine).map(|hit| finding(hit, None))),
            Check::User(check) => findings.extend(
                users
                    .iter()
                    .filter_map(|user| check(machine, user).map(|hit| finding(hit, Some(user)))),
            ),
            Check::Hive(check) => findings.extend(hives.iter().filter_map(|hive| {
                check(hive.state).map(|mut hit| {
                    hit.evidence.insert(0, format!("hive {}", hive.path));
                    finding(hit, hive.user)
                })
            })),
            Check::Fleet => {}
        }
    }
    findings
}

/// Every rule: the per-machine rules, then the fleet rules.
pub fn all_rules() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().chain(fleet::RULES)
}

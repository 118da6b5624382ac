//! Rules over the whole scan: the cross-machine rules XM-01 to XM-05 (domain-rules.md 11).
//!
//! The scan keeps one compact [`MachineSummary`] per machine (a few strings, the names shared
//! with the machine's rows) as machines are written, and [`evaluate`] runs once after the last
//! one. Summaries are serialisable and hold only what machines.csv and accounts.csv show, so
//! sharded scans can be merged later. A fleet finding is reported on the client side and its
//! evidence names both sides.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::checks::has_roh_ntlm;
use super::{Check, Confidence, Finding, Rule, Severity};
use crate::settings::{MachineFacts, Role, UserFacts};

/// LmCompatibilityLevel at which a DC accepts only NTLMv2.
const NTLMV2_ONLY: u32 = 5;
/// LmCompatibilityLevel at which a DC refuses LM.
const REFUSES_LM: u32 = 4;

/// What the fleet rules need to know about one machine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineSummary {
    /// Machine id from the collection layout.
    pub machine: Arc<str>,
    /// NetBIOS computer name.
    pub computer_name: Arc<str>,
    /// DNS domain.
    pub domain: String,
    /// Whether ProductType is LanmanNT.
    pub is_dc: bool,
    /// Effective LmCompatibilityLevel, when known.
    pub lm_effective: Option<u32>,
    /// Where it came from (value, os-default, unknown).
    pub lm_origin: Cow<'static, str>,
    /// Whether any user has an Outlook Anywhere account with NTLM to the proxy.
    pub roh_ntlm: bool,
    /// The machine's users with a SID.
    pub users: Vec<UserSummary>,
}

/// What XM-05 needs to know about one user on one machine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    /// The user's SID.
    pub sid: String,
    /// Office versions of the user's profiles.
    pub outlook_versions: Vec<String>,
    /// Config flags (`00036601`, hex) of the user's Exchange accounts.
    pub profile_flags: Vec<String>,
}

impl MachineSummary {
    /// Summarises one machine and its users. The machine id and computer name are shared
    /// with the machine's rows rather than copied: summaries are kept for the whole scan.
    pub fn of(
        machine: Arc<str>,
        computer_name: Arc<str>,
        facts: &MachineFacts,
        users: &[UserFacts],
    ) -> Self {
        let (lm_effective, origin) = facts.lm_effective();
        MachineSummary {
            machine,
            computer_name,
            domain: facts.domain().unwrap_or_default().to_string(),
            is_dc: facts.role() == Role::DomainController,
            lm_effective,
            lm_origin: Cow::Borrowed(origin.label()),
            roh_ntlm: users.iter().any(has_roh_ntlm),
            users: users.iter().filter_map(UserSummary::of).collect(),
        }
    }

    fn in_domain(&self, domain: &str) -> bool {
        !domain.is_empty() && same_domain(&self.domain, domain)
    }

    /// `WKS-BOB02 (computer WKS-BOB02): LmCompatibilityLevel 1 (value)`.
    fn side(&self, role: &str) -> String {
        let level = self
            .lm_effective
            .map_or_else(|| "unknown".to_string(), |l| l.to_string());
        format!(
            "{role} {} (computer {}, domain {}): LmCompatibilityLevel {level} ({})",
            self.machine, self.computer_name, self.domain, self.lm_origin
        )
    }
}

impl UserSummary {
    fn of(user: &UserFacts) -> Option<Self> {
        let mut outlook_versions: Vec<String> = user
            .profiles()
            .iter()
            .filter_map(|p| p.outlook_version.clone())
            .collect();
        outlook_versions.sort();
        outlook_versions.dedup();
        let mut profile_flags: Vec<String> = user
            .exchange_accounts()
            .filter_map(|(_, a)| a.properties().config_flags)
            .map(|f| format!("0x{f:x}"))
            .collect();
        profile_flags.sort();
        profile_flags.dedup();
        Some(UserSummary {
            sid: user.sid.clone()?,
            outlook_versions,
            profile_flags,
        })
    }
}

/// DNS domains compare case-insensitively, ignoring a trailing dot.
fn same_domain(a: &str, b: &str) -> bool {
    a.trim_end_matches('.')
        .eq_ignore_ascii_case(b.trim_end_matches('.'))
}

/// A finding of a fleet rule, placed on one machine.
#[derive(Clone, Debug)]
pub struct FleetFinding {
    /// The machine the row is reported on (the client side).
    pub machine: String,
    /// Its computer name.
    pub computer_name: String,
    /// The finding.
    pub finding: Finding,
}

/// Runs every fleet rule over the summaries, in rule order.
pub fn evaluate(machines: &[MachineSummary]) -> Vec<FleetFinding> {
    let mut findings = Vec::new();
    for rule in RULES {
        let found = match rule.id {
            "XM-01" => dc_rejects_clients(machines, |c| matches!(c.lm_effective, Some(0..=2))),
            "XM-02" => dc_rejects_clients(machines, |c| c.lm_effective == Some(2) && c.roh_ntlm),
            "XM-03" => inconsistent_dcs(machines),
            "XM-04" => lm_refusing_dc(machines),
            "XM-05" => roaming_mismatch(machines),
            _ => Vec::new(),
        };
        findings.extend(
            found
                .into_iter()
                .map(|(machine, user, evidence)| FleetFinding {
                    machine: machine.machine.to_string(),
                    computer_name: machine.computer_name.to_string(),
                    finding: Finding {
                        rule,
                        severity: rule.severity,
                        confidence: rule.confidence,
                        user: None,
                        sid: user,
                        evidence,
                    },
                }),
        );
    }
    findings
}

/// A fleet rule's raw result: the machine to report on, the SID if any, the evidence.
type Found<'m> = (&'m MachineSummary, Option<String>, Vec<String>);

fn dcs_at<'m>(
    machines: &'m [MachineSummary],
    domain: &'m str,
    level: u32,
) -> impl Iterator<Item = &'m MachineSummary> {
    machines
        .iter()
        .filter(move |m| m.is_dc && m.in_domain(domain) && m.lm_effective == Some(level))
}

fn clients(machines: &[MachineSummary]) -> impl Iterator<Item = &MachineSummary> {
    machines.iter().filter(|m| !m.is_dc && !m.domain.is_empty())
}

/// Clients matching `weak` in the domain of a DC at level 5 (XM-01, XM-02).
fn dc_rejects_clients(
    machines: &[MachineSummary],
    weak: impl Fn(&MachineSummary) -> bool,
) -> Vec<Found<'_>> {
    clients_against(machines, NTLMV2_ONLY, weak)
}

/// Clients at 0 or 1 in the domain of a DC at level 4 (XM-04).
fn lm_refusing_dc(machines: &[MachineSummary]) -> Vec<Found<'_>> {
    clients_against(machines, REFUSES_LM, |c| {
        matches!(c.lm_effective, Some(0 | 1))
    })
}

fn clients_against(
    machines: &[MachineSummary],
    dc_level: u32,
    weak: impl Fn(&MachineSummary) -> bool,
) -> Vec<Found<'_>> {
    clients(machines)
        .filter(|c| weak(c))
        .filter_map(|client| {
            let dcs: Vec<String> = dcs_at(machines, &client.domain, dc_level)
                .map(|dc| dc.side("domain controller"))
                .collect();
            if dcs.is_empty() {
                return None;
            }
            let mut evidence = vec![client.side("client")];
            evidence.extend(dcs);
            Some((client, None, evidence))
        })
        .collect()
}

/// Domains whose DCs have different effective levels (XM-03), reported on the first DC.
fn inconsistent_dcs(machines: &[MachineSummary]) -> Vec<Found<'_>> {
    let mut found: Vec<Found<'_>> = Vec::new();
    for dc in machines.iter().filter(|m| m.is_dc && !m.domain.is_empty()) {
        if found
            .iter()
            .any(|(first, _, _)| same_domain(&first.domain, &dc.domain))
        {
            continue;
        }
        let peers: Vec<&MachineSummary> = machines
            .iter()
            .filter(|m| m.is_dc && m.in_domain(&dc.domain) && m.lm_effective.is_some())
            .collect();
        let mut levels: Vec<u32> = peers.iter().filter_map(|m| m.lm_effective).collect();
        levels.sort();
        levels.dedup();
        if levels.len() > 1 {
            let evidence = peers.iter().map(|m| m.side("domain controller")).collect();
            found.push((peers[0], None, evidence));
        }
    }
    found
}

/// The same SID on several machines with different Outlook versions and different profile
/// flags (XM-05), reported on the first machine with that SID.
fn roaming_mismatch(machines: &[MachineSummary]) -> Vec<Found<'_>> {
    let mut found: Vec<Found<'_>> = Vec::new();
    let with_profiles = || {
        machines.iter().flat_map(|m| {
            m.users
                .iter()
                .filter(|u| !u.outlook_versions.is_empty())
                .map(move |u| (m, u))
        })
    };
    for (first, user) in with_profiles() {
        if found
            .iter()
            .any(|(_, sid, _)| sid.as_deref() == Some(&user.sid))
        {
            continue;
        }
        let same: Vec<_> = with_profiles()
            .filter(|(_, u)| u.sid.eq_ignore_ascii_case(&user.sid))
            .collect();
        let differ = |field: fn(&UserSummary) -> &Vec<String>| {
            same.iter().any(|(_, u)| field(u) != field(user))
        };
        if same.len() > 1 && differ(|u| &u.outlook_versions) && differ(|u| &u.profile_flags) {
            let evidence = same
                .iter()
                .map(|(m, u)| {
                    format!(
                        "machine {} (computer {}): Outlook {}, profile flags {}",
                        m.machine,
                        m.computer_name,
                        u.outlook_versions.join(" "),
                        if u.profile_flags.is_empty() {
                            "none".to_string()
                        } else {
                            u.profile_flags.join(" ")
                        }
                    )
                })
                .collect();
            found.push((first, Some(user.sid.clone()), evidence));
        }
    }
    found
}

/// The cross-machine rules, in report order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "XM-01",
        severity: Severity::Critical,
        confidence: Confidence::Verified,
        title: "Domain controller accepts only NTLMv2 but a client of its domain never sends it",
        explanation: "The DC is at LmCompatibilityLevel 5 (refuses LM and NTLM) and the client is \
                      at 0, 1 or 2 (never sends NTLMv2): every NTLM authentication the DC \
                      validates for the client fails. Kerberos still works, so the failures look \
                      like random credential prompts and can lock accounts out.",
        remediation: "Set the client to LmCompatibilityLevel 3.",
        source: "windows-itpro \"Network security: LAN Manager authentication level\" (DC \
                 acceptance table)",
        reads: &[],
        check: Check::Fleet,
    },
    Rule {
        id: "XM-02",
        severity: Severity::High,
        confidence: Confidence::Verified,
        title: "KB 820281's level 2 is not enough against a level-5 domain controller",
        explanation: "The client is at level 2 and uses Outlook Anywhere with NTLM: 2 stops the \
                      LM-induced prompt, but the DC at 5 rejects NTLMv1.",
        remediation: "Set the client to LmCompatibilityLevel 3.",
        source: "KB 820281; windows-itpro LAN Manager authentication level",
        reads: &[],
        check: Check::Fleet,
    },
    Rule {
        id: "XM-03",
        severity: Severity::Medium,
        confidence: Confidence::Partial,
        title: "Domain controllers of one domain have different LAN Manager levels",
        explanation: "Which DC validates an NTLM logon decides whether it succeeds, so prompts \
                      look intermittent.",
        remediation: "Make the DC settings consistent (GPO on the Domain Controllers OU).",
        source: "inferred from windows-itpro LAN Manager authentication level",
        reads: &[],
        check: Check::Fleet,
    },
    Rule {
        id: "XM-04",
        severity: Severity::Info,
        confidence: Confidence::Unverified,
        title: "Domain controller refuses LM while clients send LM",
        explanation: "The DC at level 4 refuses LM; clients at 0 or 1 also send an NTLM response, \
                      so this should still work. Listed for completeness.",
        remediation: "None needed; level 3 on the clients is still recommended.",
        source: "windows-itpro LAN Manager authentication level",
        reads: &[],
        check: Check::Fleet,
    },
    Rule {
        id: "XM-05",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "Same user with different Outlook versions and profile flags on several machines",
        explanation: "The user's SID has profiles of different Outlook versions with different \
                      account flags on different machines, which helps spot a roaming-profile \
                      mismatch.",
        remediation: "None needed; compare the profiles if prompts differ between machines.",
        source: "domain-rules.md 11",
        reads: &[],
        check: Check::Fleet,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(id: &str, domain: &str, is_dc: bool, lm: u32) -> MachineSummary {
        MachineSummary {
            machine: id.into(),
            computer_name: id.into(),
            domain: domain.into(),
            is_dc,
            lm_effective: Some(lm),
            lm_origin: "value".into(),
            ..MachineSummary::default()
        }
    }

    fn ids(findings: &[FleetFinding], rule: &str) -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.finding.rule.id == rule)
            .map(|f| f.machine.clone())
            .collect()
    }

    #[test]
    fn clients_of_a_strict_dc_are_flagged_only_in_its_domain() {
        let fleet = [
            machine("DC", "Corp.Example.", true, 5),
            machine("WEAK", "corp.example", false, 1),
            machine("OK", "corp.example", false, 3),
            machine("OTHER", "other.example", false, 0),
        ];
        let found = evaluate(&fleet);
        assert_eq!(ids(&found, "XM-01"), ["WEAK"]);
        let evidence = &found[0].finding.evidence;
        assert!(evidence.iter().any(|e| e.contains("DC")));
    }

    #[test]
    fn inconsistent_dcs_are_reported_once_per_domain() {
        let fleet = [
            machine("DC1", "corp.example", true, 5),
            machine("DC2", "CORP.example", true, 3),
            machine("DC3", "other.example", true, 3),
        ];
        assert_eq!(ids(&evaluate(&fleet), "XM-03"), ["DC1"]);
    }

    #[test]
    fn summaries_round_trip_through_json() {
        let summary = machine("A", "corp.example", false, 2);
        let text = serde_json::to_string(&summary).unwrap();
        assert_eq!(
            serde_json::from_str::<MachineSummary>(&text).unwrap(),
            summary
        );
    }
}

//! The per-machine rules (domain-rules.md section 11), in report order.

use super::evidence::describe;
use super::{Check, Confidence, Hit, Rule, Severity};
use crate::load::HiveState;
use crate::settings::catalogue::{
    CURRENT_VERSION, LM_COMPATIBILITY_LEVEL, PRODUCT_NAME, PRODUCT_TYPE, PROMPT_FOR_CREDENTIALS,
};
use crate::settings::{LmOrigin, MachineFacts, Observation, Role, UserFacts};

/// Office versions for which Microsoft documents the PromptForCredentials policy (OL-01).
const DOCUMENTED_PROMPT_VERSIONS: &[&str] = &["11.0", "12.0", "14.0", "15.0"];
/// Office 2016 and later share 16.0, for which the policy is not documented (OL-01b).
const UNDOCUMENTED_PROMPT_VERSIONS: &[&str] = &["16.0"];

/// Every per-machine rule.
pub const RULES: &[Rule] = &[
    Rule {
        id: "OL-01",
        severity: Severity::High,
        confidence: Confidence::Verified,
        title: "Outlook policy forces a credential prompt at every connection",
        explanation: "PromptForCredentials = 1 in the Outlook security policy stops Outlook \
                      from using cached credentials, so the user must type a password each \
                      time Outlook connects to Exchange.",
        remediation: "Set the Group Policy setting to 0 or remove it \
                      (Software\\Policies\\Microsoft\\Office\\<version>\\Outlook\\Security).",
        source: "Microsoft, \"How to use Outlook policy to control credential prompts when \
                 connecting to an Exchange Server mailbox\" (policy-control-credential-prompts.md)",
        reads: &[&PROMPT_FOR_CREDENTIALS],
        check: Check::User(|_, user| prompt_policy(user, DOCUMENTED_PROMPT_VERSIONS)),
    },
    Rule {
        id: "OL-01b",
        severity: Severity::Medium,
        confidence: Confidence::Unverified,
        title: "Outlook prompt policy set for Office 16.0, where Microsoft does not document it",
        explanation: "PromptForCredentials = 1 is set under the Office 16.0 policy key \
                      (Outlook 2016 and later), for which Microsoft documents no such policy; \
                      Outlook may still honour it and prompt at every connection.",
        remediation: "Check where Group Policy sets it and test on one machine; remove it if \
                      it is not wanted.",
        source: "policy-control-credential-prompts.md lists 11.0-15.0 only; 16.0 is unverified",
        reads: &[&PROMPT_FOR_CREDENTIALS],
        check: Check::User(|_, user| prompt_policy(user, UNDOCUMENTED_PROMPT_VERSIONS)),
    },
    Rule {
        id: "NT-01",
        severity: Severity::Medium,
        confidence: Confidence::Verified,
        title: "Machine sends LM responses (LmCompatibilityLevel 0 or 1)",
        explanation: "At LAN Manager authentication level 0 or 1 Windows includes the LM \
                      response, and then does not send NTLM credentials to an RPC over HTTP \
                      proxy on its own, so Outlook prompts; the machine also fails against \
                      domains that refuse LM and NTLMv1.",
        remediation: "Set \"Network security: LAN Manager authentication level\" to \"Send \
                      NTLMv2 response only\" (LmCompatibilityLevel 3).",
        source: "KB 820281; Microsoft, \"Network security: LAN Manager authentication level\"",
        reads: &[
            &LM_COMPATIBILITY_LEVEL,
            &PRODUCT_TYPE,
            &CURRENT_VERSION,
            &PRODUCT_NAME,
        ],
        check: Check::Machine(weak_lm_level),
    },
    Rule {
        id: "DQ-01",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "Dirty hive read without its transaction logs",
        explanation: "The hive's header shows an unfinished write and its logs were not \
                      applied, so values changed recently (up to an hour on Windows 8.1 and \
                      later) may be missing from this report.",
        remediation: "Collect the hive's .LOG1/.LOG2 (or .LOG) files beside it and scan again.",
        source: "regf format specification (dirty state); regipy \"Hive is not clean\"",
        reads: &[],
        check: Check::Hive(stale_hive),
    },
    Rule {
        id: "DQ-02",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "No SOFTWARE hive: the OS and its LAN Manager default are unknown",
        explanation: "Without the SOFTWARE hive the Windows version is unknown, so an absent \
                      LmCompatibilityLevel cannot be resolved to the OS default and the rules \
                      that depend on it run with the level unknown.",
        remediation: "Collect Windows\\System32\\config\\SOFTWARE for this machine.",
        source: "domain-rules.md 9.1 (defaults depend on the OS)",
        reads: &[&LM_COMPATIBILITY_LEVEL],
        check: Check::Machine(missing_software),
    },
];

/// OL-01 and OL-01b: PromptForCredentials = 1 under one of `versions`.
fn prompt_policy(user: &UserFacts, versions: &[&str]) -> Option<Hit> {
    let evidence: Vec<String> = user
        .extraction
        .of(&PROMPT_FOR_CREDENTIALS)
        .filter(|o| o.number() == Some(1))
        .filter(|o| in_versions(o, versions))
        .map(describe)
        .collect();
    (!evidence.is_empty()).then(|| Hit::with(evidence))
}

fn in_versions(observation: &Observation, versions: &[&str]) -> bool {
    observation
        .instance
        .as_deref()
        .is_some_and(|v| versions.contains(&v))
}

/// NT-01: effective level 0 or 1 on a machine that is not a domain controller.
fn weak_lm_level(machine: &MachineFacts) -> Option<Hit> {
    if machine.role() == Role::DomainController {
        return None;
    }
    let (Some(level @ (0 | 1)), origin) = machine.lm_effective() else {
        return None;
    };
    let observation = machine.lm_observation()?;
    let mut evidence = vec![describe(observation)];
    if origin == LmOrigin::OsDefault {
        evidence.push(format!(
            "OS default for {} is {level}",
            machine
                .os_name()
                .unwrap_or_else(|| "this Windows version".into())
        ));
    }
    Some(Hit::with(evidence))
}

/// DQ-01: a dirty hive read as it is.
fn stale_hive(state: &HiveState) -> Option<Hit> {
    state
        .is_stale()
        .then(|| Hit::with(vec![state.detail().to_string()]))
}

/// DQ-02: a SYSTEM hive without a SOFTWARE hive.
fn missing_software(machine: &MachineFacts) -> Option<Hit> {
    if machine.system.is_none() || machine.software.is_some() {
        return None;
    }
    let mut evidence = vec!["no readable SOFTWARE hive for this machine".to_string()];
    evidence.extend(machine.lm_observation().map(describe));
    Some(Hit::with(evidence))
}

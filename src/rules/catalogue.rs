//! The per-machine rules (domain-rules.md section 11), in report order.

use super::checks;
use super::evidence::describe;
use super::{Check, Confidence, Hit, Rule, Severity};
use crate::load::HiveState;
use crate::settings::catalogue::{
    ALWAYS_USE_MSOAUTH, AUTHENTICATION_SERVICE, C2R_VERSION, CURRENT_VERSION,
    DEFAULT_CONNECTION_SETTINGS, DISABLE_AAD_WAM, DISABLE_ADAL_ATOP_WAM, DISABLE_ADAL_WAM_OVERRIDE,
    DISABLE_BASIC_SAVED_CREDS, DISABLE_BASIC_SAVED_CREDS_RPC, DISABLE_DOMAIN_CREDS, ENABLE_ADAL,
    IDENTITY_VERSION, LM_COMPATIBILITY_LEVEL, LYNC_ALLOW_ADAL_NONLYNC, LYNC_INSTALLED,
    LYNC_USER_KEY, MACHINE_ENABLE_ADAL, MACHINE_ZONE_LOGON, MACHINE_ZONE_LOGON_POLICY,
    MAPI_HTTP_DISABLED, OFFICE_PROFILES, OUTLOOK_INSTALLED, PRODUCT_NAME, PRODUCT_TYPE,
    PROMPT_FOR_CREDENTIALS, PROXY_SETTINGS_PER_USER, RESTRICT_SENDING_NTLM, USE_ONLINE_CONTENT,
    USE_ONLINE_CONTENT_POLICY, WINHTTP_SETTINGS, WINHTTP_SETTINGS_WOW, WMS_PROFILES, ZONE_LOGON,
    ZONE_LOGON_POLICY,
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
        id: "OL-02",
        severity: Severity::Medium,
        confidence: Confidence::Partial,
        title: "Exchange account set to always prompt for logon credentials",
        explanation: "Bit 0x8 (CONFIG_PROMPT_FOR_CREDENTIALS) of the account's profile config \
                      flags is set: Outlook asks for the password at every connection. The \
                      link between the checkbox and the bit rests on the header name; it is \
                      Medium until confirmed in a lab (then High).",
        remediation: "Clear \"Always prompt for logon credentials\": Mail > Account > More \
                      Settings > Security.",
        source: "edkmdb.h CONFIG_PROMPT_FOR_CREDENTIALS (MFCMAPI); domain-rules.md 5.5",
        reads: &[&WMS_PROFILES, &OFFICE_PROFILES],
        check: Check::User(checks::profile_prompt_bit),
    },
    Rule {
        id: "OL-03",
        severity: Severity::High,
        confidence: Confidence::Verified,
        title: "AuthenticationService policy set for a Microsoft 365 mailbox",
        explanation: "Any AuthenticationService value for Outlook 2007-2013 disables \"Logon \
                      network security\" and makes Outlook prompt continually for Microsoft 365 \
                      mailboxes (High); Medium when no account shows a proxy server.",
        remediation: "Remove the value or set the Group Policy setting to Not Configured.",
        source: "KB 2975918 (o365-credential-prompts-with-authenticationservice.md)",
        reads: &[&AUTHENTICATION_SERVICE, &WMS_PROFILES, &OFFICE_PROFILES],
        check: Check::User(checks::auth_service_configured),
    },
    Rule {
        id: "OL-04",
        severity: Severity::High,
        confidence: Confidence::Verified,
        title: "AuthenticationService is not Kerberos/NTLM while MAPI over HTTP is likely",
        explanation: "With MAPI over HTTP the Exchange authentication policy must be \
                      Kerberos/NTLM (9); NTLM-only, Kerberos-only or smart card makes Outlook \
                      prompt repeatedly.",
        remediation: "Set the policy to Kerberos/NTLM Password Authentication (9).",
        source: "KB 4051374 (outlook-prompt-password-when-use-mapi-over-http.md)",
        reads: &[&AUTHENTICATION_SERVICE, &MAPI_HTTP_DISABLED],
        check: Check::User(checks::auth_service_breaks_mapi_http),
    },
    Rule {
        id: "OL-05",
        severity: Severity::High,
        confidence: Confidence::Verified,
        title: "Microsoft 365 account's logon network security is not Anonymous",
        explanation: "Outlook 2007/2010 (and older 2013 builds) connecting to Exchange Online \
                      prompt continually while \"trying to connect\" unless logon network \
                      security is Anonymous Authentication; Medium for 2013, where only older \
                      builds are affected.",
        remediation: "Set Logon network security to Anonymous Authentication, or update Outlook.",
        source: "Microsoft, \"Outlook continually prompts for your password when you try to \
                 connect to Microsoft 365\"",
        reads: &[&WMS_PROFILES, &OFFICE_PROFILES],
        check: Check::User(checks::exo_logon_security),
    },
    Rule {
        id: "OL-06",
        severity: Severity::Medium,
        confidence: Confidence::Verified,
        title: "Outlook Anywhere uses Basic authentication to an on-premises proxy",
        explanation: "With Basic to the RPC proxy Windows cannot send credentials on its own, \
                      so the user is prompted; High on Outlook 2003 or when saving Basic \
                      credentials is blocked by policy.",
        remediation: "Use NTLM (or Negotiate) on both the Exchange proxy and the profile.",
        source: "KB 820281; KB 2784787; prevent-saving-credentials.md",
        reads: &[
            &WMS_PROFILES,
            &OFFICE_PROFILES,
            &DISABLE_BASIC_SAVED_CREDS,
            &DISABLE_BASIC_SAVED_CREDS_RPC,
        ],
        check: Check::User(checks::roh_basic),
    },
    Rule {
        id: "OL-07",
        severity: Severity::High,
        confidence: Confidence::Partial,
        title: "Outlook Anywhere uses NTLM but the machine sends LM responses",
        explanation: "LmCompatibilityLevel 0 or 1 is set, so Windows does not send NTLM \
                      credentials to the RPC proxy automatically and Outlook prompts (verified \
                      for Outlook 2003, inferred for later versions).",
        remediation: "Set LmCompatibilityLevel to 3 (2 only if no domain controller is at 5).",
        source: "KB 820281",
        reads: &[&LM_COMPATIBILITY_LEVEL, &WMS_PROFILES, &OFFICE_PROFILES],
        check: Check::User(checks::roh_ntlm_lm_set),
    },
    Rule {
        id: "OL-07b",
        severity: Severity::High,
        confidence: Confidence::Verified,
        title: "Outlook Anywhere uses NTLM on Windows XP/2000 at the default LM level",
        explanation: "LmCompatibilityLevel is absent and Windows 2000/XP default to 0 (LM and \
                      NTLM), so credentials are not sent to the RPC proxy automatically and \
                      Outlook prompts.",
        remediation: "Set LmCompatibilityLevel to 3.",
        source: "KB 820281; Policy CSP LocalPoliciesSecurityOptions defaults",
        reads: &[
            &LM_COMPATIBILITY_LEVEL,
            &CURRENT_VERSION,
            &WMS_PROFILES,
            &OFFICE_PROFILES,
        ],
        check: Check::User(checks::roh_ntlm_lm_default),
    },
    Rule {
        id: "OL-08",
        severity: Severity::High,
        confidence: Confidence::Verified,
        title: "\"Allow Office to connect to the Internet\" is disabled",
        explanation: "UseOnlineContent 0 (policy over preference) makes Outlook 2013 and later \
                      prompt for the password at every start or show \"Need Password\".",
        remediation: "Set UseOnlineContent to 2 (or 1), or the Online Content Options policy.",
        source: "KB 3060280 (password-prompt-at-every-start-or-cannot-create-profile.md)",
        reads: &[&USE_ONLINE_CONTENT_POLICY, &USE_ONLINE_CONTENT],
        check: Check::User(checks::online_content_off),
    },
    Rule {
        id: "OL-09",
        severity: Severity::Medium,
        confidence: Confidence::Verified,
        title: "MAPI over HTTP is disabled on the client",
        explanation: "MapiHttpDisabled = 1 is meant for testing only; Microsoft 365 users get a \
                      Basic authentication prompt instead of modern authentication (High when \
                      an account is in Exchange Online).",
        remediation: "Delete MapiHttpDisabled or set it to 0.",
        source: "KB 2937684 (outlook-not-connect-exchange-use-mapi-over-http.md)",
        reads: &[&MAPI_HTTP_DISABLED, &WMS_PROFILES, &OFFICE_PROFILES],
        check: Check::User(checks::mapi_http_disabled),
    },
    Rule {
        id: "OL-10",
        severity: Severity::Medium,
        confidence: Confidence::Verified,
        title: "Profile mixes on-premises and Microsoft 365 mailboxes without forced modern auth",
        explanation: "Without AlwaysUseMSOAuthForAutoDiscover = 1 Outlook limits web-service \
                      authentication to the RPC mailbox's schemes and prompts for the \
                      Microsoft 365 mailbox instead of using modern authentication.",
        remediation: "Set AlwaysUseMSOAuthForAutoDiscover = 1 (Outlook 2013 after the December \
                      2015 updates).",
        source: "KB 3126599 (outlook-prompt-password-modern-authentication-enabled.md)",
        reads: &[&ALWAYS_USE_MSOAUTH, &OFFICE_PROFILES],
        check: Check::User(checks::mixed_profile_without_msoauth),
    },
    Rule {
        id: "OL-11",
        severity: Severity::Medium,
        confidence: Confidence::Verified,
        title: "Outlook 2013 with a Microsoft 365 mailbox and modern authentication off",
        explanation: "Office 2013 uses Basic authentication unless EnableADAL and Version are \
                      both 1, so Microsoft 365 users are prompted repeatedly (and fail once \
                      Basic is retired).",
        remediation: "Set EnableADAL = 1 and Version = 1 under 15.0\\Common\\Identity, plus \
                      AlwaysUseMSOAuthForAutoDiscover = 1.",
        source: "enable-modern-authentication.md; modern-authentication-configuration.md",
        reads: &[
            &ENABLE_ADAL,
            &IDENTITY_VERSION,
            &OUTLOOK_INSTALLED,
            &OFFICE_PROFILES,
        ],
        check: Check::User(checks::office_2013_without_adal),
    },
    Rule {
        id: "OL-12",
        severity: Severity::Medium,
        confidence: Confidence::Partial,
        title: "Modern authentication (ADAL) turned off for Office 2016 and later",
        explanation: "EnableADAL = 0 under 16.0\\Common\\Identity (user or machine) turns off \
                      modern authentication; Microsoft 365 sign-in falls back or fails with \
                      repeated prompts (the prompt effect is inferred).",
        remediation: "Remove EnableADAL = 0.",
        source: "disabling-adal-wam-not-recommended.md; shared-computer-activation.md",
        reads: &[
            &ENABLE_ADAL,
            &MACHINE_ENABLE_ADAL,
            &C2R_VERSION,
            &OUTLOOK_INSTALLED,
        ],
        check: Check::User(checks::office_16_adal_off),
    },
    Rule {
        id: "OL-13",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "Web Account Manager sign-in turned off for Office",
        explanation: "DisableADALatopWAMOverride or DisableAADWAM = 1; Microsoft says this is \
                      not a fix for sign-in problems and should be removed once the issue is \
                      resolved (Low when an account is in Exchange Online).",
        remediation: "Remove the value after the issue it worked around is resolved.",
        source: "disabling-adal-wam-not-recommended.md",
        reads: &[&DISABLE_ADAL_WAM_OVERRIDE, &DISABLE_AAD_WAM],
        check: Check::User(checks::wam_disabled),
    },
    Rule {
        id: "OL-14",
        severity: Severity::Low,
        confidence: Confidence::Partial,
        title: "Outlook Anywhere principal name does not match the proxy server",
        explanation: "Mutual authentication is on and the msstd: principal names another host \
                      than the proxy server; a principal that does not match the certificate \
                      causes repeated prompts. Microsoft's own Microsoft 365 pair \
                      (outlook.office365.com with msstd:outlook.com) is not flagged.",
        remediation: "Fix the principal name in the Exchange proxy settings or the Exchange \
                      CertPrincipalName.",
        source: "mutual-authentication-could-not-be-established-error-if-testing-outlook-anywhere.md",
        reads: &[&WMS_PROFILES, &OFFICE_PROFILES],
        check: Check::User(checks::principal_mismatch),
    },
    Rule {
        id: "OL-15",
        severity: Severity::Medium,
        confidence: Confidence::Partial,
        title: "Credential Manager may not store passwords the accounts need",
        explanation: "DisableDomainCreds = 1 stops Credential Manager from storing network \
                      passwords, so \"Remember my credentials\" for Microsoft 365 or Basic \
                      accounts cannot persist and users type their password again.",
        remediation: "Disable the policy, or move the accounts to modern authentication or \
                      Kerberos.",
        source: "windows-itpro \"Do not allow storage of passwords and credentials for network \
                 authentication\"",
        reads: &[&DISABLE_DOMAIN_CREDS, &WMS_PROFILES, &OFFICE_PROFILES],
        check: Check::User(checks::domain_creds_disabled),
    },
    Rule {
        id: "LY-01",
        severity: Severity::Medium,
        confidence: Confidence::Verified,
        title: "Lync present with no proxy discovery, proxy or PAC",
        explanation: "\"Automatically detect settings\" is off and no proxy or PAC is set; if the \
                      network needs a proxy, Lync cannot reach EWS and keeps prompting for \
                      Exchange credentials.",
        remediation: "Tick \"Automatically detect settings\" (or apply the organisation's proxy \
                      or PAC); open ports 443, 5060 and 5061.",
        source: "Microsoft, \"You're repeatedly prompted for Exchange credentials after you \
                 sign in to Lync\"",
        reads: &[
            &DEFAULT_CONNECTION_SETTINGS,
            &LYNC_USER_KEY,
            &LYNC_INSTALLED,
        ],
        check: Check::User(checks::lync_no_proxy_discovery),
    },
    Rule {
        id: "LY-01b",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "Lync present with a manual proxy",
        explanation: "Lync uses this proxy to reach EWS; if it blocks EWS or Autodiscover, Lync \
                      keeps prompting for Exchange credentials.",
        remediation: "Confirm that the proxy allows EWS and Autodiscover.",
        source: "Microsoft, \"You're repeatedly prompted for Exchange credentials after you \
                 sign in to Lync\"",
        reads: &[
            &DEFAULT_CONNECTION_SETTINGS,
            &LYNC_USER_KEY,
            &LYNC_INSTALLED,
        ],
        check: Check::User(checks::lync_manual_proxy),
    },
    Rule {
        id: "LY-02",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "Lync 2013+ with a Microsoft 365 mailbox without AllowAdalForNonLyncIndependentOfLync",
        explanation: "With Skype for Business on-premises and Exchange Online MFA, Lync ignores \
                      the OAuth advert and falls back to a non-MFA sign-in to EWS.",
        remediation: "Set AllowAdalForNonLyncIndependentOfLync = 1 (and EnableADAL/Version for \
                      Office 2013).",
        source: "allowadalfornonlyncIndependentofLync-setting.md",
        reads: &[&LYNC_ALLOW_ADAL_NONLYNC, &LYNC_USER_KEY, &LYNC_INSTALLED],
        check: Check::User(checks::lync_without_adal_for_exo),
    },
    Rule {
        id: "LY-03",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "Skype for Business ignores DisableADALatopWAMOverride",
        explanation: "DisableADALatopWAMOverride = 1 without DisableADALatopWAM: the WAM \
                      workaround is not in effect for Skype for Business.",
        remediation: "Use DisableADALatopWAM or the Lync EnableWAM = 0 policy if the workaround \
                      is really needed.",
        source: "KB 4508931 (sso-no-longer-works.md)",
        reads: &[
            &DISABLE_ADAL_WAM_OVERRIDE,
            &DISABLE_ADAL_ATOP_WAM,
            &LYNC_USER_KEY,
        ],
        check: Check::User(checks::skype_ignores_wam_override),
    },
    Rule {
        id: "IE-01",
        severity: Severity::Medium,
        confidence: Confidence::Verified,
        title: "Local intranet zone prompts for credentials or logs on anonymously",
        explanation: "Logon option 1A00 of the Local intranet zone is \"Prompt for user name and \
                      password\" or \"Anonymous logon\" (policy over preference, user over \
                      machine): Integrated Windows Authentication sites such as AD FS prompt or \
                      fail.",
        remediation: "Set the intranet zone's logon to automatic logon (in the intranet zone, or \
                      with the current user name and password).",
        source: "KB 182569; KB 2535227",
        reads: &[
            &ZONE_LOGON_POLICY,
            &MACHINE_ZONE_LOGON_POLICY,
            &ZONE_LOGON,
            &MACHINE_ZONE_LOGON,
        ],
        check: Check::User(checks::intranet_zone_prompts),
    },
    Rule {
        id: "IE-02",
        severity: Severity::Medium,
        confidence: Confidence::Verified,
        title: "The zone of an Exchange proxy host prompts for credentials",
        explanation: "ZoneMap places the profile's Exchange proxy host in a zone whose logon \
                      option 1A00 is \"Prompt for user name and password\", so that host always \
                      prompts. The host is taken from the profile (no host is supplied on the \
                      command line); unmapped dotted hosts are in the Internet zone.",
        remediation: "Put the host in the Local intranet zone, or change that zone's logon \
                      option.",
        source: "KB 2535227; KB 182569",
        reads: &[
            &ZONE_LOGON_POLICY,
            &MACHINE_ZONE_LOGON_POLICY,
            &ZONE_LOGON,
            &MACHINE_ZONE_LOGON,
            &OFFICE_PROFILES,
        ],
        check: Check::User(checks::exchange_host_zone_prompts),
    },
    Rule {
        id: "IE-03",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "WinINET proxy is set per machine",
        explanation: "ProxySettingsPerUser = 0: the proxy comes from HKLM and the users' own proxy \
                      settings are ignored.",
        remediation: "None needed; read the machine's proxy when diagnosing.",
        source: ".NET reference source _ProxyRegBlob.cs; IEInternals \"Understanding Web Proxy \
                 Configuration\"",
        reads: &[&PROXY_SETTINGS_PER_USER],
        check: Check::Machine(checks::proxy_per_machine),
    },
    Rule {
        id: "IE-04",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "WinHTTP machine proxy is set",
        explanation: "A WinHTTP proxy is configured; a wrong one breaks Outlook Free/Busy, Out of \
                      Office and MailTips (not a prompt cause).",
        remediation: "netsh winhttp reset proxy if it is wrong.",
        source: "KB 2847833 (proxy-server-causes-issues-with-freebusy-oof-mailtips.md)",
        reads: &[&WINHTTP_SETTINGS, &WINHTTP_SETTINGS_WOW],
        check: Check::Machine(checks::winhttp_proxy),
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
        id: "NT-02",
        severity: Severity::Medium,
        confidence: Confidence::Unverified,
        title: "Outgoing NTLM is denied",
        explanation: "RestrictSendingNTLMTraffic = 2 denies outgoing NTLM except to the listed \
                      exceptions; NTLM-only paths (Outlook Anywhere NTLM, servers without \
                      Kerberos) fail or prompt (the prompt link is inferred).",
        remediation: "Add the Exchange and proxy hosts to ClientAllowedNTLMServers, or use \
                      Kerberos.",
        source: "windows-itpro \"Restrict NTLM: Outgoing NTLM traffic to remote servers\"",
        reads: &[&RESTRICT_SENDING_NTLM],
        check: Check::Machine(checks::outgoing_ntlm_denied),
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
    Rule {
        id: "DQ-03",
        severity: Severity::Info,
        confidence: Confidence::Verified,
        title: "Outlook prompt policy for an Office version that is not installed",
        explanation: "PromptForCredentials or AuthenticationService is set only under an Office \
                      version the SOFTWARE hive does not show as installed: a stale policy key.",
        remediation: "None needed; remove the stale policy if it is no longer wanted.",
        source: "domain-rules.md 3, 11",
        reads: &[
            &PROMPT_FOR_CREDENTIALS,
            &AUTHENTICATION_SERVICE,
            &C2R_VERSION,
            &OUTLOOK_INSTALLED,
        ],
        check: Check::User(checks::stale_policy_version),
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

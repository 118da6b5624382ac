//! The checks of the rules added with the full catalogue (domain-rules.md section 11): each
//! reads facts and returns the evidence it used, or nothing.

use super::evidence::{describe, describe_account};
use super::{Confidence, Hit, Severity};
use crate::settings::catalogue::{
    ALWAYS_USE_MSOAUTH, AUTHENTICATION_SERVICE, DISABLE_AAD_WAM, DISABLE_ADAL_ATOP_WAM,
    DISABLE_ADAL_WAM_OVERRIDE, DISABLE_BASIC_SAVED_CREDS, DISABLE_BASIC_SAVED_CREDS_RPC,
    DISABLE_DOMAIN_CREDS, ENABLE_ADAL, IDENTITY_VERSION, LYNC_ALLOW_ADAL_NONLYNC,
    MACHINE_ENABLE_ADAL, MAPI_HTTP_DISABLED, PROMPT_FOR_CREDENTIALS, PROXY_SETTINGS_PER_USER,
    RESTRICT_SENDING_NTLM,
};
use crate::settings::connection::{
    PROXY_TYPE_AUTO_DETECT, PROXY_TYPE_AUTO_PROXY_URL, PROXY_TYPE_PROXY,
};
use crate::settings::profiles::host_of;
use crate::settings::zonemap::zone_for_host;
use crate::settings::{Account, LmOrigin, MachineFacts, Observation, OsFamily, Profile, UserFacts};

/// `CONFIG_PROMPT_FOR_CREDENTIALS` in `00036601`.
const CONFIG_PROMPT_FOR_CREDENTIALS: u32 = 0x8;
/// `ROHFLAGS_MUTUAL_AUTH` in `00036623`.
const ROHFLAGS_MUTUAL_AUTH: u32 = 0x4;
/// `00036627` Basic.
const ROH_BASIC: u32 = 1;
/// `00036627` NTLM.
const ROH_NTLM: u32 = 2;
/// `00036619` values that do not prompt for Exchange Online (None and Anonymous).
const EXO_SAFE_AUTH_PACKAGES: &[u32] = &[0, 0x8000_F001];
/// AuthenticationService values other than Kerberos/NTLM (9) that break MAPI/HTTP (OL-04).
const NON_NEGOTIATE_AUTH_SERVICES: &[u32] = &[10, 16, 0x8000_F000];
/// Zone logon options that prompt (0x10000) or disable HTTP authentication (0x30000).
const PROMPTING_LOGON: &[u32] = &[0x10000, 0x30000];
/// The Microsoft 365 proxy server with the principal Microsoft documents for it.
const EXO_PROXY_PAIR: (&str, &str) = ("outlook.office365.com", "outlook.com");

/// A hit when there is evidence.
fn hit(evidence: Vec<String>) -> Option<Hit> {
    (!evidence.is_empty()).then(|| Hit::with(evidence))
}

/// A hit with a severity override.
fn hit_at(evidence: Vec<String>, severity: Option<Severity>) -> Option<Hit> {
    hit(evidence).map(|mut h| {
        h.severity = severity;
        h
    })
}

fn in_versions(observation: &Observation, versions: &[&str]) -> bool {
    observation
        .instance
        .as_deref()
        .is_some_and(|v| versions.contains(&v))
}

/// The user's Exchange accounts that satisfy `test`, described.
fn accounts_where(
    user: &UserFacts,
    test: impl Fn(&Profile, &Account) -> bool,
) -> Vec<(&Profile, &Account)> {
    user.exchange_accounts()
        .filter(|(p, a)| test(p, a))
        .collect()
}

fn describe_all(accounts: &[(&Profile, &Account)]) -> Vec<String> {
    accounts
        .iter()
        .map(|(p, a)| describe_account(p, a))
        .collect()
}

fn profile_version_in(profile: &Profile, versions: &[&str]) -> bool {
    profile
        .outlook_version
        .as_deref()
        .is_some_and(|v| versions.contains(&v))
}

/// OL-02: an Exchange account with "always prompt for logon credentials".
pub fn profile_prompt_bit(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let found = accounts_where(user, |_, a| {
        a.properties()
            .config_flags
            .is_some_and(|f| f & CONFIG_PROMPT_FOR_CREDENTIALS != 0)
    });
    hit(describe_all(&found))
}

/// OL-03: AuthenticationService set for 12.0-15.0 with Exchange Online (High) or no known
/// proxy server (Medium).
pub fn auth_service_configured(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let set: Vec<&Observation> = user
        .numbers(&AUTHENTICATION_SERVICE)
        .map(|(_, o)| o)
        .filter(|o| in_versions(o, &["12.0", "14.0", "15.0"]))
        .collect();
    if set.is_empty() {
        return None;
    }
    let exo = accounts_where(user, |_, a| a.is_exo());
    let no_server = user
        .exchange_accounts()
        .all(|(_, a)| a.properties().roh_server.is_none());
    if exo.is_empty() && !no_server {
        return None;
    }
    let mut evidence: Vec<String> = set.into_iter().map(describe).collect();
    evidence.extend(describe_all(&exo));
    hit_at(evidence, exo.is_empty().then_some(Severity::Medium))
}

/// OL-04: AuthenticationService other than 9 where MAPI over HTTP is likely.
pub fn auth_service_breaks_mapi_http(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let mapi_disabled = user.number(&MAPI_HTTP_DISABLED, None);
    let mapi_http_likely = |o: &Observation| match o.instance.as_deref() {
        Some("16.0") => true,
        Some("14.0" | "15.0") => mapi_disabled.is_none_or(|(v, _)| v != 1),
        _ => false,
    };
    let mut evidence: Vec<String> = user
        .numbers(&AUTHENTICATION_SERVICE)
        .filter(|(value, o)| NON_NEGOTIATE_AUTH_SERVICES.contains(value) && mapi_http_likely(o))
        .map(|(_, o)| describe(o))
        .collect();
    if !evidence.is_empty() {
        evidence.extend(mapi_disabled.map(|(_, o)| describe(o)));
    }
    hit(evidence)
}

/// OL-05: an Exchange Online account of Outlook 2007-2013 whose logon network security is not
/// Anonymous (or None); High for 2007/2010, Medium for 2013.
pub fn exo_logon_security(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let found = accounts_where(user, |p, a| {
        a.is_exo()
            && profile_version_in(p, &["12.0", "14.0", "15.0"])
            && a.properties()
                .auth_package
                .is_some_and(|v| !EXO_SAFE_AUTH_PACKAGES.contains(&v))
    });
    let old = found
        .iter()
        .any(|(p, _)| profile_version_in(p, &["12.0", "14.0"]));
    hit_at(describe_all(&found), (!old).then_some(Severity::Medium))
}

/// OL-06: Outlook Anywhere with Basic to an on-premises proxy; High on Outlook 2003 or when
/// the policy blocks saving Basic credentials.
pub fn roh_basic(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let found = accounts_where(user, |_, a| {
        let p = a.properties();
        p.uses_http() && p.roh_auth_scheme == Some(ROH_BASIC) && !a.is_exo()
    });
    if found.is_empty() {
        return None;
    }
    let no_saving: Vec<&Observation> = [&DISABLE_BASIC_SAVED_CREDS, &DISABLE_BASIC_SAVED_CREDS_RPC]
        .into_iter()
        .flat_map(|s| user.numbers(s))
        .filter(|(v, _)| *v == 1)
        .map(|(_, o)| o)
        .collect();
    let outlook_2003 = found.iter().any(|(p, _)| profile_version_in(p, &["11.0"]));
    let mut evidence = describe_all(&found);
    evidence.extend(no_saving.iter().map(|o| describe(o)));
    let high = outlook_2003 || !no_saving.is_empty();
    hit_at(evidence, high.then_some(Severity::High))
}

/// The accounts using Outlook Anywhere with NTLM to the proxy.
fn roh_ntlm_accounts(user: &UserFacts) -> Vec<(&Profile, &Account)> {
    accounts_where(user, |_, a| {
        let p = a.properties();
        p.uses_http() && p.roh_auth_scheme == Some(ROH_NTLM)
    })
}

/// Whether any of the user's Exchange accounts uses Outlook Anywhere with NTLM.
pub fn has_roh_ntlm(user: &UserFacts) -> bool {
    !roh_ntlm_accounts(user).is_empty()
}

/// OL-07 and OL-07b: NTLM to the RPC proxy from a machine sending LM responses; `origin`
/// says whether the level is set (OL-07) or the XP/2000 default (OL-07b).
fn roh_ntlm_with_lm(machine: &MachineFacts, user: &UserFacts, origin: LmOrigin) -> Option<Hit> {
    let (Some(level @ (0 | 1)), found_origin) = machine.lm_effective() else {
        return None;
    };
    if found_origin != origin {
        return None;
    }
    if origin == LmOrigin::OsDefault
        && !matches!(
            machine.os_family(),
            OsFamily::Windows2000 | OsFamily::WindowsXp
        )
    {
        return None;
    }
    let found = roh_ntlm_accounts(user);
    if found.is_empty() {
        return None;
    }
    let mut evidence = describe_all(&found);
    evidence.extend(machine.lm_observation().map(describe));
    evidence.push(format!(
        "effective LmCompatibilityLevel {level} ({})",
        origin.label()
    ));
    let mut hit = Hit::with(evidence);
    let outlook_2003 = found.iter().all(|(p, _)| profile_version_in(p, &["11.0"]));
    hit.confidence = outlook_2003.then_some(Confidence::Verified);
    Some(hit)
}

/// OL-07: LmCompatibilityLevel set to 0 or 1.
pub fn roh_ntlm_lm_set(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    roh_ntlm_with_lm(machine, user, LmOrigin::Value)
}

/// OL-07b: LmCompatibilityLevel absent on Windows 2000 or XP (default 0).
pub fn roh_ntlm_lm_default(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    roh_ntlm_with_lm(machine, user, LmOrigin::OsDefault)
}

/// OL-08: UseOnlineContent in effect 0 for Office 15.0 or 16.0.
pub fn online_content_off(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let evidence = ["15.0", "16.0"]
        .into_iter()
        .map(|version| user.use_online_content(version))
        .filter(|effective| effective.value == Some(0))
        .flat_map(|effective| {
            let mut lines: Vec<String> = effective.evidence.iter().map(|o| describe(o)).collect();
            lines.push(format!("UseOnlineContent {}", effective.describe()));
            lines
        })
        .collect();
    hit(evidence)
}

/// OL-09: MAPI/HTTP disabled; High when an account is in Exchange Online.
pub fn mapi_http_disabled(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let (1, observation) = user.number(&MAPI_HTTP_DISABLED, None)? else {
        return None;
    };
    let exo = accounts_where(user, |_, a| a.is_exo());
    let mut evidence = vec![describe(observation)];
    evidence.extend(describe_all(&exo));
    hit_at(evidence, (!exo.is_empty()).then_some(Severity::High))
}

/// OL-10: a 2013+ profile mixing Exchange Online and on-premises accounts without
/// AlwaysUseMSOAuthForAutoDiscover = 1.
pub fn mixed_profile_without_msoauth(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let msoauth = user.number(&ALWAYS_USE_MSOAUTH, None);
    if msoauth.is_some_and(|(v, _)| v == 1) {
        return None;
    }
    let mixed = user.profiles().iter().find(|p| {
        profile_version_in(p, &["15.0", "16.0"])
            && p.exchange_accounts().any(Account::is_exo)
            && p.exchange_accounts().any(|a| !a.is_exo())
    })?;
    let mut evidence: Vec<String> = mixed
        .exchange_accounts()
        .map(|a| describe_account(mixed, a))
        .collect();
    evidence.push(msoauth.map_or_else(
        || "AlwaysUseMSOAuthForAutoDiscover not set".to_string(),
        |(_, o)| describe(o),
    ));
    hit(evidence)
}

/// The Office versions that apply to the user, including their profile roots.
fn versions_of(machine: &MachineFacts, user: &UserFacts) -> Vec<String> {
    let mut versions = user.office_versions(machine);
    versions.extend(
        user.profiles()
            .iter()
            .filter_map(|p| p.outlook_version.clone()),
    );
    versions.sort();
    versions.dedup();
    versions
}

/// OL-11: Outlook 2013 with Exchange Online and modern authentication not enabled.
pub fn office_2013_without_adal(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    if !versions_of(machine, user).iter().any(|v| v == "15.0") {
        return None;
    }
    let exo = accounts_where(user, |_, a| a.is_exo());
    if exo.is_empty() {
        return None;
    }
    let enable = user.number(&ENABLE_ADAL, Some("15.0"));
    let version = user.number(&IDENTITY_VERSION, Some("15.0"));
    if enable.is_some_and(|(v, _)| v == 1) && version.is_some_and(|(v, _)| v == 1) {
        return None;
    }
    let mut evidence = describe_all(&exo);
    for (name, found) in [("EnableADAL", enable), ("Version", version)] {
        evidence.push(found.map_or_else(
            || format!(r"15.0\Common\Identity\{name} not set"),
            |(_, o)| describe(o),
        ));
    }
    hit(evidence)
}

/// OL-12: EnableADAL = 0 for Office 16.0 (user or machine) with Office 2016+ present.
pub fn office_16_adal_off(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    if !versions_of(machine, user).iter().any(|v| v == "16.0") {
        return None;
    }
    let machine_off = machine
        .software_observations(&MACHINE_ENABLE_ADAL)
        .filter(|o| o.instance.as_deref() == Some("16.0") && o.number() == Some(0));
    let user_off = user
        .number(&ENABLE_ADAL, Some("16.0"))
        .filter(|(v, _)| *v == 0)
        .map(|(_, o)| o);
    hit(user_off
        .into_iter()
        .chain(machine_off)
        .map(describe)
        .collect())
}

/// OL-13: WAM turned off for Office; Low when an account is in Exchange Online.
pub fn wam_disabled(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let evidence: Vec<String> = [&DISABLE_ADAL_WAM_OVERRIDE, &DISABLE_AAD_WAM]
        .into_iter()
        .flat_map(|s| user.numbers(s))
        .filter(|(v, _)| *v == 1)
        .map(|(_, o)| describe(o))
        .collect();
    hit_at(evidence, user.has_exo_account().then_some(Severity::Low))
}

/// OL-14: mutual authentication with a principal name that does not match the proxy server.
/// Microsoft's own Microsoft 365 pair (outlook.office365.com with msstd:outlook.com) is not
/// flagged.
pub fn principal_mismatch(_: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let found = accounts_where(user, |_, a| {
        let p = a.properties();
        let (Some(flags), Some(server), Some(principal)) =
            (p.roh_flags, &p.roh_server, &p.roh_principal)
        else {
            return false;
        };
        let (server, principal) = (host_of(server), host_of(principal));
        flags & ROHFLAGS_MUTUAL_AUTH != 0
            && !principal.contains('*')
            && server != principal
            && (server.as_str(), principal.as_str()) != EXO_PROXY_PAIR
    });
    hit(describe_all(&found))
}

/// OL-15: Credential Manager may not store passwords while an account needs a stored one.
pub fn domain_creds_disabled(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let (1, observation) = machine.number(&DISABLE_DOMAIN_CREDS)? else {
        return None;
    };
    let found = accounts_where(user, |_, a| {
        a.is_exo() || a.properties().roh_auth_scheme == Some(ROH_BASIC)
    });
    if found.is_empty() {
        return None;
    }
    let mut evidence = vec![describe(observation)];
    evidence.extend(describe_all(&found));
    hit(evidence)
}

/// The user's proxy blob when Lync / Skype for Business is present, with evidence lines.
fn lync_connection(machine: &MachineFacts, user: &UserFacts) -> Option<(u32, Vec<String>)> {
    let lync = user.lync_versions(machine);
    if lync.is_empty() {
        return None;
    }
    let (blob, observation) = user.connection()?;
    let evidence = vec![
        format!(
            "Lync / Skype for Business present for Office {}",
            lync.join(", ")
        ),
        format!("{} ({})", describe(observation), blob.describe()),
    ];
    Some((blob.flags, evidence))
}

/// LY-01: Lync present, "Automatically detect settings" off and no proxy or PAC.
pub fn lync_no_proxy_discovery(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let (flags, evidence) = lync_connection(machine, user)?;
    let any = PROXY_TYPE_AUTO_DETECT | PROXY_TYPE_PROXY | PROXY_TYPE_AUTO_PROXY_URL;
    (flags & any == 0).then(|| Hit::with(evidence))
}

/// LY-01b: Lync present with a manual proxy.
pub fn lync_manual_proxy(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let (flags, evidence) = lync_connection(machine, user)?;
    (flags & PROXY_TYPE_PROXY != 0).then(|| Hit::with(evidence))
}

/// LY-02: Lync 2013+ with an Exchange Online account and no AllowAdalForNonLyncIndependentOfLync.
pub fn lync_without_adal_for_exo(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let exo = accounts_where(user, |_, a| a.is_exo());
    if exo.is_empty() {
        return None;
    }
    let missing: Vec<String> = user
        .lync_versions(machine)
        .into_iter()
        .filter(|v| v == "15.0" || v == "16.0")
        .filter(|v| {
            user.number(&LYNC_ALLOW_ADAL_NONLYNC, Some(v))
                .map(|(n, _)| n)
                != Some(1)
        })
        .map(|v| format!("Lync {v}: AllowAdalForNonLyncIndependentOfLync is not 1"))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut evidence = missing;
    evidence.extend(describe_all(&exo));
    hit(evidence)
}

/// LY-03: DisableADALatopWAMOverride without DisableADALatopWAM where Skype for Business 16.0
/// is present.
pub fn skype_ignores_wam_override(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    if !user.lync_versions(machine).iter().any(|v| v == "16.0") {
        return None;
    }
    let (1, set) = user.number(&DISABLE_ADAL_WAM_OVERRIDE, Some("16.0"))? else {
        return None;
    };
    if user
        .observation(&DISABLE_ADAL_ATOP_WAM, Some("16.0"))
        .is_some_and(Observation::is_present)
    {
        return None;
    }
    hit(vec![
        describe(set),
        r"16.0\Common\Identity\DisableADALatopWAM not set".to_string(),
    ])
}

/// IE-01: the Local intranet zone prompts or logs on anonymously.
pub fn intranet_zone_prompts(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let effective = user.zone_logon(machine, "1");
    if !effective
        .value
        .is_some_and(|v| PROMPTING_LOGON.contains(&v))
    {
        return None;
    }
    let mut evidence: Vec<String> = effective.evidence.iter().map(|o| describe(o)).collect();
    evidence.push(format!("zone 1 logon (1A00) {}", effective.describe()));
    hit(evidence)
}

/// Zone logon option 1A00 "Prompt for user name and password".
const PROMPT_LOGON: u32 = 0x10000;

/// IE-02: the zone an Exchange proxy host of the user's profiles is in prompts for
/// credentials. The hosts come from the profiles (PR_ROH_PROXY_SERVER); a host no ZoneMap
/// entry places is in the Internet zone when it has a dot, else in the Local intranet.
pub fn exchange_host_zone_prompts(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let mut evidence = Vec::new();
    for (profile, account) in user.exchange_accounts() {
        let Some(server) = account.properties().roh_server else {
            continue;
        };
        let host = host_of(&server);
        let (zone, placed_by) = match zone_for_host(&user.extraction.zone_map, &host) {
            Some(mapping) => (mapping.zone.to_string(), mapping.describe()),
            None if host.contains('.') => (
                "3".into(),
                format!("{host}: no ZoneMap entry, Internet zone"),
            ),
            None => (
                "1".into(),
                format!("{host}: plain host name, Local intranet zone"),
            ),
        };
        let effective = user.zone_logon(machine, &zone);
        if effective.value != Some(PROMPT_LOGON) {
            continue;
        }
        evidence.push(describe_account(profile, account));
        evidence.push(placed_by);
        evidence.extend(effective.evidence.iter().map(|o| describe(o)));
        evidence.push(format!("zone {zone} logon (1A00) {}", effective.describe()));
    }
    hit(evidence)
}

/// IE-03: the WinINET proxy is per machine.
pub fn proxy_per_machine(machine: &MachineFacts) -> Option<Hit> {
    let (0, observation) = machine.number(&PROXY_SETTINGS_PER_USER)? else {
        return None;
    };
    hit(vec![describe(observation)])
}

/// IE-04: a WinHTTP machine proxy is set.
pub fn winhttp_proxy(machine: &MachineFacts) -> Option<Hit> {
    let (blob, observation) = machine.winhttp()?;
    blob.manual_proxy().then(|| {
        Hit::with(vec![format!(
            "{} ({})",
            describe(observation),
            blob.describe()
        )])
    })
}

/// NT-02: outgoing NTLM denied.
pub fn outgoing_ntlm_denied(machine: &MachineFacts) -> Option<Hit> {
    let (2, observation) = machine.number(&RESTRICT_SENDING_NTLM)? else {
        return None;
    };
    hit(vec![describe(observation)])
}

/// DQ-03: Outlook prompt policies under an Office version the machine does not have.
pub fn stale_policy_version(machine: &MachineFacts, user: &UserFacts) -> Option<Hit> {
    let installed = machine.office_versions();
    if installed.is_empty() {
        return None;
    }
    let evidence: Vec<String> = [&PROMPT_FOR_CREDENTIALS, &AUTHENTICATION_SERVICE]
        .into_iter()
        .flat_map(|s| user.extraction.of(s))
        .filter(|o| o.is_present())
        .filter(|o| o.instance.as_ref().is_some_and(|v| !installed.contains(v)))
        .map(describe)
        .collect();
    let mut hit = hit(evidence)?;
    hit.evidence
        .push(format!("installed Office: {}", installed.join(", ")));
    Some(hit)
}

//! How a rule names its evidence: the setting's key and value (or the profile account), what
//! was found, and the key's last-write time.

use crate::hive::filetime;
use crate::settings::decode::type_name;
use crate::settings::{Account, Lookup, Observation, Profile};

/// One line describing an observation, e.g.
/// `Software\...\Security\PromptForCredentials = 1 (REG_DWORD; key written 2024-01-01T00:00:00.0000000Z)`.
pub fn describe(observation: &Observation) -> String {
    let location = if observation.setting.value.is_empty() {
        observation.key_path.to_string()
    } else {
        format!("{}\\{}", observation.key_path, observation.setting.value)
    };
    let written = observation
        .last_written()
        .map(|t| format!("; key written {}", filetime::to_iso8601(t)))
        .unwrap_or_default();
    match &observation.lookup {
        Lookup::Present {
            raw_type, decoded, ..
        } => format!("{location} = {decoded} ({}{written})", type_name(*raw_type)),
        Lookup::Subkeys { names, .. } => format!("{location} has {} subkeys{written}", names.len()),
        Lookup::ValueAbsent { .. } => format!("{location} not set{written}"),
        Lookup::KeyAbsent => format!("{location} not set (key absent)"),
        Lookup::Error(error) => format!("{location} unreadable: {error}"),
    }
}

/// One line describing an Exchange account and the section its settings came from, e.g.
/// `profile "Outlook" (Software\...\Profiles, default) account "a@b.com": section 500e... via
/// 01023d15, key written ...: 00036601 = 0x984, ...`.
pub fn describe_account(profile: &Profile, account: &Account) -> String {
    let default = if profile.is_default { ", default" } else { "" };
    let head = format!(
        "profile {:?} ({}{default}) account {:?}",
        profile.name,
        profile.root.key_path(),
        account.name
    );
    let Some(section) = &account.section else {
        return format!("{head}: no Exchange section found");
    };
    let written = section
        .last_written
        .map(|t| format!(", key written {}", filetime::to_iso8601(t)))
        .unwrap_or_default();
    let p = &section.properties;
    let hex = |n: Option<u32>| n.map_or_else(|| "unset".to_string(), |n| format!("0x{n:x}"));
    let text = |t: &Option<String>| t.clone().unwrap_or_else(|| "unset".to_string());
    format!(
        "{head}: section {} via {}{written}: 00036601 = {}, 00036619 = {}, 00036623 = {}, \
         00036627 = {}, 6622 = {}, 6625 = {}",
        section.key,
        section.found_by.label(),
        hex(p.config_flags),
        hex(p.auth_package),
        hex(p.roh_flags),
        hex(p.roh_auth_scheme),
        text(&p.roh_server),
        text(&p.roh_principal)
    )
}

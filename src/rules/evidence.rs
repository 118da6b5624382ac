//! How a rule names its evidence: the setting's key and value, what was found, and the key's
//! last-write time.

use crate::hive::filetime;
use crate::settings::decode::type_name;
use crate::settings::{Lookup, Observation};

/// One line describing an observation, e.g.
/// `Software\...\Security\PromptForCredentials = 1 (REG_DWORD; key written 2024-01-01T00:00:00.0000000Z)`.
pub fn describe(observation: &Observation) -> String {
    let location = if observation.setting.value.is_empty() {
        observation.key_path.clone()
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

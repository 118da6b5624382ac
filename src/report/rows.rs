//! The rows of each report. Field order is column order; README documents every column.
//!
//! Rows hold only text and numbers ready to print: the scan fills them from facts, so a
//! writer never decodes anything.

use std::borrow::Cow;

use serde::Serialize;

use crate::hive::filetime;

/// `hives.csv`: one row per file considered.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HiveRow {
    /// Path of the file.
    pub path: String,
    /// Machine id from the collection layout (empty when unplaced).
    pub machine: String,
    /// ComputerName from the machine's SYSTEM hive.
    pub computer_name: String,
    /// User the hive belongs to.
    pub user: String,
    /// SYSTEM, SOFTWARE, NTUSER, SAM, ..., `LOG` for transaction logs, empty for other files.
    pub hive_type: String,
    /// What decided the type: embedded-name, structure, file-name.
    pub detected_by: String,
    /// Size in bytes.
    pub size: Option<u64>,
    /// clean, dirty, error; log, not-hive, skipped, unreadable for other files.
    pub status: String,
    /// Why the status is what it is (dirty reason, error message, log owner).
    pub detail: String,
    /// Transaction logs attached to the hive, separated by ` | `.
    pub logs: String,
    /// Base-block primary sequence number.
    pub primary_sequence: Option<u32>,
    /// Base-block secondary sequence number.
    pub secondary_sequence: Option<u32>,
    /// Format version, e.g. 1.5.
    pub version: String,
    /// Base-block last-written time.
    pub last_written: String,
    /// The path Windows stored in the base block (last 31 characters).
    pub embedded_name: String,
    /// SHA-256 of the file, with `--hash`; empty otherwise or when it could not be read.
    pub sha256: String,
}

/// `machines.csv`: one row per machine.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MachineRow {
    /// Machine id from the collection layout.
    pub machine: String,
    /// NetBIOS computer name.
    pub computer_name: String,
    /// DNS domain (`Domain`, else `NV Domain`).
    pub domain: String,
    /// DNS host name.
    pub hostname: String,
    /// WinNT, ServerNT, LanmanNT.
    pub product_type: String,
    /// workstation, server, domain controller.
    pub role: String,
    /// ProductName (Windows 11 told apart by build).
    pub os: String,
    /// Build number.
    pub build: String,
    /// Feature-update label.
    pub display_version: String,
    /// The control set read, e.g. ControlSet002.
    pub control_set: String,
    /// `select` when Select\Current named it, `assumed` when ControlSet001 was assumed.
    pub control_set_source: String,
    /// LmCompatibilityLevel as set; empty when absent.
    pub lm_compatibility_level: String,
    /// The level in effect: the value, else the OS default; empty when unknown.
    pub lm_compatibility_effective: Option<u32>,
    /// value, os-default or unknown.
    pub lm_compatibility_origin: String,
    /// Lsa DisableDomainCreds; empty when absent.
    pub disable_domain_creds: String,
    /// MSV1_0 NtlmMinClientSec; empty when absent.
    pub ntlm_min_client_sec: String,
    /// MSV1_0 RestrictSendingNTLMTraffic; empty when absent.
    pub restrict_sending_ntlm_traffic: String,
    /// Office versions installed (Click-to-Run and Outlook keys, both registry views), `; `-separated.
    pub office_versions: String,
    /// Path of the SYSTEM hive read.
    pub system_hive: String,
    /// Path of the SOFTWARE hive read.
    pub software_hive: String,
    /// Number of user hives.
    pub users: usize,
}

/// `settings.csv`: one row per setting looked up per hive, present or not.
///
/// A hive gives about a hundred rows that share its identity, and each row is encoded as soon
/// as it is made ([`super::EncodedRows`]), so the row borrows its text instead of owning it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SettingRow<'a> {
    /// Machine id.
    pub machine: &'a str,
    /// NetBIOS computer name.
    pub computer_name: &'a str,
    /// User, for user hives.
    pub user: &'a str,
    /// User SID, when ProfileList maps it.
    pub sid: &'a str,
    /// Hive path (RECmd HivePath).
    pub hive_path: &'a str,
    /// Hive type.
    pub hive_type: &'static str,
    /// The hive's load status (clean, dirty, ...): dirty means values may be stale.
    pub hive_status: &'static str,
    /// Setting id from the catalogue.
    pub setting: &'static str,
    /// Key path below the hive root (RECmd KeyPath, without the root key name).
    pub key_path: &'a str,
    /// Value name (RECmd ValueName); empty for subkey listings.
    pub value_name: &'static str,
    /// Stored registry type (RECmd ValueType), e.g. REG_DWORD.
    pub value_type: Cow<'static, str>,
    /// The data (RECmd ValueData): decoded number or text; hex for data that did not decode.
    pub value_data: String,
    /// Whether the value (or listed key) exists.
    pub present: bool,
    /// The key's last-write time (RECmd LastWriteTimestamp), ISO 8601 UTC.
    pub last_write: LastWrite,
    /// True when replaying the transaction logs changed this value ("changed in the last hour").
    pub changed_by_logs: bool,
    /// When `changed_by_logs`: the value the primary file alone holds (`(not set)` if none).
    pub value_before_logs: String,
    /// Malformed data, unreadable keys and similar remarks.
    pub note: String,
}

/// A key's last-write time (FILETIME), written as ISO 8601 UTC when the row is serialised and
/// as an empty cell when unknown: rows hold a number instead of a String each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LastWrite(pub Option<u64>);

impl Serialize for LastWrite {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(filetime) => serializer.serialize_str(filetime::Iso8601::new(filetime).as_str()),
            None => serializer.serialize_str(""),
        }
    }
}

impl SettingRow<'_> {
    /// How many leading columns (`machine` to `hive_status`) are the same in every row of one
    /// hive, so that they can be encoded once per hive.
    pub const HIVE_COLUMNS: usize = 7;
}

/// `findings.csv`: one row per rule that fired.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FindingRow {
    /// Machine id.
    pub machine: String,
    /// NetBIOS computer name.
    pub computer_name: String,
    /// User, for user findings.
    pub user: String,
    /// User SID, when known.
    pub sid: String,
    /// Rule id (see `hiveaudit rules`).
    pub rule_id: String,
    /// Info, Low, Medium, High, Critical.
    pub severity: String,
    /// verified, partial, unverified.
    pub confidence: String,
    /// What the rule detects.
    pub title: String,
    /// The settings and states that triggered it, separated by ` | `.
    pub evidence: String,
    /// Why it causes prompts.
    pub explanation: String,
    /// What to change.
    pub remediation: String,
    /// The documentation the rule rests on.
    pub reference: String,
}

/// `accounts.csv`: one row per account of every Outlook MAPI profile.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AccountRow {
    /// Machine id.
    pub machine: String,
    /// NetBIOS computer name.
    pub computer_name: String,
    /// User whose hive holds the profile.
    pub user: String,
    /// User SID, when known.
    pub sid: String,
    /// The profile root key (Windows Messaging Subsystem or Office\<version>\Outlook\Profiles).
    pub profile_root: String,
    /// Office version of the Outlook using the profile (root version, or guessed for WMS).
    pub outlook_version: String,
    /// Profile name.
    pub profile: String,
    /// Whether the root's DefaultProfile names this profile.
    pub is_default: bool,
    /// `Account Name` (empty when the profile has no accounts).
    pub account: String,
    /// `Service Name` (MSEMS = Exchange).
    pub service_name: String,
    /// `Service UID` as hex.
    pub service_uid: String,
    /// The section the Exchange settings were read from (hex MAPIUID).
    pub section_key: String,
    /// How the section was found: 01023d15, 01023d0d or global.
    pub section_found_by: String,
    /// `00036601` PR_PROFILE_CONFIG_FLAGS, hex.
    pub config_flags: String,
    /// Whether bit 0x8 (always prompt for credentials) is set.
    pub prompt_bit: Option<bool>,
    /// `00036619` PR_PROFILE_AUTH_PACKAGE, hex.
    pub auth_package: String,
    /// `00036623` PR_ROH_FLAGS, hex.
    pub roh_flags: String,
    /// `00036627` PR_ROH_PROXY_AUTH_SCHEME: 1 Basic, 2 NTLM.
    pub roh_auth_scheme: Option<u32>,
    /// `001f6622` PR_ROH_PROXY_SERVER.
    pub roh_server: String,
    /// `001f6625` PR_ROH_PROXY_PRINCIPAL_NAME.
    pub roh_principal: String,
    /// Whether the account looks like Exchange Online (heuristic on the proxy server).
    pub is_exo: bool,
    /// Last-write time of the section (else of the account-list entry), ISO 8601 UTC.
    pub last_write: String,
    /// Why the profile could not be read completely, if it could not.
    pub note: String,
}

//! Outlook MAPI profiles in a user hive (domain-rules.md section 5).
//!
//! Every profile root is read: `Windows Messaging Subsystem\Profiles` (Outlook 2003-2010) and
//! `Office\<NN.N>\Outlook\Profiles` (2013 and later). For each profile the account list
//! (`9375CFF0...`) names the accounts; an Exchange account's settings live in its EMSMDB
//! section, found through the service section's `01023d15` and `01023d0d` pointers, else in the
//! global section `13dbb0c8...`. Property values are decoded by the type in their name, never by
//! the registry type. Every read is guarded and every count bounded: a damaged profile costs
//! that profile, not the hive.

use std::sync::Arc;

use crate::hive::{HiveResult, Key, ValueIndex, guarded};

use super::decode::{self, Decoded, reg_type};
use super::extract::Placeholder;
use super::keys::{KeyCache, KeyId};

/// Where Outlook 2003-2010 keep their profiles.
const WMS_ROOT: &str =
    r"Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles";
/// The parent of the per-version Office keys.
const OFFICE_KEY: &str = r"Software\Microsoft\Office";
/// The account-manager list of a profile.
const ACCOUNT_LIST: &str = "9375CFF0413111d3B88A00104B2A6676";
/// The Exchange global profile section (pbGlobalProfileSectionGuid).
const GLOBAL_SECTION: &str = "13dbb0c8aa05101a9bb000aa002fc45a";
/// The message-service name of an Exchange account.
const EXCHANGE_SERVICE: &str = "MSEMS";
/// Office versions whose Outlook keeps profiles in the Windows Messaging Subsystem, newest first.
const WMS_VERSIONS: &[&str] = &["14.0", "12.0", "11.0"];
/// At most this many profiles are read per root.
const MAX_PROFILES: usize = 64;
/// At most this many accounts are read per profile.
const MAX_ACCOUNTS: usize = 64;
/// At most this many UIDs are taken from one `01023d0d` value.
const MAX_EXTRA_UIDS: usize = 16;
/// Host names that mark an Exchange Online (Microsoft 365) account; a heuristic (section 11).
const EXO_SUFFIXES: &[&str] = &["outlook.office365.com", ".outlook.com", ".onmicrosoft.com"];

/// The key a profile was found under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileRoot {
    /// `Windows Messaging Subsystem\Profiles` (Outlook 2003, 2007, 2010).
    WindowsMessaging,
    /// `Office\<version>\Outlook\Profiles` (15.0 = 2013, 16.0 = 2016 and later).
    Office(String),
}

impl ProfileRoot {
    /// The root's key path below the hive root.
    pub fn key_path(&self) -> String {
        match self {
            ProfileRoot::WindowsMessaging => WMS_ROOT.to_string(),
            ProfileRoot::Office(version) => format!(r"{OFFICE_KEY}\{version}\Outlook\Profiles"),
        }
    }

    /// The root's key, when present.
    fn resolve(&self, keys: &mut KeyCache<'_, '_>) -> HiveResult<Option<KeyId>> {
        let Some(pointer) = self.default_pointer(keys)? else {
            return Ok(None);
        };
        match self {
            ProfileRoot::WindowsMessaging => Ok(Some(pointer)),
            ProfileRoot::Office(_) => keys.resolve_below(pointer, "Profiles"),
        }
    }

    /// The key holding the root's `DefaultProfile` value, when present.
    fn default_pointer(&self, keys: &mut KeyCache<'_, '_>) -> HiveResult<Option<KeyId>> {
        match self {
            ProfileRoot::WindowsMessaging => keys.resolve(WMS_ROOT),
            ProfileRoot::Office(version) => outlook_key(keys, version),
        }
    }
}

/// The `Outlook` key of Office `version`, when present.
fn outlook_key(keys: &mut KeyCache<'_, '_>, version: &str) -> HiveResult<Option<KeyId>> {
    let Some(office) = keys.resolve(OFFICE_KEY)? else {
        return Ok(None);
    };
    match keys.resolve_below(office, version)? {
        Some(versioned) => keys.resolve_below(versioned, "Outlook"),
        None => Ok(None),
    }
}

/// One MAPI profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// The root it was found under.
    pub root: ProfileRoot,
    /// The profile name (its key name).
    pub name: String,
    /// Whether the root's `DefaultProfile` names it.
    pub is_default: bool,
    /// The Office version of the Outlook that uses it: the root's version, or for the Windows
    /// Messaging Subsystem the newest of 14.0, 12.0, 11.0 with an Outlook key in the hive.
    pub outlook_version: Option<String>,
    /// Its accounts, in account-list order.
    pub accounts: Vec<Account>,
    /// Why the accounts could not all be read, when the profile is damaged.
    pub error: Option<String>,
}

impl Profile {
    /// The profile's Exchange accounts.
    pub fn exchange_accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.iter().filter(|a| a.is_exchange())
    }
}

/// One account of a profile's account list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Account {
    /// The account-list subkey, e.g. `00000002`.
    pub list_key: String,
    /// `Account Name`.
    pub name: String,
    /// `Service Name` (`MSEMS` for Exchange, `MSUPST MS` for a PST, ...); empty for mail
    /// accounts without a message service (POP3, IMAP).
    pub service_name: String,
    /// `Service UID`, as the hex of its 16 bytes.
    pub service_uid: String,
    /// The account-list subkey's last-write time (FILETIME).
    pub last_written: Option<u64>,
    /// For Exchange accounts: the section holding the Exchange settings, when one was found.
    pub section: Option<Section>,
}

impl Account {
    /// Whether the account is an Exchange account (`Service Name` MSEMS).
    pub fn is_exchange(&self) -> bool {
        self.service_name.eq_ignore_ascii_case(EXCHANGE_SERVICE)
    }

    /// The Exchange settings (all unset when no section was found).
    pub fn properties(&self) -> ExchangeProperties {
        self.section
            .as_ref()
            .map(|s| s.properties.clone())
            .unwrap_or_default()
    }

    /// Whether the account looks like an Exchange Online mailbox: its RPC proxy server is a
    /// Microsoft 365 host (section 11 heuristic; unverified list).
    pub fn is_exo(&self) -> bool {
        self.properties()
            .roh_server
            .as_deref()
            .is_some_and(is_exo_host)
    }
}

/// Whether `server` (a host, possibly with a scheme or path) is a Microsoft 365 host.
pub fn is_exo_host(server: &str) -> bool {
    let host = host_of(server);
    host == "outlook.com" || EXO_SUFFIXES.iter().any(|suffix| host.ends_with(suffix))
}

/// The lower-case host of a server name or URL: no scheme, `msstd:` prefix, port or path.
pub fn host_of(server: &str) -> String {
    let trimmed = server.trim();
    let without_prefix = trimmed.split_once("://").map_or(trimmed, |(_, rest)| rest);
    let without_prefix = without_prefix
        .strip_prefix("msstd:")
        .or_else(|| without_prefix.strip_prefix("MSSTD:"))
        .unwrap_or(without_prefix);
    without_prefix
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Which pointer led to an account's section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionPointer {
    /// `01023d15` PR_EMSMDB_SECTION_UID of the service section.
    EmsmdbUid,
    /// `01023d0d` PR_SERVICE_EXTRA_UIDS of the service section.
    ServiceExtraUids,
    /// The global profile section `13dbb0c8...` (Outlook 2003/2007, or the legacy account).
    GlobalSection,
}

impl SectionPointer {
    /// The name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            SectionPointer::EmsmdbUid => "01023d15",
            SectionPointer::ServiceExtraUids => "01023d0d",
            SectionPointer::GlobalSection => "global",
        }
    }
}

/// The profile section an Exchange account's settings were read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The section's key name (hex of the 16-byte MAPIUID).
    pub key: String,
    /// The pointer that led to it.
    pub found_by: SectionPointer,
    /// The section key's last-write time (FILETIME).
    pub last_written: Option<u64>,
    /// The decoded Exchange properties.
    pub properties: ExchangeProperties,
}

/// The Exchange properties of a section that prompts depend on (sections 5.5-5.7).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExchangeProperties {
    /// `00036601` PR_PROFILE_CONFIG_FLAGS (0x8 = always prompt for credentials).
    pub config_flags: Option<u32>,
    /// `00036619` PR_PROFILE_AUTH_PACKAGE (logon network security).
    pub auth_package: Option<u32>,
    /// `00036623` PR_ROH_FLAGS (0x1 use HTTP, 0x4 mutual authentication).
    pub roh_flags: Option<u32>,
    /// `00036627` PR_ROH_PROXY_AUTH_SCHEME (1 Basic, 2 NTLM).
    pub roh_auth_scheme: Option<u32>,
    /// `001f6622` (or `001e6622`) PR_ROH_PROXY_SERVER.
    pub roh_server: Option<String>,
    /// `001f6625` (or `001e6625`) PR_ROH_PROXY_PRINCIPAL_NAME.
    pub roh_principal: Option<String>,
}

impl ExchangeProperties {
    /// Whether no property is set.
    fn is_empty(&self) -> bool {
        *self == ExchangeProperties::default()
    }

    /// Whether the account connects over RPC over HTTP (Outlook Anywhere).
    pub fn uses_http(&self) -> bool {
        self.roh_flags.is_some_and(|f| f & 0x1 != 0)
    }
}

/// Reads every profile of every root in the hive.
pub fn read(keys: &mut KeyCache<'_, '_>) -> Vec<Profile> {
    roots(keys)
        .iter()
        .flat_map(|root| read_root(keys, root))
        .collect()
}

/// The Windows Messaging Subsystem root, then one root per Office version key present.
fn roots(keys: &mut KeyCache<'_, '_>) -> Vec<ProfileRoot> {
    let versions = guarded(|| match keys.resolve(OFFICE_KEY)? {
        Some(office) => keys.instances(office, Placeholder::OfficeVersion),
        None => Ok(Arc::new([])),
    })
    .unwrap_or_default();
    std::iter::once(ProfileRoot::WindowsMessaging)
        .chain(versions.iter().cloned().map(ProfileRoot::Office))
        .collect()
}

fn read_root(keys: &mut KeyCache<'_, '_>, root: &ProfileRoot) -> Vec<Profile> {
    guarded(|| {
        let Some(id) = root.resolve(keys)? else {
            return Ok(Vec::new());
        };
        let key = keys.key(id).clone();
        let default = default_profile(keys, root);
        let outlook_version = outlook_version(keys, root);
        let profiles = key.subkeys()?;
        let mut read = Vec::with_capacity(profiles.len().min(MAX_PROFILES));
        for profile in profiles.iter().take(MAX_PROFILES) {
            let name = profile.name()?;
            let (accounts, error) = match guarded(|| accounts(profile)) {
                Ok(accounts) => (accounts, None),
                Err(error) => (Vec::new(), Some(error.0)),
            };
            read.push(Profile {
                root: root.clone(),
                is_default: default
                    .as_deref()
                    .is_some_and(|d| d.eq_ignore_ascii_case(&name)),
                name,
                outlook_version: outlook_version.clone(),
                accounts,
                error,
            });
        }
        Ok(read)
    })
    .unwrap_or_default()
}

/// The root's `DefaultProfile`, when set.
fn default_profile(keys: &mut KeyCache<'_, '_>, root: &ProfileRoot) -> Option<String> {
    guarded(|| {
        let Some(id) = root.default_pointer(keys)? else {
            return Ok(None);
        };
        Ok(keys.values(id)?.get("DefaultProfile")?.and_then(|v| {
            match decode::text(v.raw_type, &v.data) {
                Decoded::Text(text) => Some(text),
                _ => None,
            }
        }))
    })
    .ok()
    .flatten()
}

fn outlook_version(keys: &mut KeyCache<'_, '_>, root: &ProfileRoot) -> Option<String> {
    match root {
        ProfileRoot::Office(version) => Some(version.clone()),
        ProfileRoot::WindowsMessaging => WMS_VERSIONS
            .iter()
            .find(|v| guarded(|| Ok(outlook_key(keys, v)?.is_some())).unwrap_or(false))
            .map(|v| v.to_string()),
    }
}

/// The accounts of the profile's account list.
fn accounts(profile: &Key<'_, '_>) -> HiveResult<Vec<Account>> {
    let Some(list) = profile.subkey(ACCOUNT_LIST)? else {
        return Ok(Vec::new());
    };
    list.subkeys()?
        .iter()
        .take(MAX_ACCOUNTS)
        .map(|entry| account(profile, entry))
        .collect()
}

fn account(profile: &Key<'_, '_>, entry: &Key<'_, '_>) -> HiveResult<Account> {
    let mut values = entry.value_index()?;
    let service_uid = raw(&mut values, "Service UID")?.unwrap_or_default();
    let mut account = Account {
        list_key: entry.name()?,
        name: unicode(&mut values, "Account Name")?.unwrap_or_default(),
        service_name: unicode(&mut values, "Service Name")?.unwrap_or_default(),
        service_uid: if service_uid.len() == 16 {
            uid_name(&service_uid)
        } else {
            String::new()
        },
        last_written: entry.last_written(),
        section: None,
    };
    if account.is_exchange() {
        account.section = section(profile, &account.service_uid)?;
    }
    Ok(account)
}

/// The section holding the account's Exchange settings: the first candidate (EMSMDB UID, the
/// extra UIDs, the global section) that holds any of them, else the first that exists.
fn section(profile: &Key<'_, '_>, service_uid: &str) -> HiveResult<Option<Section>> {
    let mut first_existing = None;
    for (name, found_by) in section_candidates(profile, service_uid)? {
        let Some(key) = profile.subkey(&name)? else {
            continue;
        };
        let section = Section {
            key: key.name()?,
            found_by,
            last_written: key.last_written(),
            properties: properties(&key)?,
        };
        if !section.properties.is_empty() {
            return Ok(Some(section));
        }
        first_existing.get_or_insert(section);
    }
    Ok(first_existing)
}

fn section_candidates(
    profile: &Key<'_, '_>,
    service_uid: &str,
) -> HiveResult<Vec<(String, SectionPointer)>> {
    let mut candidates = Vec::new();
    let service = if service_uid.is_empty() {
        None
    } else {
        profile.subkey(service_uid)?
    };
    if let Some(service) = service {
        let mut values = service.value_index()?;
        if let Some(uid) = raw(&mut values, "01023d15")?.filter(|d| d.len() == 16) {
            candidates.push((uid_name(&uid), SectionPointer::EmsmdbUid));
        }
        if let Some(uids) = raw(&mut values, "01023d0d")? {
            candidates.extend(
                uids.chunks_exact(16)
                    .take(MAX_EXTRA_UIDS)
                    .map(|uid| (uid_name(uid), SectionPointer::ServiceExtraUids)),
            );
        }
    }
    candidates.push((GLOBAL_SECTION.to_string(), SectionPointer::GlobalSection));
    Ok(candidates)
}

/// The section key name of a MAPIUID: its 16 bytes as hex in storage order.
fn uid_name(uid: &[u8]) -> String {
    decode::hex_digits(uid)
}

fn properties(section: &Key<'_, '_>) -> HiveResult<ExchangeProperties> {
    let mut values = section.value_index()?;
    Ok(ExchangeProperties {
        config_flags: long(&mut values, "00036601")?,
        auth_package: long(&mut values, "00036619")?,
        roh_flags: long(&mut values, "00036623")?,
        roh_auth_scheme: long(&mut values, "00036627")?,
        roh_server: string(&mut values, ["001f6622", "001e6622"])?,
        roh_principal: string(&mut values, ["001f6625", "001e6625"])?,
    })
}

/// A PT_LONG property (`0003IIII`): four bytes little-endian, whatever the registry type.
fn long(values: &mut ValueIndex<'_, '_>, name: &str) -> HiveResult<Option<u32>> {
    Ok(raw(values, name)?
        .and_then(|data| <[u8; 4]>::try_from(data.as_slice()).ok())
        .map(u32::from_le_bytes))
}

/// A string property: PT_UNICODE (`001fIIII`, UTF-16LE), else PT_STRING8 (`001eIIII`, ANSI
/// bytes, or a REG_SZ as some Outlook versions write it); `names` are those two, in that order.
fn string(values: &mut ValueIndex<'_, '_>, names: [&str; 2]) -> HiveResult<Option<String>> {
    let [unicode_name, string8_name] = names;
    if let Some(text) = unicode(values, unicode_name)? {
        return Ok(Some(text));
    }
    Ok(values.get(string8_name)?.map(|value| match value.raw_type {
        reg_type::SZ | reg_type::EXPAND_SZ => decode::utf16_string(&value.data),
        _ => ansi(&value.data),
    }))
}

/// A UTF-16LE value stored as REG_BINARY (or REG_SZ), up to its NUL.
fn unicode(values: &mut ValueIndex<'_, '_>, name: &str) -> HiveResult<Option<String>> {
    Ok(raw(values, name)?.map(|data| decode::utf16_string(&data)))
}

/// Single-byte text up to its NUL; bytes above 0x7F are read as Latin-1.
fn ansi(data: &[u8]) -> String {
    data.iter()
        .take_while(|&&b| b != 0)
        .map(|&b| char::from(b))
        .collect()
}

fn raw(values: &mut ValueIndex<'_, '_>, name: &str) -> HiveResult<Option<Vec<u8>>> {
    Ok(values.get(name)?.map(|value| value.data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exo_hosts_are_recognised() {
        assert!(is_exo_host("outlook.office365.com"));
        assert!(is_exo_host("https://Outlook.Office365.com/rpc"));
        assert!(is_exo_host("contoso.onmicrosoft.com"));
        assert!(is_exo_host("outlook.com"));
        assert!(!is_exo_host("mail.contoso.com"));
        assert!(!is_exo_host("notoutlook.com"));
    }

    #[test]
    fn hosts_lose_scheme_prefix_port_and_path() {
        assert_eq!(host_of("msstd:Mail.Contoso.com"), "mail.contoso.com");
        assert_eq!(
            host_of("https://mail.contoso.com:443/x"),
            "mail.contoso.com"
        );
    }

    #[test]
    fn ansi_stops_at_nul() {
        assert_eq!(ansi(b"Outlook.FAV\0junk"), "Outlook.FAV");
        assert_eq!(ansi(&[0xe9]), "\u{e9}");
    }

    #[test]
    fn uid_names_are_hex_in_storage_order() {
        let uid = [
            0x13, 0xdb, 0xb0, 0xc8, 0xaa, 0x05, 0x10, 0x1a, 0x9b, 0xb0, 0x00, 0xaa, 0x00, 0x2f,
            0xc4, 0x5a,
        ];
        assert_eq!(uid_name(&uid), GLOBAL_SECTION);
    }
}

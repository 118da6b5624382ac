//! Site-to-zone assignments of a user hive: `Internet Settings\ZoneMap\Domains` in the
//! preference and policy keys (domain-rules.md 8.2).
//!
//! Each `Domains\<domain>` key may hold scheme values (`https`, `*`, ...) naming a zone for the
//! whole domain, and `<host>` subkeys naming a zone for one host of it. The reader lists every
//! assignment (bounded); [`zone_for_host`] applies them to a host name.

use crate::hive::{HiveResult, Key, filetime, guarded};

use super::decode;
use super::keys::KeyCache;

/// The user's preference key, then the user's policy key, with the name of each origin.
const ROOTS: [(&str, &str); 2] = [
    (
        r"Software\Policies\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap\Domains",
        "policy-user",
    ),
    (
        r"Software\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap\Domains",
        "preference",
    ),
];
/// At most this many domain keys are read per root.
const MAX_DOMAINS: usize = 512;
/// At most this many host subkeys are read per domain.
const MAX_HOSTS: usize = 64;

/// One site-to-zone assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneMapping {
    /// `policy-user` or `preference`.
    pub origin: &'static str,
    /// The `Domains` subkey (e.g. `corp.example`).
    pub domain: String,
    /// The host subkey below it (e.g. `mail`), or `None` for the whole domain.
    pub host: Option<String>,
    /// The value name: a URL scheme or `*`.
    pub scheme: String,
    /// The zone number.
    pub zone: u32,
    /// The key's path below the hive root.
    pub key_path: String,
    /// The key's last-write time (FILETIME).
    pub last_written: Option<u64>,
}

impl ZoneMapping {
    /// One evidence line, e.g. `...\Domains\corp.example\mail\https = zone 2 (preference; key
    /// written ...)`.
    pub fn describe(&self) -> String {
        let written = self
            .last_written
            .map(|t| format!("; key written {}", filetime::to_iso8601(t)))
            .unwrap_or_default();
        format!(
            "{}\\{} = zone {} ({}{written})",
            self.key_path, self.scheme, self.zone, self.origin
        )
    }
}

/// Reads every assignment, policy first.
pub fn read(keys: &mut KeyCache<'_, '_>) -> Vec<ZoneMapping> {
    ROOTS
        .iter()
        .flat_map(|&(path, origin)| guarded(|| read_root(keys, path, origin)).unwrap_or_default())
        .collect()
}

fn read_root(
    keys: &mut KeyCache<'_, '_>,
    path: &str,
    origin: &'static str,
) -> HiveResult<Vec<ZoneMapping>> {
    let Some(root) = keys.key_at(path)? else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for domain_key in root.subkeys()?.iter().take(MAX_DOMAINS) {
        let domain = domain_key.name()?;
        let key_path = format!(r"{path}\{domain}");
        found.extend(mappings(domain_key, origin, &domain, None, &key_path)?);
        for host_key in domain_key.subkeys()?.iter().take(MAX_HOSTS) {
            let host = host_key.name()?;
            let host_path = format!(r"{key_path}\{host}");
            found.extend(mappings(host_key, origin, &domain, Some(host), &host_path)?);
        }
    }
    Ok(found)
}

fn mappings(
    key: &Key<'_, '_>,
    origin: &'static str,
    domain: &str,
    host: Option<String>,
    key_path: &str,
) -> HiveResult<Vec<ZoneMapping>> {
    let last_written = key.last_written();
    Ok(key
        .values()?
        .into_iter()
        .filter_map(|value| {
            let zone = decode::dword(value.raw_type, &value.data).number()?;
            Some(ZoneMapping {
                origin,
                domain: domain.to_string(),
                host: host.clone(),
                scheme: value.name,
                zone,
                key_path: key_path.to_string(),
                last_written,
            })
        })
        .collect())
}

/// The assignment that places `host` for HTTPS: the most specific match (host subkey before
/// domain key, longer domain before shorter), policy before preference, `https` before `*`.
pub fn zone_for_host<'m>(mappings: &'m [ZoneMapping], host: &str) -> Option<&'m ZoneMapping> {
    let host = host.to_ascii_lowercase();
    let matches = |m: &&ZoneMapping| {
        let domain = m.domain.to_ascii_lowercase();
        let scheme_ok = m.scheme.eq_ignore_ascii_case("https") || m.scheme == "*";
        let name = match &m.host {
            Some(sub) if sub == "*" => return scheme_ok && host.ends_with(&format!(".{domain}")),
            Some(sub) => format!("{}.{domain}", sub.to_ascii_lowercase()),
            None => domain.clone(),
        };
        scheme_ok && (host == name || (m.host.is_none() && host.ends_with(&format!(".{name}"))))
    };
    mappings.iter().filter(matches).max_by_key(|m| {
        (
            m.host.as_deref().is_some_and(|h| h != "*"),
            m.domain.len(),
            m.origin == "policy-user",
            m.scheme != "*",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(domain: &str, host: Option<&str>, scheme: &str, zone: u32) -> ZoneMapping {
        ZoneMapping {
            origin: "preference",
            domain: domain.into(),
            host: host.map(Into::into),
            scheme: scheme.into(),
            zone,
            key_path: String::new(),
            last_written: None,
        }
    }

    #[test]
    fn the_most_specific_assignment_wins() {
        let all = [
            mapping("corp.example", None, "*", 1),
            mapping("corp.example", Some("mail"), "https", 2),
        ];
        assert_eq!(
            zone_for_host(&all, "Mail.Corp.Example").map(|m| m.zone),
            Some(2)
        );
        assert_eq!(
            zone_for_host(&all, "adfs.corp.example").map(|m| m.zone),
            Some(1)
        );
        assert_eq!(zone_for_host(&all, "corp.example").map(|m| m.zone), Some(1));
        assert_eq!(zone_for_host(&all, "evilcorp.example"), None);
    }

    #[test]
    fn other_schemes_do_not_place_https_hosts() {
        let all = [mapping("corp.example", None, "http", 1)];
        assert_eq!(zone_for_host(&all, "mail.corp.example"), None);
    }
}

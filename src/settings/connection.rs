//! The WinINET and WinHTTP proxy blobs (domain-rules.md 8.1.1 and 8.3).
//!
//! Both start with a structure marker, a change counter and the proxy flags, followed by
//! length-prefixed ANSI strings (proxy server, bypass list and, for WinINET, the PAC URL).
//! Every length is checked against the data left: short or odd data yields what could be read,
//! never a panic.

/// `PROXY_TYPE_PROXY`: a manual proxy server is set.
pub const PROXY_TYPE_PROXY: u32 = 0x2;
/// `PROXY_TYPE_AUTO_PROXY_URL`: a PAC script URL is set.
pub const PROXY_TYPE_AUTO_PROXY_URL: u32 = 0x4;
/// `PROXY_TYPE_AUTO_DETECT`: "Automatically detect settings".
pub const PROXY_TYPE_AUTO_DETECT: u32 = 0x8;

/// Offset of the flags.
const FLAGS_AT: usize = 8;

/// What a proxy blob says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProxyBlob {
    /// The proxy flags (offset 8).
    pub flags: u32,
    /// The proxy server string, when present and non-empty.
    pub proxy: Option<String>,
    /// The bypass list, when present and non-empty.
    pub bypass: Option<String>,
    /// The PAC URL (WinINET only), when present and non-empty.
    pub pac: Option<String>,
}

impl ProxyBlob {
    /// Parses a blob; `None` when it is too short to hold the flags.
    pub fn parse(data: &[u8]) -> Option<Self> {
        let flags = u32_at(data, FLAGS_AT)?;
        let mut at = FLAGS_AT + 4;
        let mut next = || read_string(data, &mut at);
        let proxy = next();
        let bypass = next();
        let pac = next();
        Some(ProxyBlob {
            flags,
            proxy,
            bypass,
            pac,
        })
    }

    /// Whether "Automatically detect settings" is on.
    pub fn auto_detect(&self) -> bool {
        self.flags & PROXY_TYPE_AUTO_DETECT != 0
    }

    /// Whether a manual proxy is on.
    pub fn manual_proxy(&self) -> bool {
        self.flags & PROXY_TYPE_PROXY != 0
    }

    /// Whether a PAC URL is on.
    pub fn pac_enabled(&self) -> bool {
        self.flags & PROXY_TYPE_AUTO_PROXY_URL != 0
    }

    /// A short description for evidence, e.g. `flags 0x9 (auto-detect), proxy none`.
    pub fn describe(&self) -> String {
        let mut on = Vec::new();
        if self.flags & 0x1 != 0 {
            on.push("direct");
        }
        if self.manual_proxy() {
            on.push("proxy");
        }
        if self.pac_enabled() {
            on.push("PAC");
        }
        if self.auto_detect() {
            on.push("auto-detect");
        }
        let or_none = |s: &Option<String>| s.clone().unwrap_or_else(|| "none".into());
        format!(
            "flags 0x{:x} ({}), proxy {}, PAC {}",
            self.flags,
            on.join(", "),
            or_none(&self.proxy),
            or_none(&self.pac)
        )
    }
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

/// Reads a length-prefixed string at `*at` and advances past it; `None` when it is empty or
/// runs past the end (then `*at` is moved to the end so later reads fail too).
fn read_string(data: &[u8], at: &mut usize) -> Option<String> {
    let Some(length) = u32_at(data, *at) else {
        *at = data.len();
        return None;
    };
    let start = *at + 4;
    let end = start
        .checked_add(length as usize)
        .filter(|&e| e <= data.len());
    let Some(end) = end else {
        *at = data.len();
        return None;
    };
    *at = end;
    let text: String = data[start..end]
        .iter()
        .take_while(|&&b| b != 0)
        .map(|&b| char::from(b))
        .collect();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(flags: u32, strings: &[&str]) -> Vec<u8> {
        let mut data = [0x46u32, 7, flags]
            .iter()
            .flat_map(|n| n.to_le_bytes())
            .collect::<Vec<u8>>();
        for s in strings {
            data.extend((s.len() as u32).to_le_bytes());
            data.extend(s.as_bytes());
        }
        data
    }

    #[test]
    fn windows_default_is_direct_with_auto_detect() {
        let parsed = ProxyBlob::parse(&blob(0x9, &["", "", ""])).unwrap();
        assert!(parsed.auto_detect());
        assert!(!parsed.manual_proxy());
        assert_eq!(parsed.proxy, None);
    }

    #[test]
    fn proxy_and_pac_strings_are_read() {
        let parsed =
            ProxyBlob::parse(&blob(0x7, &["proxy:8080", "<local>", "http://p/a.pac"])).unwrap();
        assert_eq!(parsed.proxy.as_deref(), Some("proxy:8080"));
        assert_eq!(parsed.bypass.as_deref(), Some("<local>"));
        assert_eq!(parsed.pac.as_deref(), Some("http://p/a.pac"));
    }

    #[test]
    fn short_and_lying_data_never_panics() {
        assert_eq!(ProxyBlob::parse(&[0x46, 0, 0]), None);
        let mut lying = blob(0x3, &[]);
        lying.extend(u32::MAX.to_le_bytes());
        lying.extend(b"abc");
        let parsed = ProxyBlob::parse(&lying).unwrap();
        assert_eq!(parsed.flags, 3);
        assert_eq!(parsed.proxy, None);
        for cut in 0..lying.len() {
            let _ = ProxyBlob::parse(&lying[..cut]);
        }
    }
}

//! Machine and user facts condensed from extracted settings: identity, role, OS family and
//! the effective LAN Manager level, which is what the rules reason about.

use serde::Serialize;

use super::catalogue::{
    COMPUTER_NAME, CURRENT_BUILD, CURRENT_BUILD_NUMBER, CURRENT_MAJOR_VERSION, CURRENT_VERSION,
    LM_COMPATIBILITY_LEVEL, PRODUCT_NAME, PRODUCT_TYPE, PROFILE_IMAGE_PATH, TCPIP_DOMAIN,
    TCPIP_NV_DOMAIN,
};
use super::decode::Decoded;
use super::extract::{ControlSet, Extraction, Lookup, Observation};

/// What a machine is for, from `ProductType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Role {
    /// `WinNT`.
    Workstation,
    /// `ServerNT`.
    Server,
    /// `LanmanNT`.
    DomainController,
    /// No SYSTEM hive, or an unknown product type.
    Unknown,
}

impl Role {
    /// Decides the role from a `ProductType` string, compared case-insensitively.
    pub fn from_product_type(product_type: Option<&str>) -> Self {
        match product_type.map(str::to_ascii_lowercase).as_deref() {
            Some("winnt") => Role::Workstation,
            Some("servernt") => Role::Server,
            Some("lanmannt") => Role::DomainController,
            _ => Role::Unknown,
        }
    }

    /// The name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Role::Workstation => "workstation",
            Role::Server => "server",
            Role::DomainController => "domain controller",
            Role::Unknown => "",
        }
    }
}

/// The Windows family, as far as the LAN Manager defaults need it (domain-rules.md 9.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum OsFamily {
    /// Windows NT 4.0 or older.
    Nt4,
    /// Windows 2000 (NT 5.0).
    Windows2000,
    /// Windows XP (NT 5.1).
    WindowsXp,
    /// Windows Server 2003 and 2003 R2 (NT 5.2, server).
    Server2003,
    /// Windows XP Professional x64 (NT 5.2, client).
    WindowsXpX64,
    /// Vista, 7, 8, 8.1, 10, 11 and their servers (NT 6.0 and later).
    Nt6OrLater,
    /// The SOFTWARE hive did not say.
    Unknown,
}

impl OsFamily {
    /// Classifies from `CurrentVersion`, `CurrentMajorVersionNumber` and `ProductName`.
    pub fn classify(current_version: Option<&str>, major: Option<u32>, product: &str) -> Self {
        if major.is_some_and(|m| m >= 10) {
            return OsFamily::Nt6OrLater;
        }
        let Some((major, minor)) = current_version.and_then(parse_version) else {
            return OsFamily::Unknown;
        };
        match (major, minor) {
            (0..=4, _) => OsFamily::Nt4,
            (5, 0) => OsFamily::Windows2000,
            (5, 1) => OsFamily::WindowsXp,
            (5, _) if product.to_ascii_lowercase().contains("server") => OsFamily::Server2003,
            (5, _) => OsFamily::WindowsXpX64,
            _ => OsFamily::Nt6OrLater,
        }
    }

    /// The LmCompatibilityLevel that applies when the value is absent, where it is documented.
    ///
    /// 2000/XP send LM and NTLM (0), Server 2003 sends NTLM only (2), Vista and later send
    /// NTLMv2 only (3). NT 4.0 and XP x64 are not documented, so they stay unknown.
    pub fn default_lm_level(self) -> Option<u32> {
        match self {
            OsFamily::Windows2000 | OsFamily::WindowsXp => Some(0),
            OsFamily::Server2003 => Some(2),
            OsFamily::Nt6OrLater => Some(3),
            OsFamily::Nt4 | OsFamily::WindowsXpX64 | OsFamily::Unknown => None,
        }
    }
}

fn parse_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Where an effective LmCompatibilityLevel came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LmOrigin {
    /// The value is set in the hive.
    Value,
    /// The value is absent and the OS default applies.
    OsDefault,
    /// Neither the value nor the OS is known (or the value is malformed).
    Unknown,
}

impl LmOrigin {
    /// The name used in reports.
    pub fn label(self) -> &'static str {
        match self {
            LmOrigin::Value => "value",
            LmOrigin::OsDefault => "os-default",
            LmOrigin::Unknown => "unknown",
        }
    }
}

/// What one machine's SYSTEM and SOFTWARE hives say.
#[derive(Clone, Debug, Default)]
pub struct MachineFacts {
    /// Settings read from the SYSTEM hive, if there was one and it could be read.
    pub system: Option<Extraction>,
    /// Settings read from the SOFTWARE hive, if there was one and it could be read.
    pub software: Option<Extraction>,
}

impl MachineFacts {
    fn system_text(&self, setting: &'static super::Setting) -> Option<&str> {
        self.system.as_ref()?.first(setting)?.text()
    }

    fn software_text(&self, setting: &'static super::Setting) -> Option<&str> {
        self.software.as_ref()?.first(setting)?.text()
    }

    /// The control set the SYSTEM settings came from.
    pub fn control_set(&self) -> Option<ControlSet> {
        self.system.as_ref()?.control_set
    }

    /// The NetBIOS computer name.
    pub fn computer_name(&self) -> Option<&str> {
        self.system_text(&COMPUTER_NAME).filter(|n| !n.is_empty())
    }

    /// The DNS domain (`Domain`, else `NV Domain`), empty on a workgroup machine.
    pub fn domain(&self) -> Option<&str> {
        self.system_text(&TCPIP_DOMAIN)
            .filter(|d| !d.is_empty())
            .or_else(|| self.system_text(&TCPIP_NV_DOMAIN).filter(|d| !d.is_empty()))
    }

    /// `ProductType` as stored.
    pub fn product_type(&self) -> Option<&str> {
        self.system_text(&PRODUCT_TYPE)
    }

    /// Workstation, server or domain controller.
    pub fn role(&self) -> Role {
        Role::from_product_type(self.product_type())
    }

    /// The build number: `CurrentBuild` when it is a number (NT 4.0 stored other text there),
    /// else `CurrentBuildNumber`.
    pub fn build(&self) -> Option<&str> {
        let numeric = |b: &&str| !b.is_empty() && b.bytes().all(|c| c.is_ascii_digit());
        self.software_text(&CURRENT_BUILD)
            .filter(numeric)
            .or_else(|| self.software_text(&CURRENT_BUILD_NUMBER))
    }

    /// The OS as people name it; Windows 11 is told apart from 10 by its build. Versions
    /// without a ProductName (NT 4.0) are named from CurrentVersion.
    pub fn os_name(&self) -> Option<String> {
        let Some(product) = self.software_text(&PRODUCT_NAME) else {
            return self
                .software_text(&CURRENT_VERSION)
                .map(|version| format!("Windows NT {version}"));
        };
        let build: u32 = self.build().and_then(|b| b.parse().ok()).unwrap_or(0);
        if build >= 22000 && product.contains("Windows 10") {
            return Some(product.replacen("Windows 10", "Windows 11", 1));
        }
        Some(product.to_string())
    }

    /// The OS family, for the LAN Manager defaults.
    pub fn os_family(&self) -> OsFamily {
        let Some(software) = &self.software else {
            return OsFamily::Unknown;
        };
        let major = software
            .first(&CURRENT_MAJOR_VERSION)
            .and_then(Observation::number);
        OsFamily::classify(
            self.software_text(&CURRENT_VERSION),
            major,
            self.software_text(&PRODUCT_NAME).unwrap_or_default(),
        )
    }

    /// The LmCompatibilityLevel observation, when the SYSTEM hive was read.
    pub fn lm_observation(&self) -> Option<&Observation> {
        self.system.as_ref()?.first(&LM_COMPATIBILITY_LEVEL)
    }

    /// The effective LmCompatibilityLevel and where it came from: the value if set, else the
    /// OS default when the SOFTWARE hive tells the OS, else unknown. Absent is never 0.
    pub fn lm_effective(&self) -> (Option<u32>, LmOrigin) {
        let Some(observation) = self.lm_observation() else {
            return (None, LmOrigin::Unknown);
        };
        match &observation.lookup {
            Lookup::Present {
                decoded: Decoded::Number(level),
                ..
            } => (Some(*level), LmOrigin::Value),
            Lookup::KeyAbsent | Lookup::ValueAbsent { .. } => {
                match self.os_family().default_lm_level() {
                    Some(level) => (Some(level), LmOrigin::OsDefault),
                    None => (None, LmOrigin::Unknown),
                }
            }
            _ => (None, LmOrigin::Unknown),
        }
    }

    /// The SID whose profile folder is `user`'s, from SOFTWARE's ProfileList. Temporary
    /// `.bak` profiles are used only when no other key matches; ambiguity gives `None`.
    pub fn sid_for_user(&self, user: &str) -> Option<String> {
        let software = self.software.as_ref()?;
        let matching: Vec<&str> = software
            .of(&PROFILE_IMAGE_PATH)
            .filter(|o| o.text().is_some_and(|path| profile_folder_is(path, user)))
            .filter_map(|o| o.instance.as_deref())
            .collect();
        let live: Vec<&str> = matching
            .iter()
            .copied()
            .filter(|sid| !sid.to_ascii_lowercase().ends_with(".bak"))
            .collect();
        let chosen = if live.is_empty() { &matching } else { &live };
        match chosen.as_slice() {
            [sid] => Some(
                sid.trim_end_matches(".bak")
                    .trim_end_matches(".BAK")
                    .to_string(),
            ),
            _ => None,
        }
    }
}

/// Whether the last component of a profile path is `user` (case-insensitive).
fn profile_folder_is(profile_path: &str, user: &str) -> bool {
    profile_path
        .trim_end_matches(['\\', '/'])
        .rsplit(['\\', '/'])
        .next()
        .is_some_and(|folder| folder.eq_ignore_ascii_case(user))
}

/// What one user's hive says, with the identity discovery and ProfileList gave it.
#[derive(Clone, Debug, Default)]
pub struct UserFacts {
    /// The user name, when known.
    pub user: Option<String>,
    /// The SID, when ProfileList maps the user's profile folder to one.
    pub sid: Option<String>,
    /// Settings read from the NTUSER hive.
    pub extraction: Extraction,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_compare_case_insensitively() {
        assert_eq!(
            Role::from_product_type(Some("LanmanNt")),
            Role::DomainController
        );
        assert_eq!(Role::from_product_type(Some("WinNT")), Role::Workstation);
        assert_eq!(Role::from_product_type(Some("SERVERNT")), Role::Server);
        assert_eq!(Role::from_product_type(None), Role::Unknown);
    }

    #[test]
    fn os_families_follow_current_version() {
        let family = |v, major, name| OsFamily::classify(Some(v), major, name);
        assert_eq!(
            family("5.1", None, "Microsoft Windows XP"),
            OsFamily::WindowsXp
        );
        assert_eq!(
            family("5.0", None, "Microsoft Windows 2000"),
            OsFamily::Windows2000
        );
        assert_eq!(
            family("5.2", None, "Microsoft Windows Server 2003"),
            OsFamily::Server2003
        );
        assert_eq!(
            family("5.2", None, "Microsoft Windows XP"),
            OsFamily::WindowsXpX64
        );
        assert_eq!(
            family("6.1", None, "Windows 7 Professional"),
            OsFamily::Nt6OrLater
        );
        assert_eq!(
            family("6.3", Some(10), "Windows 10 Pro"),
            OsFamily::Nt6OrLater
        );
        assert_eq!(family("4.0", None, "Microsoft Windows NT"), OsFamily::Nt4);
        assert_eq!(OsFamily::classify(None, None, ""), OsFamily::Unknown);
    }

    #[test]
    fn lm_defaults_match_the_documented_table() {
        assert_eq!(OsFamily::WindowsXp.default_lm_level(), Some(0));
        assert_eq!(OsFamily::Windows2000.default_lm_level(), Some(0));
        assert_eq!(OsFamily::Server2003.default_lm_level(), Some(2));
        assert_eq!(OsFamily::Nt6OrLater.default_lm_level(), Some(3));
        assert_eq!(OsFamily::Unknown.default_lm_level(), None);
    }

    #[test]
    fn profile_folders_match_on_the_last_component() {
        assert!(profile_folder_is(r"%SystemDrive%\Users\Alice", "alice"));
        assert!(profile_folder_is(r"C:\Documents and Settings\bob\", "bob"));
        assert!(!profile_folder_is(r"C:\Users\alice2", "alice"));
    }
}

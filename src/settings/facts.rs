//! Machine and user facts condensed from extracted settings: identity, role, OS family, the
//! effective LAN Manager level, installed Office, proxies and zones, policy-over-preference
//! values and MAPI profiles, which is what the rules reason about.

use serde::Serialize;

use super::catalogue::{
    C2R_VERSION, C2R_VERSION_WOW, COMPUTER_NAME, CURRENT_BUILD, CURRENT_BUILD_NUMBER,
    CURRENT_MAJOR_VERSION, CURRENT_VERSION, DEFAULT_CONNECTION_SETTINGS, LM_COMPATIBILITY_LEVEL,
    LYNC_INSTALLED, LYNC_INSTALLED_WOW, LYNC_USER_KEY, MACHINE_ZONE_LOGON,
    MACHINE_ZONE_LOGON_POLICY, OUTLOOK_INSTALLED, OUTLOOK_INSTALLED_WOW, PRODUCT_NAME,
    PRODUCT_TYPE, PROFILE_IMAGE_PATH, Setting, TCPIP_DOMAIN, TCPIP_NV_DOMAIN, WINHTTP_SETTINGS,
    WINHTTP_SETTINGS_WOW, ZONE_LOGON, ZONE_LOGON_POLICY,
};
use super::connection::ProxyBlob;
use super::decode::Decoded;
use super::extract::{ControlSet, Extraction, Lookup, Observation};
use super::profiles::{Account, Profile};

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

    /// The observation of a machine-wide (SYSTEM or SOFTWARE) setting without placeholders.
    pub fn observation(&self, setting: &'static Setting) -> Option<&Observation> {
        let extraction = match setting.hive {
            crate::hive::HiveKind::System => self.system.as_ref(),
            _ => self.software.as_ref(),
        };
        extraction?.first(setting)
    }

    /// A machine-wide numeric setting, with its observation, when set and numeric.
    pub fn number(&self, setting: &'static Setting) -> Option<(u32, &Observation)> {
        let observation = self.observation(setting)?;
        Some((observation.number()?, observation))
    }

    /// The observations of a SOFTWARE setting (one per placeholder instance).
    pub fn software_observations(
        &self,
        setting: &'static Setting,
    ) -> impl Iterator<Item = &Observation> {
        self.software.iter().flat_map(move |s| s.of(setting))
    }

    /// The Office versions (`16.0`, `15.0`, ...) installed, from Click-to-Run's
    /// `VersionToReport` and the machine's `Office\<version>\Outlook` keys, both registry views.
    /// Empty when the SOFTWARE hive is missing or shows no Office.
    pub fn office_versions(&self) -> Vec<String> {
        let click_to_run = [&C2R_VERSION, &C2R_VERSION_WOW]
            .into_iter()
            .filter_map(|setting| self.software_text(setting))
            .filter_map(|build| {
                let mut parts = build.split('.');
                Some(format!("{}.{}", parts.next()?, parts.next()?))
            });
        let mut versions: Vec<String> = click_to_run
            .chain(self.present_instances(&[&OUTLOOK_INSTALLED, &OUTLOOK_INSTALLED_WOW]))
            .collect();
        versions.sort();
        versions.dedup();
        versions
    }

    /// The Office versions with machine-wide Lync / Skype for Business keys.
    pub fn lync_versions(&self) -> Vec<String> {
        self.present_instances(&[&LYNC_INSTALLED, &LYNC_INSTALLED_WOW])
            .collect()
    }

    fn present_instances<'s>(
        &'s self,
        settings: &'s [&'static Setting],
    ) -> impl Iterator<Item = String> + 's {
        settings
            .iter()
            .flat_map(|setting| self.software_observations(setting))
            .filter(|o| o.is_present())
            .filter_map(|o| o.instance.clone())
    }

    /// The WinHTTP proxy blob (64-bit view first), with its observation.
    pub fn winhttp(&self) -> Option<(ProxyBlob, &Observation)> {
        [&WINHTTP_SETTINGS, &WINHTTP_SETTINGS_WOW]
            .into_iter()
            .filter_map(|setting| self.observation(setting))
            .find_map(|o| Some((ProxyBlob::parse(o.decoded()?.bytes()?)?, o)))
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

/// Where an effective value came from (domain-rules.md 0.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A user policy (`HKCU\Software\Policies`).
    PolicyUser,
    /// A machine policy (`HKLM\SOFTWARE\Policies`).
    PolicyMachine,
    /// The user's preference.
    Preference,
    /// The machine's preference.
    PreferenceMachine,
    /// Nothing is set: the documented default applies.
    Default,
}

impl Origin {
    /// The name used in evidence.
    pub fn label(self) -> &'static str {
        match self {
            Origin::PolicyUser => "policy-user",
            Origin::PolicyMachine => "policy-machine",
            Origin::Preference => "preference",
            Origin::PreferenceMachine => "preference-machine",
            Origin::Default => "default",
        }
    }
}

/// A value that policies and preferences both set, resolved by precedence.
#[derive(Clone, Debug)]
pub struct Effective<'f> {
    /// The value in effect (the default when nothing is set; `None` when no default is known).
    pub value: Option<u32>,
    /// Where it came from.
    pub origin: Origin,
    /// Every observation consulted that holds a value, winner first.
    pub evidence: Vec<&'f Observation>,
}

impl Effective<'_> {
    /// Resolves from (origin, observation) candidates in precedence order.
    fn resolve<'f>(
        candidates: Vec<(Origin, Option<&'f Observation>)>,
        default: Option<u32>,
    ) -> Effective<'f> {
        let set: Vec<(Origin, &Observation, u32)> = candidates
            .into_iter()
            .filter_map(|(origin, o)| Some((origin, o?, o?.number()?)))
            .collect();
        let evidence = set.iter().map(|(_, o, _)| *o).collect();
        match set.first() {
            Some(&(origin, _, value)) => Effective {
                value: Some(value),
                origin,
                evidence,
            },
            None => Effective {
                value: default,
                origin: Origin::Default,
                evidence,
            },
        }
    }

    /// `value (origin)` for evidence.
    pub fn describe(&self) -> String {
        let value = self
            .value
            .map_or_else(|| "unknown".to_string(), |v| format!("0x{v:x}"));
        format!("effective {value} ({})", self.origin.label())
    }
}

/// `UseOnlineContent` when neither policy nor preference sets it.
const USE_ONLINE_CONTENT_DEFAULT: u32 = 2;
/// The intranet zone's logon option when nothing sets it: automatic logon in the intranet.
const INTRANET_LOGON_DEFAULT: u32 = 0x20000;

impl UserFacts {
    /// The observation of `setting` for placeholder instance `instance` (`None` for settings
    /// without a placeholder).
    pub fn observation(
        &self,
        setting: &'static Setting,
        instance: Option<&str>,
    ) -> Option<&Observation> {
        self.extraction
            .of(setting)
            .find(|o| o.instance.as_deref() == instance)
    }

    /// The numeric value of `setting` at `instance`, with its observation.
    pub fn number(
        &self,
        setting: &'static Setting,
        instance: Option<&str>,
    ) -> Option<(u32, &Observation)> {
        let observation = self.observation(setting, instance)?;
        Some((observation.number()?, observation))
    }

    /// Every numeric value of `setting`, with its observation (one per instance set).
    pub fn numbers(&self, setting: &'static Setting) -> impl Iterator<Item = (u32, &Observation)> {
        self.extraction
            .of(setting)
            .filter_map(|o| Some((o.number()?, o)))
    }

    /// A user value with a policy form: the user policy wins over the preference.
    pub fn policy_or_preference(
        &self,
        policy: &'static Setting,
        preference: &'static Setting,
        instance: Option<&str>,
        default: Option<u32>,
    ) -> Effective<'_> {
        Effective::resolve(
            vec![
                (Origin::PolicyUser, self.observation(policy, instance)),
                (Origin::Preference, self.observation(preference, instance)),
            ],
            default,
        )
    }

    /// `UseOnlineContent` for Office `version` (default 2).
    pub fn use_online_content(&self, version: &str) -> Effective<'_> {
        self.policy_or_preference(
            &super::catalogue::USE_ONLINE_CONTENT_POLICY,
            &super::catalogue::USE_ONLINE_CONTENT,
            Some(version),
            Some(USE_ONLINE_CONTENT_DEFAULT),
        )
    }

    /// The logon option `1A00` of `zone`: user policy, machine policy, user preference,
    /// machine preference, then the default (known for the intranet zone only).
    pub fn zone_logon<'f>(&'f self, machine: &'f MachineFacts, zone: &str) -> Effective<'f> {
        let machine_at = |setting: &'static Setting| {
            machine
                .software_observations(setting)
                .find(|o| o.instance.as_deref() == Some(zone))
        };
        Effective::resolve(
            vec![
                (
                    Origin::PolicyUser,
                    self.observation(&ZONE_LOGON_POLICY, Some(zone)),
                ),
                (
                    Origin::PolicyMachine,
                    machine_at(&MACHINE_ZONE_LOGON_POLICY),
                ),
                (
                    Origin::Preference,
                    self.observation(&ZONE_LOGON, Some(zone)),
                ),
                (Origin::PreferenceMachine, machine_at(&MACHINE_ZONE_LOGON)),
            ],
            (zone == "1").then_some(INTRANET_LOGON_DEFAULT),
        )
    }

    /// The WinINET LAN proxy blob, with its observation.
    pub fn connection(&self) -> Option<(ProxyBlob, &Observation)> {
        let observation = self.observation(&DEFAULT_CONNECTION_SETTINGS, None)?;
        Some((
            ProxyBlob::parse(observation.decoded()?.bytes()?)?,
            observation,
        ))
    }

    /// The Office versions with Lync / Skype for Business present, for the user (HKCU key)
    /// or the machine.
    pub fn lync_versions(&self, machine: &MachineFacts) -> Vec<String> {
        let mut versions: Vec<String> = self
            .extraction
            .of(&LYNC_USER_KEY)
            .filter(|o| o.is_present())
            .filter_map(|o| o.instance.clone())
            .chain(machine.lync_versions())
            .collect();
        versions.sort();
        versions.dedup();
        versions
    }

    /// The Office versions that apply to this user: the machine's installed versions, else
    /// (no SOFTWARE, or no Office found there) the versions of the user's profile roots.
    pub fn office_versions(&self, machine: &MachineFacts) -> Vec<String> {
        let installed = machine.office_versions();
        if !installed.is_empty() {
            return installed;
        }
        let mut versions: Vec<String> = self
            .profiles()
            .iter()
            .filter_map(|p| p.outlook_version.clone())
            .collect();
        versions.sort();
        versions.dedup();
        versions
    }

    /// The user's MAPI profiles.
    pub fn profiles(&self) -> &[Profile] {
        &self.extraction.profiles
    }

    /// Every Exchange account of every profile, with its profile.
    pub fn exchange_accounts(&self) -> impl Iterator<Item = (&Profile, &Account)> {
        self.profiles()
            .iter()
            .flat_map(|p| p.exchange_accounts().map(move |a| (p, a)))
    }

    /// Whether any Exchange account looks like Exchange Online.
    pub fn has_exo_account(&self) -> bool {
        self.exchange_accounts().any(|(_, a)| a.is_exo())
    }
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

    fn observation(setting: &'static Setting, value: Option<u32>) -> Observation {
        let lookup = match value {
            Some(n) => Lookup::Present {
                raw_type: 4,
                data: n.to_le_bytes().to_vec(),
                decoded: Decoded::Number(n),
                last_written: None,
            },
            None => Lookup::ValueAbsent { last_written: None },
        };
        Observation {
            setting,
            instance: Some("16.0".into()),
            key_path: setting.key.into(),
            lookup,
        }
    }

    #[test]
    fn policy_beats_preference_and_absence_gives_the_default() {
        use super::super::catalogue::{USE_ONLINE_CONTENT, USE_ONLINE_CONTENT_POLICY};
        let user = |policy, preference| UserFacts {
            extraction: Extraction {
                observations: vec![
                    observation(&USE_ONLINE_CONTENT, preference),
                    observation(&USE_ONLINE_CONTENT_POLICY, policy),
                ],
                ..Extraction::default()
            },
            ..UserFacts::default()
        };
        let both = user(Some(0), Some(2));
        let effective = both.use_online_content("16.0");
        assert_eq!(
            (effective.value, effective.origin),
            (Some(0), Origin::PolicyUser)
        );
        assert_eq!(effective.evidence.len(), 2);
        let only_preference = user(None, Some(1));
        let preference = only_preference.use_online_content("16.0");
        assert_eq!(
            (preference.value, preference.origin),
            (Some(1), Origin::Preference)
        );
        let unset = user(None, None);
        let neither = unset.use_online_content("16.0");
        assert_eq!((neither.value, neither.origin), (Some(2), Origin::Default));
    }

    #[test]
    fn profile_folders_match_on_the_last_component() {
        assert!(profile_folder_is(r"%SystemDrive%\Users\Alice", "alice"));
        assert!(profile_folder_is(r"C:\Documents and Settings\bob\", "bob"));
        assert!(!profile_folder_is(r"C:\Users\alice2", "alice"));
    }
}

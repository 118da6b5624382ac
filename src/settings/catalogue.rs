//! The definitions of every setting hiveaudit extracts.
//!
//! Key paths are relative to the hive root and may hold one placeholder segment:
//! `{ControlSet}` (the control set `Select\Current` names, formatted `ControlSet%03d`),
//! `{OfficeVersion}` (every `NN.N` subkey present, never a fixed list) or `{SID}` (every
//! subkey). Section numbers refer to the project's sourced catalogue, docs/domain-rules.md.

use crate::hive::HiveKind;

/// How a setting's data is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A DWORD-like number (REG_DWORD, big-endian, 4-byte REG_BINARY or a numeric REG_SZ).
    Dword,
    /// Text (REG_SZ or REG_EXPAND_SZ).
    Text,
    /// The names of the key's subkeys (the value name is empty).
    SubkeyNames,
}

impl ValueKind {
    /// The name used in docs.
    pub fn label(self) -> &'static str {
        match self {
            ValueKind::Dword => "number",
            ValueKind::Text => "text",
            ValueKind::SubkeyNames => "subkey names",
        }
    }
}

/// One registry setting hiveaudit reads.
#[derive(Debug, PartialEq, Eq)]
pub struct Setting {
    /// Stable identifier, used in `settings.csv` and by the rules.
    pub id: &'static str,
    /// The hive it lives in.
    pub hive: HiveKind,
    /// Key path below the hive root, possibly with a placeholder segment.
    pub key: &'static str,
    /// Value name (empty for [`ValueKind::SubkeyNames`]).
    pub value: &'static str,
    /// How to decode it.
    pub kind: ValueKind,
    /// What it means, in a sentence.
    pub about: &'static str,
    /// Where that is documented.
    pub source: &'static str,
}

/// `Select\Current`: the number of the control set in use.
pub const SELECT_CURRENT: Setting = Setting {
    id: "Select.Current",
    hive: HiveKind::System,
    key: "Select",
    value: "Current",
    kind: ValueKind::Dword,
    about: "Number N of the control set in use; configuration is read from ControlSet%03d.",
    source: "domain-rules.md 0.1, 1.1",
};

/// The NetBIOS computer name.
pub const COMPUTER_NAME: Setting = Setting {
    id: "ComputerName",
    hive: HiveKind::System,
    key: r"{ControlSet}\Control\ComputerName\ComputerName",
    value: "ComputerName",
    kind: ValueKind::Text,
    about: "NetBIOS name of the machine.",
    source: "domain-rules.md 1.2",
};

/// WinNT, ServerNT or LanmanNT (domain controller).
pub const PRODUCT_TYPE: Setting = Setting {
    id: "ProductType",
    hive: HiveKind::System,
    key: r"{ControlSet}\Control\ProductOptions",
    value: "ProductType",
    kind: ValueKind::Text,
    about: "WinNT = workstation, ServerNT = server, LanmanNT = domain controller.",
    source: "domain-rules.md 1.4",
};

/// The DNS host name.
pub const TCPIP_HOSTNAME: Setting = Setting {
    id: "Tcpip.Hostname",
    hive: HiveKind::System,
    key: r"{ControlSet}\Services\Tcpip\Parameters",
    value: "Hostname",
    kind: ValueKind::Text,
    about: "DNS host name.",
    source: "domain-rules.md 1.3",
};

/// The primary DNS suffix (domain).
pub const TCPIP_DOMAIN: Setting = Setting {
    id: "Tcpip.Domain",
    hive: HiveKind::System,
    key: r"{ControlSet}\Services\Tcpip\Parameters",
    value: "Domain",
    kind: ValueKind::Text,
    about: "Primary DNS suffix; groups clients with the domain controllers of their domain.",
    source: "domain-rules.md 1.3",
};

/// The primary DNS suffix as configured for the next boot.
pub const TCPIP_NV_DOMAIN: Setting = Setting {
    id: "Tcpip.NV Domain",
    hive: HiveKind::System,
    key: r"{ControlSet}\Services\Tcpip\Parameters",
    value: "NV Domain",
    kind: ValueKind::Text,
    about: "Primary DNS suffix configured for the next boot.",
    source: "domain-rules.md 1.3",
};

/// The LAN Manager authentication level.
pub const LM_COMPATIBILITY_LEVEL: Setting = Setting {
    id: "Lsa.LmCompatibilityLevel",
    hive: HiveKind::System,
    key: r"{ControlSet}\Control\Lsa",
    value: "LmCompatibilityLevel",
    kind: ValueKind::Dword,
    about: "LAN Manager authentication level 0-5; absent means the OS default applies.",
    source: "domain-rules.md 9.1",
};

/// Whether Credential Manager may store network passwords.
pub const DISABLE_DOMAIN_CREDS: Setting = Setting {
    id: "Lsa.DisableDomainCreds",
    hive: HiveKind::System,
    key: r"{ControlSet}\Control\Lsa",
    value: "DisableDomainCreds",
    kind: ValueKind::Dword,
    about: "1 = Credential Manager does not store passwords for network authentication.",
    source: "domain-rules.md 9.2.6",
};

/// Minimum session security for NTLM clients.
pub const NTLM_MIN_CLIENT_SEC: Setting = Setting {
    id: "MSV1_0.NtlmMinClientSec",
    hive: HiveKind::System,
    key: r"{ControlSet}\Control\Lsa\MSV1_0",
    value: "NtlmMinClientSec",
    kind: ValueKind::Dword,
    about: "Minimum NTLM client session security (0x80000 NTLMv2, 0x20000000 128-bit).",
    source: "domain-rules.md 9.2.1",
};

/// Outgoing NTLM restriction.
pub const RESTRICT_SENDING_NTLM: Setting = Setting {
    id: "MSV1_0.RestrictSendingNTLMTraffic",
    hive: HiveKind::System,
    key: r"{ControlSet}\Control\Lsa\MSV1_0",
    value: "RestrictSendingNTLMTraffic",
    kind: ValueKind::Dword,
    about: "Outgoing NTLM: 0 or absent = allow all, 1 = audit, 2 = deny all but exceptions.",
    source: "domain-rules.md 9.2.3",
};

const CURRENT_VERSION_KEY: &str = r"Microsoft\Windows NT\CurrentVersion";

/// The edition text.
pub const PRODUCT_NAME: Setting = Setting {
    id: "CurrentVersion.ProductName",
    hive: HiveKind::Software,
    key: CURRENT_VERSION_KEY,
    value: "ProductName",
    kind: ValueKind::Text,
    about: "Edition text; Windows 11 still says Windows 10 (use CurrentBuild).",
    source: "domain-rules.md 1.5",
};

/// The NT version number (frozen at 6.3 since Windows 8.1).
pub const CURRENT_VERSION: Setting = Setting {
    id: "CurrentVersion.CurrentVersion",
    hive: HiveKind::Software,
    key: CURRENT_VERSION_KEY,
    value: "CurrentVersion",
    kind: ValueKind::Text,
    about: "5.0 2000, 5.1 XP, 5.2 2003/XP x64, 6.0 Vista, 6.1 7, 6.2 8, 6.3 8.1 and later.",
    source: "domain-rules.md 1.6",
};

/// The build number.
pub const CURRENT_BUILD: Setting = Setting {
    id: "CurrentVersion.CurrentBuild",
    hive: HiveKind::Software,
    key: CURRENT_VERSION_KEY,
    value: "CurrentBuild",
    kind: ValueKind::Text,
    about: "Build number; 22000 and later is Windows 11.",
    source: "domain-rules.md 1.8",
};

/// The build number (older name, present on every version).
pub const CURRENT_BUILD_NUMBER: Setting = Setting {
    id: "CurrentVersion.CurrentBuildNumber",
    hive: HiveKind::Software,
    key: CURRENT_VERSION_KEY,
    value: "CurrentBuildNumber",
    kind: ValueKind::Text,
    about: "Build number, also written by Windows versions before Vista.",
    source: "domain-rules.md 1.8",
};

/// 10 on Windows 10, 11 and Server 2016 and later.
pub const CURRENT_MAJOR_VERSION: Setting = Setting {
    id: "CurrentVersion.CurrentMajorVersionNumber",
    hive: HiveKind::Software,
    key: CURRENT_VERSION_KEY,
    value: "CurrentMajorVersionNumber",
    kind: ValueKind::Dword,
    about: "10 on Windows 10, 11 and Server 2016+; absent before Windows 10.",
    source: "domain-rules.md 1.7",
};

/// The feature-update label.
pub const DISPLAY_VERSION: Setting = Setting {
    id: "CurrentVersion.DisplayVersion",
    hive: HiveKind::Software,
    key: CURRENT_VERSION_KEY,
    value: "DisplayVersion",
    kind: ValueKind::Text,
    about: "Feature-update label (20H2 and later).",
    source: "domain-rules.md 1.9",
};

/// Client, Server or Server Core.
pub const INSTALLATION_TYPE: Setting = Setting {
    id: "CurrentVersion.InstallationType",
    hive: HiveKind::Software,
    key: CURRENT_VERSION_KEY,
    value: "InstallationType",
    kind: ValueKind::Text,
    about: "Client, Server or Server Core.",
    source: "domain-rules.md 1.10",
};

/// The profile folder of each SID.
pub const PROFILE_IMAGE_PATH: Setting = Setting {
    id: "ProfileList.ProfileImagePath",
    hive: HiveKind::Software,
    key: r"Microsoft\Windows NT\CurrentVersion\ProfileList\{SID}",
    value: "ProfileImagePath",
    kind: ValueKind::Text,
    about: "Profile folder of the SID; maps a user hive to its owner.",
    source: "domain-rules.md 2",
};

const OUTLOOK_SECURITY_POLICY_KEY: &str =
    r"Software\Policies\Microsoft\Office\{OfficeVersion}\Outlook\Security";

/// Outlook policy "always prompt for logon credentials".
pub const PROMPT_FOR_CREDENTIALS: Setting = Setting {
    id: "Outlook.PromptForCredentials",
    hive: HiveKind::NtUser,
    key: OUTLOOK_SECURITY_POLICY_KEY,
    value: "PromptForCredentials",
    kind: ValueKind::Dword,
    about: "1 = cached credentials cannot be used: Outlook always prompts.",
    source: "domain-rules.md 4.1",
};

/// Outlook policy "Authentication with Exchange Server".
pub const AUTHENTICATION_SERVICE: Setting = Setting {
    id: "Outlook.AuthenticationService",
    hive: HiveKind::NtUser,
    key: OUTLOOK_SECURITY_POLICY_KEY,
    value: "AuthenticationService",
    kind: ValueKind::Dword,
    about: "9 Kerberos/NTLM, 16 Kerberos, 10 NTLM, 0x8000F000 smart card; any value disables \
            the profile's logon network security choice.",
    source: "domain-rules.md 4.2",
};

const WMS_PROFILES_KEY: &str =
    r"Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles";

/// Outlook 2003-2010 profiles.
pub const WMS_PROFILES: Setting = Setting {
    id: "Outlook.Profiles.WindowsMessagingSubsystem",
    hive: HiveKind::NtUser,
    key: WMS_PROFILES_KEY,
    value: "",
    kind: ValueKind::SubkeyNames,
    about: "Outlook 2003/2007/2010 MAPI profiles.",
    source: "domain-rules.md 5.1",
};

/// The default Outlook 2003-2010 profile.
pub const WMS_DEFAULT_PROFILE: Setting = Setting {
    id: "Outlook.DefaultProfile.WindowsMessagingSubsystem",
    hive: HiveKind::NtUser,
    key: WMS_PROFILES_KEY,
    value: "DefaultProfile",
    kind: ValueKind::Text,
    about: "Default Outlook 2003/2007/2010 profile.",
    source: "domain-rules.md 5.1",
};

/// Outlook 2013 and later profiles, per Office version.
pub const OFFICE_PROFILES: Setting = Setting {
    id: "Outlook.Profiles",
    hive: HiveKind::NtUser,
    key: r"Software\Microsoft\Office\{OfficeVersion}\Outlook\Profiles",
    value: "",
    kind: ValueKind::SubkeyNames,
    about: "Outlook 2013 (15.0) and 2016+ (16.0) MAPI profiles.",
    source: "domain-rules.md 5.1",
};

/// The default Outlook 2013 and later profile, per Office version.
pub const OFFICE_DEFAULT_PROFILE: Setting = Setting {
    id: "Outlook.DefaultProfile",
    hive: HiveKind::NtUser,
    key: r"Software\Microsoft\Office\{OfficeVersion}\Outlook",
    value: "DefaultProfile",
    kind: ValueKind::Text,
    about: "Default Outlook 2013 (15.0) and 2016+ (16.0) profile.",
    source: "domain-rules.md 5.1",
};

/// Every setting, in the order reports list them.
pub const CATALOGUE: &[&Setting] = &[
    &SELECT_CURRENT,
    &COMPUTER_NAME,
    &PRODUCT_TYPE,
    &TCPIP_HOSTNAME,
    &TCPIP_DOMAIN,
    &TCPIP_NV_DOMAIN,
    &LM_COMPATIBILITY_LEVEL,
    &DISABLE_DOMAIN_CREDS,
    &NTLM_MIN_CLIENT_SEC,
    &RESTRICT_SENDING_NTLM,
    &PRODUCT_NAME,
    &CURRENT_VERSION,
    &CURRENT_BUILD,
    &CURRENT_BUILD_NUMBER,
    &CURRENT_MAJOR_VERSION,
    &DISPLAY_VERSION,
    &INSTALLATION_TYPE,
    &PROFILE_IMAGE_PATH,
    &PROMPT_FOR_CREDENTIALS,
    &AUTHENTICATION_SERVICE,
    &WMS_PROFILES,
    &WMS_DEFAULT_PROFILE,
    &OFFICE_PROFILES,
    &OFFICE_DEFAULT_PROFILE,
];

/// The settings read from hives of `kind`, in catalogue order.
pub fn for_hive(kind: HiveKind) -> impl Iterator<Item = &'static Setting> {
    CATALOGUE.iter().copied().filter(move |s| s.hive == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = CATALOGUE.iter().map(|s| s.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), CATALOGUE.len());
    }

    #[test]
    fn subkey_listings_have_no_value_name() {
        for setting in CATALOGUE {
            assert_eq!(
                setting.kind == ValueKind::SubkeyNames,
                setting.value.is_empty(),
                "{}",
                setting.id
            );
        }
    }

    #[test]
    fn only_audited_hives_are_read() {
        assert!(CATALOGUE.iter().all(|s| s.hive.is_audited()));
        assert_eq!(for_hive(HiveKind::Sam).count(), 0);
    }
}

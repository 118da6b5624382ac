//! The definitions of every setting hiveaudit extracts.
//!
//! Key paths are relative to the hive root and may hold one placeholder segment:
//! `{ControlSet}` (the control set `Select\Current` names, formatted `ControlSet%03d`),
//! `{OfficeVersion}` (every `NN.N` subkey present, never a fixed list) or `{SID}` (every
//! subkey) or `{Zone}` (the security zones `0` to `4` present). SOFTWARE keys that 32-bit
//! Office writes under `WOW6432Node` are defined twice, once per registry view (domain-rules.md
//! 0.6). Section numbers refer to the project's sourced catalogue, docs/domain-rules.md.

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
    /// Raw REG_BINARY data, parsed by the facts that use it.
    Binary,
}

impl ValueKind {
    /// The name used in docs.
    pub fn label(self) -> &'static str {
        match self {
            ValueKind::Dword => "number",
            ValueKind::Text => "text",
            ValueKind::SubkeyNames => "subkey names",
            ValueKind::Binary => "binary",
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

/// Declares a [`Setting`] constant; the fields are those of the struct, in order.
macro_rules! setting {
    ($(#[$doc:meta])* $name:ident, $id:literal, $hive:ident, $key:expr, $value:literal, $kind:ident,
     $about:literal, $source:literal) => {
        $(#[$doc])*
        pub const $name: Setting = Setting {
            id: $id,
            hive: HiveKind::$hive,
            key: $key,
            value: $value,
            kind: ValueKind::$kind,
            about: $about,
            source: $source,
        };
    };
}

const OUTLOOK_POLICY_KEY: &str = r"Software\Policies\Microsoft\Office\{OfficeVersion}\Outlook";
const OUTLOOK_RPC_POLICY_KEY: &str =
    r"Software\Policies\Microsoft\Office\{OfficeVersion}\Outlook\RPC";
const INTERNET_PREFERENCE_KEY: &str = r"Software\Microsoft\Office\{OfficeVersion}\Common\Internet";
const INTERNET_POLICY_KEY: &str =
    r"Software\Policies\Microsoft\Office\{OfficeVersion}\Common\Internet";
const EXCHANGE_KEY: &str = r"Software\Microsoft\Exchange";
const IDENTITY_KEY: &str = r"Software\Microsoft\Office\{OfficeVersion}\Common\Identity";
const LYNC_POLICY_KEY: &str = r"Software\Policies\Microsoft\Office\{OfficeVersion}\Lync";
const USER_INTERNET_SETTINGS_KEY: &str =
    r"Software\Microsoft\Windows\CurrentVersion\Internet Settings";
const USER_CONNECTIONS_KEY: &str =
    r"Software\Microsoft\Windows\CurrentVersion\Internet Settings\Connections";

setting!(
    /// Outlook policy "Prevent saving credentials for Basic Authentication" (2010 path).
    DISABLE_BASIC_SAVED_CREDS, "Outlook.DisableBasicAuthSavedCreds", NtUser, OUTLOOK_POLICY_KEY,
    "DisableBasicAuthSavedCreds", Dword,
    "1 = Basic-auth credentials are not saved, so Outlook prompts in every session.",
    "domain-rules.md 4.3"
);
setting!(
    /// The same policy at the `Outlook\RPC` path Microsoft gives for Outlook 2013.
    DISABLE_BASIC_SAVED_CREDS_RPC, "Outlook.RPC.DisableBasicAuthSavedCreds", NtUser,
    OUTLOOK_RPC_POLICY_KEY, "DisableBasicAuthSavedCreds", Dword,
    "1 = Basic-auth credentials are not saved (Outlook 2013 path of the same policy).",
    "domain-rules.md 4.3"
);
setting!(
    /// "Allow Office to connect to the Internet", user preference.
    USE_ONLINE_CONTENT, "Office.UseOnlineContent", NtUser, INTERNET_PREFERENCE_KEY,
    "UseOnlineContent", Dword,
    "0 = no online content (Outlook prompts at every start), 1 = opt-in, 2 = allowed (default).",
    "domain-rules.md 4.4"
);
setting!(
    /// "Allow Office to connect to the Internet", user policy (wins over the preference).
    USE_ONLINE_CONTENT_POLICY, "Office.Policy.UseOnlineContent", NtUser, INTERNET_POLICY_KEY,
    "UseOnlineContent", Dword,
    "Policy form of UseOnlineContent; overrides the preference.",
    "domain-rules.md 4.4"
);
setting!(
    /// Forces modern authentication for Autodiscover and EWS.
    ALWAYS_USE_MSOAUTH, "Exchange.AlwaysUseMSOAuthForAutoDiscover", NtUser, EXCHANGE_KEY,
    "AlwaysUseMSOAuthForAutoDiscover", Dword,
    "1 = modern auth for Autodiscover/EWS; without it mixed on-premises/Microsoft 365 profiles prompt.",
    "domain-rules.md 6.1"
);
setting!(
    /// Disables MAPI over HTTP on the client.
    MAPI_HTTP_DISABLED, "Exchange.MapiHttpDisabled", NtUser, EXCHANGE_KEY, "MapiHttpDisabled",
    Dword, "1 = MAPI/HTTP disabled (testing only); Microsoft 365 users get Basic prompts.",
    "domain-rules.md 6.2"
);
setting!(
    /// Office modern authentication (ADAL) switch.
    ENABLE_ADAL, "Identity.EnableADAL", NtUser, IDENTITY_KEY, "EnableADAL", Dword,
    "15.0: 1 (with Version 1) enables modern auth, off by default; 16.0: 0 turns it off.",
    "domain-rules.md 6.3, 6.4"
);
setting!(
    /// Office 2013 modern authentication version.
    IDENTITY_VERSION, "Identity.Version", NtUser, IDENTITY_KEY, "Version", Dword,
    "Office 2013 needs Version = 1 with EnableADAL = 1 for modern auth.",
    "domain-rules.md 6.3"
);
setting!(
    /// Turns off Web Account Manager sign-in for Office.
    DISABLE_ADAL_WAM_OVERRIDE, "Identity.DisableADALatopWAMOverride", NtUser, IDENTITY_KEY,
    "DisableADALatopWAMOverride", Dword,
    "1 = WAM sign-in off for Office (not for Skype for Business); not a fix for prompts.",
    "domain-rules.md 6.5"
);
setting!(
    /// Turns off Azure AD WAM sign-in.
    DISABLE_AAD_WAM, "Identity.DisableAADWAM", NtUser, IDENTITY_KEY, "DisableAADWAM", Dword,
    "1 = Azure AD WAM sign-in off; not recommended as a fix for sign-in issues.",
    "domain-rules.md 6.5"
);
setting!(
    /// The WAM switch Skype for Business honours.
    DISABLE_ADAL_ATOP_WAM, "Identity.DisableADALatopWAM", NtUser, IDENTITY_KEY,
    "DisableADALatopWAM", Dword,
    "1 = WAM off for Skype for Business (which ignores ...Override).",
    "domain-rules.md 6.6"
);
setting!(
    /// Lets Lync/Skype for Business use OAuth to Exchange Online independently of its own sign-in.
    LYNC_ALLOW_ADAL_NONLYNC, "Lync.AllowAdalForNonLyncIndependentOfLync", NtUser,
    LYNC_POLICY_KEY, "AllowAdalForNonLyncIndependentOfLync", Dword,
    "1 = Lync uses OAuth/MFA to EWS in Exchange Online when SfB is on-premises.",
    "domain-rules.md 7.2"
);
setting!(
    /// Lync policy switch for Web Account Manager.
    LYNC_ENABLE_WAM, "Lync.EnableWAM", NtUser, LYNC_POLICY_KEY, "EnableWAM", Dword,
    "0 = Skype for Business does not use WAM (SSO workaround).",
    "domain-rules.md 7.3"
);
setting!(
    /// Lync / Skype for Business user settings, per Office version.
    LYNC_USER_KEY, "Lync.UserKey", NtUser, r"Software\Microsoft\Office\{OfficeVersion}\Lync", "",
    SubkeyNames, "Lync 2013 / Skype for Business has stored settings for this user.",
    "domain-rules.md 7, 11 (LY-01)"
);
setting!(
    /// WinINET manual proxy switch (legacy mirror of the connection blob).
    PROXY_ENABLE, "InternetSettings.ProxyEnable", NtUser, USER_INTERNET_SETTINGS_KEY,
    "ProxyEnable", Dword, "1 = a manual proxy is enabled.", "domain-rules.md 8.1.2"
);
setting!(
    /// WinINET manual proxy server.
    PROXY_SERVER, "InternetSettings.ProxyServer", NtUser, USER_INTERNET_SETTINGS_KEY,
    "ProxyServer", Text, "Manual proxy, host:port or per-protocol list.", "domain-rules.md 8.1.2"
);
setting!(
    /// WinINET proxy auto-configuration (PAC) URL.
    AUTO_CONFIG_URL, "InternetSettings.AutoConfigURL", NtUser, USER_INTERNET_SETTINGS_KEY,
    "AutoConfigURL", Text, "Proxy auto-configuration script URL.", "domain-rules.md 8.1.2"
);
setting!(
    /// The WinINET LAN connection settings blob.
    DEFAULT_CONNECTION_SETTINGS, "InternetSettings.DefaultConnectionSettings", NtUser,
    USER_CONNECTIONS_KEY, "DefaultConnectionSettings", Binary,
    "LAN proxy blob; flags at offset 8: 0x2 proxy, 0x4 PAC, 0x8 automatically detect settings.",
    "domain-rules.md 8.1.1"
);
setting!(
    /// Zone logon option, user preference.
    ZONE_LOGON, "Zones.1A00", NtUser,
    r"Software\Microsoft\Windows\CurrentVersion\Internet Settings\Zones\{Zone}", "1A00", Dword,
    "Logon: 0 automatic, 0x10000 prompt, 0x20000 automatic in intranet only, 0x30000 anonymous.",
    "domain-rules.md 8.2"
);
setting!(
    /// Zone logon option, user policy.
    ZONE_LOGON_POLICY, "Zones.Policy.1A00", NtUser,
    r"Software\Policies\Microsoft\Windows\CurrentVersion\Internet Settings\Zones\{Zone}", "1A00",
    Dword, "Policy form of the zone logon option; overrides the preference.",
    "domain-rules.md 8.2"
);
setting!(
    /// Zone logon option, machine preference.
    MACHINE_ZONE_LOGON, "Machine.Zones.1A00", Software,
    r"Microsoft\Windows\CurrentVersion\Internet Settings\Zones\{Zone}", "1A00", Dword,
    "Machine zone logon option (used when the user has none).", "domain-rules.md 8.2"
);
setting!(
    /// Zone logon option, machine policy.
    MACHINE_ZONE_LOGON_POLICY, "Machine.Zones.Policy.1A00", Software,
    r"Policies\Microsoft\Windows\CurrentVersion\Internet Settings\Zones\{Zone}", "1A00", Dword,
    "Machine policy for the zone logon option.", "domain-rules.md 8.2"
);
setting!(
    /// Whether the WinINET proxy is per user (absent or 1) or per machine (0).
    PROXY_SETTINGS_PER_USER, "InternetSettings.ProxySettingsPerUser", Software,
    r"Policies\Microsoft\Windows\CurrentVersion\Internet Settings", "ProxySettingsPerUser", Dword,
    "0 = the proxy comes from HKLM and per-user proxy settings are ignored.",
    "domain-rules.md 8.1.3"
);
setting!(
    /// The WinHTTP machine proxy blob.
    WINHTTP_SETTINGS, "WinHttp.WinHttpSettings", Software,
    r"Microsoft\Windows\CurrentVersion\Internet Settings\Connections", "WinHttpSettings", Binary,
    "WinHTTP proxy blob; flags at offset 8: 1 direct, 3 proxy.", "domain-rules.md 8.3"
);
setting!(
    /// The WinHTTP machine proxy blob, 32-bit view.
    WINHTTP_SETTINGS_WOW, "WinHttp.WinHttpSettings.WOW6432Node", Software,
    r"WOW6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\Connections",
    "WinHttpSettings", Binary, "WinHTTP proxy blob seen by 32-bit programs.",
    "domain-rules.md 8.3, 0.6"
);
setting!(
    /// The Click-to-Run Office build.
    C2R_VERSION, "Office.ClickToRun.VersionToReport", Software,
    r"Microsoft\Office\ClickToRun\Configuration", "VersionToReport", Text,
    "Click-to-Run Office build, e.g. 16.0.10730.20304.", "domain-rules.md 3.1"
);
setting!(
    /// The Click-to-Run Office build, 32-bit view.
    C2R_VERSION_WOW, "Office.ClickToRun.VersionToReport.WOW6432Node", Software,
    r"WOW6432Node\Microsoft\Office\ClickToRun\Configuration", "VersionToReport", Text,
    "Click-to-Run Office build written under WOW6432Node.", "domain-rules.md 3.1, 0.6"
);
setting!(
    /// Outlook installed per Office version (the machine's Outlook key exists).
    OUTLOOK_INSTALLED, "Office.Outlook", Software, r"Microsoft\Office\{OfficeVersion}\Outlook", "",
    SubkeyNames, "Outlook of this Office version has machine settings (installed).",
    "domain-rules.md 3.3"
);
setting!(
    /// Outlook installed per Office version, 32-bit view.
    OUTLOOK_INSTALLED_WOW, "Office.Outlook.WOW6432Node", Software,
    r"WOW6432Node\Microsoft\Office\{OfficeVersion}\Outlook", "", SubkeyNames,
    "32-bit Outlook of this Office version has machine settings.", "domain-rules.md 3.3, 0.6"
);
setting!(
    /// Lync / Skype for Business installed per Office version.
    LYNC_INSTALLED, "Office.Lync", Software, r"Microsoft\Office\{OfficeVersion}\Lync", "",
    SubkeyNames, "Lync / Skype for Business of this Office version has machine settings.",
    "domain-rules.md 7, 11 (LY-01)"
);
setting!(
    /// Lync / Skype for Business installed per Office version, 32-bit view.
    LYNC_INSTALLED_WOW, "Office.Lync.WOW6432Node", Software,
    r"WOW6432Node\Microsoft\Office\{OfficeVersion}\Lync", "", SubkeyNames,
    "32-bit Lync / Skype for Business of this Office version has machine settings.",
    "domain-rules.md 7, 0.6"
);
setting!(
    /// Office modern authentication switch set for the machine.
    MACHINE_ENABLE_ADAL, "Machine.Identity.EnableADAL", Software,
    r"Microsoft\Office\{OfficeVersion}\Common\Identity", "EnableADAL", Dword,
    "Machine-wide EnableADAL; 0 turns Office 2016+ modern auth off.", "domain-rules.md 6.4"
);

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
    &DISABLE_BASIC_SAVED_CREDS,
    &DISABLE_BASIC_SAVED_CREDS_RPC,
    &USE_ONLINE_CONTENT,
    &USE_ONLINE_CONTENT_POLICY,
    &ALWAYS_USE_MSOAUTH,
    &MAPI_HTTP_DISABLED,
    &ENABLE_ADAL,
    &IDENTITY_VERSION,
    &DISABLE_ADAL_WAM_OVERRIDE,
    &DISABLE_AAD_WAM,
    &DISABLE_ADAL_ATOP_WAM,
    &LYNC_ALLOW_ADAL_NONLYNC,
    &LYNC_ENABLE_WAM,
    &LYNC_USER_KEY,
    &PROXY_ENABLE,
    &PROXY_SERVER,
    &AUTO_CONFIG_URL,
    &DEFAULT_CONNECTION_SETTINGS,
    &ZONE_LOGON,
    &ZONE_LOGON_POLICY,
    &MACHINE_ZONE_LOGON,
    &MACHINE_ZONE_LOGON_POLICY,
    &PROXY_SETTINGS_PER_USER,
    &WINHTTP_SETTINGS,
    &WINHTTP_SETTINGS_WOW,
    &C2R_VERSION,
    &C2R_VERSION_WOW,
    &OUTLOOK_INSTALLED,
    &OUTLOOK_INSTALLED_WOW,
    &LYNC_INSTALLED,
    &LYNC_INSTALLED_WOW,
    &MACHINE_ENABLE_ADAL,
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

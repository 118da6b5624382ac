//! Seed inputs for the fuzz harnesses, all built in code: sample SYSTEM, SOFTWARE and NTUSER
//! hives carrying the settings hiveaudit reads, and dirty primaries packed with their logs.

use super::build::{TestKey, build_hive};
use super::targets::pack;
use crate::recovery::testing::{entry, new_log, old_log, page, primary};

/// A SYSTEM hive for `computer_name` with control set 2 current and NTLM settings.
pub fn system(computer_name: &str) -> Vec<u8> {
    let root = TestKey::new("ROOT")
        .dword(r"Select\Current", 2)
        .key(r"ControlSet001\Control")
        .sz(
            r"ControlSet002\Control\ComputerName\ComputerName\ComputerName",
            computer_name,
        )
        .sz(r"ControlSet002\Control\ProductOptions\ProductType", "WinNT")
        .dword(r"ControlSet002\Control\Lsa\LmCompatibilityLevel", 1)
        .dword(r"ControlSet002\Control\Lsa\MSV1_0\NtlmMinClientSec", 0)
        .sz(
            r"ControlSet002\Services\Tcpip\Parameters\Domain",
            "corp.example",
        );
    build_hive(r"\REGISTRY\MACHINE\SYSTEM", &root)
}

/// A SOFTWARE hive of Windows 10 with one profile for `user`.
pub fn software(user: &str) -> Vec<u8> {
    let profile = r"Microsoft\Windows NT\CurrentVersion\ProfileList\S-1-5-21-1-2-3-1001";
    let root = TestKey::new("ROOT")
        .sz(
            r"Microsoft\Windows NT\CurrentVersion\ProductName",
            "Windows 10 Pro",
        )
        .sz(r"Microsoft\Windows NT\CurrentVersion\CurrentBuild", "19045")
        .dword(
            r"Microsoft\Windows NT\CurrentVersion\CurrentMajorVersionNumber",
            10,
        )
        .sz(
            &format!(r"{profile}\ProfileImagePath"),
            &format!(r"C:\Users\{user}"),
        );
    build_hive(r"\REGISTRY\MACHINE\SOFTWARE", &root)
}

/// An NTUSER hive with Outlook 16.0 settings that prompt for credentials.
pub fn ntuser(user: &str) -> Vec<u8> {
    let policy = r"Software\Policies\Microsoft\Office\16.0\Outlook\Security";
    let root = TestKey::new("ROOT")
        .dword(&format!(r"{policy}\PromptForCredentials"), 1)
        .dword(&format!(r"{policy}\AuthenticationService"), 10)
        .key(r"Software\Microsoft\Office\16.0\Outlook\Profiles\Outlook")
        .sz(
            r"Software\Microsoft\Office\16.0\Outlook\DefaultProfile",
            "Outlook",
        )
        .key("Control Panel")
        .sz(r"Environment\USERPROFILE", &format!(r"C:\Users\{user}"));
    build_hive(&format!(r"\??\C:\Users\{user}\ntuser.dat"), &root)
}

/// The three sample hives.
pub fn hives() -> Vec<Vec<u8>> {
    vec![system("HOST-1"), software("alice"), ntuser("alice")]
}

/// The seeds of the harness called `target` (see [`super::targets::ALL`]).
pub fn for_target(target: &str) -> Vec<Vec<u8>> {
    match target {
        "recovery" => {
            let mut inputs = recovery_inputs();
            inputs.extend(hives().iter().map(|hive| pack(&[hive])));
            inputs
        }
        _ => hives(),
    }
}

/// Dirty primaries packed with new-format, old-format and mixed logs (see [`pack`]).
pub fn recovery_inputs() -> Vec<Vec<u8>> {
    const HBINS: u32 = 16384;
    let hive = primary(3, 2, HBINS);
    let entries = [
        entry(2, HBINS, &[(0, page(4096, 3))]),
        entry(3, HBINS + 4096, &[(HBINS, page(4096, 4))]),
    ];
    let new = new_log(2, HBINS, &entries);
    let old = old_log(3, 0, HBINS, &[(0, 5), (31, 6)]);
    let mut dirty_sample = system("DIRTY");
    dirty_sample[4] = 9;
    vec![
        pack(&[&hive, &new]),
        pack(&[&hive, &old]),
        pack(&[&hive, &new, &old]),
        pack(&[&dirty_sample, &new_log(9, 4096, &[])]),
    ]
}

//! The MAPI profile reader on real Outlook profiles. Expected values were read independently
//! from `hivexregedit --export` of each profile root (and the corpus MANIFEST's DefaultProfile
//! facts): profile names, default profile, account list, Exchange sections and properties.

use std::path::Path;

use hiveaudit::hive::HiveView;
use hiveaudit::settings::keys::KeyCache;
use hiveaudit::settings::profiles::{self, ExchangeProperties, SectionPointer};
use hiveaudit::settings::{Profile, ProfileRoot};
use libtest_mimic::Failed;

use super::tree::read;

/// Reads every profile of a corpus hive.
fn profiles_of(corpus: &Path, relative: &str) -> Vec<Profile> {
    let bytes = read(corpus, relative);
    let view = HiveView::open(&bytes).expect("hive opens");
    profiles::read(&mut KeyCache::new(&view))
}

/// (account name, service name) of every account, in account-list order.
fn accounts(profile: &Profile) -> Vec<(String, String)> {
    profile
        .accounts
        .iter()
        .map(|a| (a.name.clone(), a.service_name.clone()))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The single default "Outlook" profile of a hive, under `root`, for Office `version`.
fn only_outlook_profile(
    profiles: &[Profile],
    root: ProfileRoot,
    version: &str,
) -> Result<Profile, Failed> {
    let [profile] = profiles else {
        return Err(format!("expected one profile, found {}", profiles.len()).into());
    };
    if profile.name != "Outlook" || !profile.is_default || profile.root != root {
        return Err(format!("unexpected profile {profile:?}").into());
    }
    if profile.outlook_version.as_deref() != Some(version) || profile.error.is_some() {
        return Err(format!("unexpected version or error in {profile:?}").into());
    }
    Ok(profile.clone())
}

/// plaso's Outlook 2010 profile: two address books, a POP3 account and its PST; no Exchange.
pub fn plaso_outlook_2010_profile_has_its_four_accounts(corpus: &Path) -> Result<(), Failed> {
    let found = profiles_of(corpus, "plaso/test_data/NTUSER-WIN7.DAT");
    let profile = only_outlook_profile(&found, ProfileRoot::WindowsMessaging, "14.0")?;
    let want = pairs(&[
        ("Mobile Address Book", "OMSAB"),
        ("Outlook Address Book", "CONTAB"),
        ("nfury@stark-research-labs.com", ""),
        ("nfury@stark-research-labs.com", "MSUPST MS"),
    ]);
    assert_eq!(accounts(&profile), want);
    assert_eq!(profile.exchange_accounts().count(), 0);
    assert_eq!(
        profile.accounts[0].service_uid,
        "d62a6f79b0bd6f42b89024c32341f335"
    );
    Ok(())
}

/// notatin's Outlook 2010 profile: address books and a PST (account 00000003 is absent).
pub fn notatin_outlook_2010_profile_has_its_three_accounts(corpus: &Path) -> Result<(), Failed> {
    let found = profiles_of(corpus, "notatin/test_data/win7_ntuser.dat");
    let profile = only_outlook_profile(&found, ProfileRoot::WindowsMessaging, "14.0")?;
    let want = pairs(&[
        ("Mobile Address Book", "OMSAB"),
        ("Outlook Address Book", "CONTAB"),
        ("Outlook Data File", "MSUPST MS"),
    ]);
    assert_eq!(accounts(&profile), want);
    let list_keys: Vec<&str> = profile
        .accounts
        .iter()
        .map(|a| a.list_key.as_str())
        .collect();
    assert_eq!(list_keys, ["00000001", "00000002", "00000004"]);
    Ok(())
}

/// r-winreg's Office 15.0 profile: a Microsoft 365 Exchange account whose EMSMDB section
/// 500eedb6... is found through 01023d15 and holds the Outlook Anywhere settings.
pub fn r_winreg_office_15_profile_has_its_exchange_section(corpus: &Path) -> Result<(), Failed> {
    let found = profiles_of(corpus, "r-winreg/.testdata/NTUSER.DAT");
    let profile = only_outlook_profile(&found, ProfileRoot::Office("15.0".into()), "15.0")?;
    let want = pairs(&[
        ("Outlook Address Book", "CONTAB"),
        ("dblake@asgardventurecapital.onmicrosoft.com", "MSEMS"),
        ("Internet Calendars", "MSUPST MS"),
        ("iCloud", "APLZODSERVICE"),
    ]);
    assert_eq!(accounts(&profile), want);
    let exchange: Vec<_> = profile.exchange_accounts().collect();
    let [account] = exchange.as_slice() else {
        return Err("expected one Exchange account".into());
    };
    assert_eq!(account.service_uid, "a08d80b8cfabeb4c96aec5b643e170e2");
    let section = account.section.as_ref().ok_or("no section")?;
    assert_eq!(section.key, "500eedb6e7c74345a6a7f87197c2ec44");
    assert_eq!(section.found_by, SectionPointer::EmsmdbUid);
    let want = ExchangeProperties {
        config_flags: Some(0x984),
        auth_package: Some(0x8000_F001),
        roh_flags: Some(0x2f),
        roh_auth_scheme: Some(1),
        roh_server: Some("outlook.office365.com".into()),
        roh_principal: Some("msstd:outlook.com".into()),
    };
    assert_eq!(section.properties, want);
    assert!(account.is_exo());
    Ok(())
}

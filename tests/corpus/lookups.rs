//! Subkey lookups on real hives: every subkey that enumeration lists is found by name (hash
//! leaves are searched by their stored hashes, other lists by binary search), in any letter
//! case, and names that are not there are not found. Office versions enumerated through the
//! lists' name hints are those that filtering every name finds.

use std::path::Path;

use hiveaudit::hive::{HiveView, Key};
use hiveaudit::settings::extract::{Placeholder, is_office_version};
use libtest_mimic::Failed;

/// Hives from several Windows versions, with large and small subkey lists.
const HIVES: &[&str] = &[
    "regipy/regipy_tests/data/SYSTEM",
    "regipy/regipy_tests/data/NTUSER.DAT",
    "notatin/test_data/NTUSER.DAT",
    "notatin/test_data/win7_ntuser.dat",
    "plaso/test_data/NTUSER-WIN7.DAT",
    "aiowinreg/tests/testdata/nt/software.reg",
    "regipy/regipy_tests/data/ntuser_software_partial",
    "yarp/hives_for_tests/ManySubkeysHive",
];

/// Keys checked per hive, to bound the run time.
const MAX_KEYS: usize = 4_000;

pub fn every_listed_subkey_is_found_by_name(corpus: &Path) -> Result<(), Failed> {
    let mut checked = 0;
    for hive in HIVES {
        let bytes = std::fs::read(corpus.join(hive)).map_err(|e| format!("{hive}: {e}"))?;
        let view = HiveView::open(&bytes).map_err(|e| format!("{hive}: {e}"))?;
        let root = view.root().map_err(|e| format!("{hive}: {e}"))?;
        let mut pending = vec![root];
        let mut keys = 0;
        while let Some(key) = pending.pop() {
            if keys == MAX_KEYS {
                break;
            }
            keys += 1;
            checked += check_subkeys(hive, &key)?;
            pending.extend(key.subkeys().unwrap_or_default());
        }
    }
    if checked < 10_000 {
        return Err(format!("only {checked} lookups checked").into());
    }
    Ok(())
}

/// Looks every subkey of `key` up by its name, upper-cased and lower-cased, and a name that
/// is not there; returns the number of lookups.
fn check_subkeys(hive: &str, key: &Key<'_, '_>) -> Result<usize, Failed> {
    let names = key.subkey_names().unwrap_or_default();
    for name in &names {
        for spelling in [name.clone(), name.to_uppercase(), name.to_lowercase()] {
            let found = key
                .subkey(&spelling)
                .map_err(|e| format!("{hive}: {spelling}: {e}"))?
                .ok_or_else(|| format!("{hive}: subkey {spelling:?} not found"))?;
            let found_name = found.name().map_err(|e| format!("{hive}: {e}"))?;
            if !found_name.eq_ignore_ascii_case(name) && found_name != *name {
                return Err(format!("{hive}: {spelling:?} found {found_name:?}").into());
            }
        }
    }
    let versions: Vec<&String> = names.iter().filter(|n| is_office_version(n)).collect();
    let by_hints = Placeholder::OfficeVersion
        .subkeys_of(key)
        .map_err(|e| format!("{hive}: {e}"))?;
    if by_hints.iter().ne(versions.iter().copied()) {
        return Err(
            format!("{hive}: versions {by_hints:?} by hints, {versions:?} by names").into(),
        );
    }
    let absent = format!("{}~not-a-key", names.first().map_or("x", String::as_str));
    if key.subkey(&absent).ok().flatten().is_some() {
        return Err(format!("{hive}: {absent:?} found").into());
    }
    Ok(names.len() * 3 + 1)
}

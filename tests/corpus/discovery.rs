//! Discovery over the corpus of real hives.
//!
//! Every regf primary listed in the corpus `MANIFEST.json` must be found, typed as the manifest
//! says, and carry the transaction logs that sit beside it.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use hiveaudit::discovery::{Collection, DiscoveredHive, DiscoveryOptions, discover};
use hiveaudit::hive::HiveKind;
use hiveaudit::source::Evidence;
use libtest_mimic::Failed;
use serde_json::Value;

/// Every hive discovery reported, placed or not, by path.
fn hives_by_path(collection: &Collection) -> HashMap<&Path, &DiscoveredHive> {
    let placed = collection.machines.iter().flat_map(|machine| {
        machine
            .system
            .iter()
            .chain(&machine.software)
            .chain(machine.users.iter().map(|user| &user.hive))
            .chain(&machine.others)
    });
    placed
        .chain(collection.unplaced.iter().map(|user| &user.hive))
        .map(|hive| (hive.evidence.path(), hive))
        .collect()
}

/// Whether `kind` is what the manifest says: `other` is any kind that is not audited, and no
/// type at all accepts anything.
fn kind_matches(manifest_type: Option<&str>, kind: HiveKind) -> bool {
    match manifest_type {
        None => true,
        Some("other") => !kind.is_audited(),
        Some(label) => kind.label() == label,
    }
}

/// What is wrong with the discovery of one manifest entry, if anything.
fn check_entry(
    corpus: &Path,
    entry: &Value,
    hives: &HashMap<&Path, &DiscoveredHive>,
) -> Vec<String> {
    let file = entry["file"]
        .as_str()
        .expect("manifest entries name their file");
    let path = corpus.join(file);
    let Some(hive) = hives.get(path.as_path()) else {
        return vec![format!("{file}: not discovered as a hive")];
    };
    let mut problems = Vec::new();
    let manifest_type = entry["hive_type"].as_str();
    if !kind_matches(manifest_type, hive.kind) {
        problems.push(format!(
            "{file}: typed {} but the manifest says {manifest_type:?}",
            hive.kind
        ));
    }
    let folder = path.parent().expect("corpus files sit in folders");
    let expected_logs = entry["logs_next_to"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|name| !name.ends_with(".xz"));
    for log in expected_logs {
        if !hive.logs.contains(&Evidence::File(folder.join(log).into())) {
            problems.push(format!("{file}: log {log} not attached"));
        }
    }
    problems
}

pub fn every_corpus_primary_is_found_typed_and_given_its_logs(corpus: &Path) -> Result<(), Failed> {
    let manifest: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(corpus.join("MANIFEST.json")).expect("corpus manifest"),
    )
    .expect("manifest is JSON");
    let started = Instant::now();
    let collection = discover(&[corpus.to_path_buf()], &DiscoveryOptions::default());
    eprintln!("discovered the corpus in {:?}", started.elapsed());
    let hives = hives_by_path(&collection);
    let primaries: Vec<&Value> = manifest
        .iter()
        .filter(|entry| entry["header"]["file_type"].as_str() == Some("primary"))
        .collect();
    assert!(
        primaries.len() > 100,
        "the manifest lists the corpus primaries"
    );
    let problems: Vec<String> = primaries
        .iter()
        .flat_map(|entry| check_entry(corpus, entry, &hives))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

pub fn a_system_hive_not_named_like_one_is_typed_system(corpus: &Path) -> Result<(), Failed> {
    let path = corpus.join("aiowinreg/tests/testdata/nt/system.reg");
    let collection = discover(std::slice::from_ref(&path), &DiscoveryOptions::default());
    let hives = hives_by_path(&collection);
    let hive = hives.get(path.as_path()).expect("system.reg is a hive");
    assert_eq!(hive.kind, HiveKind::System);
    Ok(())
}

//! `hiveaudit scan` over the whole corpus: every SYSTEM hive read right, every primary listed
//! with its type and dirty state.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use libtest_mimic::Failed;
use serde_json::Value;

use crate::common::{self, Row, Scan};

fn manifest(corpus: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(corpus.join("MANIFEST.json")).expect("MANIFEST.json");
    serde_json::from_str(&text).expect("MANIFEST.json is JSON")
}

/// One scan of the whole corpus, shared by the tests.
fn corpus_scan(corpus: &Path) -> &'static Scan {
    static SCAN: OnceLock<Scan> = OnceLock::new();
    SCAN.get_or_init(|| common::scan(&[corpus], &["--quiet"]))
}

fn by_path(rows: Vec<Row>) -> BTreeMap<String, Row> {
    rows.into_iter()
        .map(|row| (row["path"].clone(), row))
        .collect()
}

fn check(condition: bool, message: impl FnOnce() -> String) -> Result<(), Failed> {
    if condition {
        Ok(())
    } else {
        Err(message().into())
    }
}

/// Every SYSTEM hive yields its computer name, product type and control set, and its absent
/// LmCompatibilityLevel is reported absent with an origin other than `value`.
pub fn scan_reads_every_system_hive(corpus: &Path) -> Result<(), Failed> {
    let scan = corpus_scan(corpus);
    let hives = by_path(scan.csv("hives"));
    let machines: BTreeMap<String, Row> = scan
        .csv("machines")
        .into_iter()
        .map(|row| (row["system_hive"].clone(), row))
        .collect();
    let mut checked = 0;
    for record in manifest(corpus)
        .iter()
        .filter(|r| r["hive_type"] == "SYSTEM")
    {
        let path = corpus
            .join(record["file"].as_str().unwrap())
            .display()
            .to_string();
        check(hives.contains_key(&path), || {
            format!("{path} missing from hives.csv")
        })?;
        let machine = machines
            .get(&path)
            .ok_or_else(|| format!("{path} is not the SYSTEM hive of any machine"))?;
        let facts = &record["facts"];
        let control_set = facts["current_control_set"]
            .as_str()
            .unwrap_or("ControlSet001");
        let expected_name =
            facts[format!("{control_set}\\Control\\ComputerName\\ComputerName")]["ComputerName"]
                .as_str()
                .unwrap();
        let expected_type = facts[format!("{control_set}\\Control\\ProductOptions")]["ProductType"]
            .as_str()
            .unwrap();
        check(machine["computer_name"] == expected_name, || {
            format!(
                "{path}: computer name {:?}, expected {expected_name:?}",
                machine["computer_name"]
            )
        })?;
        check(machine["product_type"] == expected_type, || {
            format!(
                "{path}: product type {:?}, expected {expected_type:?}",
                machine["product_type"]
            )
        })?;
        check(machine["control_set"] == control_set, || {
            format!(
                "{path}: control set {:?}, expected {control_set}",
                machine["control_set"]
            )
        })?;
        check(machine["lm_compatibility_level"].is_empty(), || {
            format!(
                "{path}: LmCompatibilityLevel reported as {:?}",
                machine["lm_compatibility_level"]
            )
        })?;
        check(machine["lm_compatibility_origin"] != "value", || {
            format!("{path}: absent LmCompatibilityLevel has origin 'value'")
        })?;
        checked += 1;
    }
    check(checked >= 5, || {
        format!("only {checked} SYSTEM hives checked")
    })
}

/// Every regf primary appears in hives.csv with the type and dirty state the manifest gives.
pub fn scan_lists_every_primary_with_type_and_state(corpus: &Path) -> Result<(), Failed> {
    let hives = by_path(corpus_scan(corpus).csv("hives"));
    let mut checked = 0;
    for record in manifest(corpus) {
        let header = &record["header"];
        if header["sig"] != "regf" || header["file_type"] != "primary" {
            continue;
        }
        let path = corpus
            .join(record["file"].as_str().unwrap())
            .display()
            .to_string();
        let row = hives
            .get(&path)
            .ok_or_else(|| format!("{path} missing from hives.csv"))?;
        let found = row["hive_type"].as_str();
        match record["hive_type"].as_str() {
            None => {}
            Some("other") => check(!matches!(found, "SYSTEM" | "SOFTWARE" | "NTUSER"), || {
                format!("{path}: typed {found}, manifest says other")
            })?,
            Some(expected) => check(found == expected, || {
                format!("{path}: typed {found}, manifest says {expected}")
            })?,
        }
        let status = row["status"].as_str();
        // The manifest's `dirty` compares sequence numbers only; a wrong checksum is dirty too.
        let dirty = header["dirty"] == true || header["checksum_ok"] == false;
        if dirty {
            check(status != "clean", || {
                format!("{path}: dirty hive reported clean")
            })?;
        } else {
            check(matches!(status, "clean" | "error"), || {
                format!("{path}: clean hive reported {status}")
            })?;
        }
        if record["hive_type"].as_str().is_some_and(|t| t != "other") && !dirty {
            check(status == "clean", || {
                format!("{path}: readable hive reported {status}: {}", row["detail"])
            })?;
        }
        checked += 1;
    }
    check(checked >= 100, || {
        format!("only {checked} primaries checked")
    })
}

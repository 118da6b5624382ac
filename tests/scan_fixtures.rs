//! End-to-end scans of the generated fixtures under `testdata/`, checked against
//! `testdata/expected.json` (written with the fixtures' `.reg` sources, see testdata/README.md).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use common::{Row, testdata};

/// The reports of one fixture directory.
struct Reports {
    machines: Vec<Row>,
    hives: Vec<Row>,
    settings: Vec<Row>,
    findings: Vec<Row>,
}

fn expected() -> &'static Value {
    static EXPECTED: OnceLock<Value> = OnceLock::new();
    EXPECTED.get_or_init(|| {
        let text = std::fs::read_to_string(testdata().join("expected.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    })
}

/// Scans `fixture` (relative to testdata/) once and keeps its reports.
fn reports(fixture: &str) -> &'static Reports {
    static CACHE: OnceLock<Mutex<BTreeMap<String, &'static Reports>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache.entry(fixture.to_string()).or_insert_with(|| {
        let scan = common::scan(&[&testdata().join(fixture)], &["--quiet"]);
        assert!(
            matches!(scan.code, 0 | 2),
            "scan of {fixture} exited {}: {}",
            scan.code,
            scan.stderr
        );
        Box::leak(Box::new(Reports {
            machines: scan.csv("machines"),
            hives: scan.csv("hives"),
            settings: scan.csv("settings"),
            findings: scan.csv("findings"),
        }))
    })
}

fn path_in_testdata(relative: &str) -> String {
    testdata().join(relative).display().to_string()
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn list(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| items.iter().map(text).collect())
        .unwrap_or_default()
}

/// Checks the findings of `machine` and `user` (empty for machine findings) against the
/// expected and forbidden rules of `expected`.
fn rule_problems(
    label: &str,
    reports: &Reports,
    machine: &str,
    user: &str,
    expected: &Value,
) -> Vec<String> {
    let found: Vec<String> = reports
        .findings
        .iter()
        .filter(|f| f["machine"] == machine && f["user"] == user)
        .map(|f| f["rule_id"].clone())
        .collect();
    check_rules(
        label,
        &found,
        &expected["rules_expected"],
        &expected["rules_forbidden"],
    )
}

/// Checks that `found` holds every rule of `expected` and none of `forbidden`.
fn check_rules(label: &str, found: &[String], expected: &Value, forbidden: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in list(expected) {
        if !found.contains(&rule) {
            problems.push(format!("{label}: {rule} expected, found {found:?}"));
        }
    }
    for rule in list(forbidden) {
        if found.contains(&rule) {
            problems.push(format!("{label}: {rule} must not fire"));
        }
    }
    problems
}

fn machine_problems(expected: &Value) -> Vec<String> {
    let fixture = expected["fixture"].as_str().unwrap();
    let reports = reports(fixture);
    let label = format!("{fixture}/{}", text(&expected["machine"]));
    let system = expected["system_hive"].as_str().map(path_in_testdata);
    let row = reports
        .machines
        .iter()
        .find(|row| Some(&row["system_hive"]) == system.as_ref());
    let Some(row) = row else {
        return match system {
            // A machine whose SYSTEM hive is unreadable has no machines.csv facts to check.
            None => Vec::new(),
            Some(system) => vec![format!("{label}: no machine with SYSTEM hive {system}")],
        };
    };
    if expected["computer_name"].is_null() {
        // An unreadable SYSTEM hive: the machine is listed but has no facts to compare.
        return check_no_facts(&label, row);
    }
    let mut problems = Vec::new();
    let control_set = format!(
        "ControlSet{:03}",
        expected["control_set"].as_u64().unwrap_or(1)
    );
    let role = match text(&expected["role"]).as_str() {
        "dc" => "domain controller".to_string(),
        other => other.to_string(),
    };
    let fields = [
        ("computer_name", text(&expected["computer_name"])),
        ("control_set", control_set),
        ("product_type", text(&expected["product_type"])),
        ("role", role),
        ("domain", text(&expected["domain"])),
        ("lm_compatibility_level", text(&expected["lm_raw"])),
        (
            "lm_compatibility_effective",
            text(&expected["lm_effective"]),
        ),
        ("lm_compatibility_origin", text(&expected["lm_origin"])),
    ];
    for (column, want) in fields {
        if row[column] != want {
            problems.push(format!(
                "{label}: {column} is {:?}, expected {want:?}",
                row[column]
            ));
        }
    }
    problems.extend(rule_problems(
        &label,
        reports,
        &row["machine"],
        "",
        expected,
    ));
    problems
}

fn check_no_facts(label: &str, row: &Row) -> Vec<String> {
    ["computer_name", "control_set", "lm_compatibility_level"]
        .iter()
        .filter(|column| !row[**column].is_empty())
        .map(|column| {
            format!(
                "{label}: {column} is {:?} from an unreadable hive",
                row[*column]
            )
        })
        .collect()
}

fn user_problems(expected: &Value) -> Vec<String> {
    let fixture = expected["fixture"].as_str().unwrap();
    let reports = reports(fixture);
    let hive = path_in_testdata(expected["hive"].as_str().unwrap());
    let label = format!("{hive} ({})", text(&expected["user"]));
    let Some(row) = reports.hives.iter().find(|row| row["path"] == hive) else {
        return vec![format!("{label}: missing from hives.csv")];
    };
    let mut problems = Vec::new();
    if row["user"] != text(&expected["user"]) {
        problems.push(format!("{label}: user is {:?}", row["user"]));
    }
    if expected["status"] == "unplaced" && !row["machine"].is_empty() {
        problems.push(format!("{label}: placed in machine {:?}", row["machine"]));
    }
    let settings: Vec<&Row> = reports
        .settings
        .iter()
        .filter(|s| s["hive_path"] == hive)
        .collect();
    if let Some(sid) = expected["sid"].as_str()
        && settings.iter().any(|s| s["sid"] != sid)
    {
        problems.push(format!("{label}: settings rows do not all carry SID {sid}"));
    }
    for (name, want) in expected["settings"].as_object().into_iter().flatten() {
        problems.extend(setting_problems(&label, name, want, &settings));
    }
    problems.extend(rule_problems(
        &label,
        reports,
        &row["machine"],
        &row["user"],
        expected,
    ));
    problems
}

/// One expected setting, keyed `<ValueName as stored>/<Office version>`.
fn setting_problems(label: &str, name: &str, want: &Value, settings: &[&Row]) -> Vec<String> {
    let (value_name, _version) = name.split_once('/').unwrap();
    let key = want["key"].as_str().unwrap();
    let row = settings.iter().find(|s| {
        s["value_name"].eq_ignore_ascii_case(value_name) && s["key_path"].eq_ignore_ascii_case(key)
    });
    let Some(row) = row else {
        return vec![format!("{label}: no settings row for {key}\\{value_name}")];
    };
    let mut problems = Vec::new();
    if row["present"] != "true" || row["value_type"] != want["type"].as_str().unwrap() {
        problems.push(format!(
            "{label}: {name} present={} type={}, expected {}",
            row["present"], row["value_type"], want["type"]
        ));
    }
    if want["valid"] == true && row["value_data"] != text(&want["value"]) {
        problems.push(format!(
            "{label}: {name} = {:?}, expected {}",
            row["value_data"], want["value"]
        ));
    }
    if want["valid"] == false && !row["note"].starts_with("malformed") {
        problems.push(format!(
            "{label}: {name} should be malformed, note is {:?}",
            row["note"]
        ));
    }
    problems
}

fn assert_no_problems(problems: Vec<String>) {
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_expected_machine_is_reported_as_described() {
    let machines = expected()["machines"].as_array().unwrap();
    assert!(machines.len() >= 20);
    assert_no_problems(machines.iter().flat_map(machine_problems).collect());
}

#[test]
fn every_expected_user_hive_is_reported_as_described() {
    let users = expected()["users"].as_array().unwrap();
    assert!(users.len() >= 20);
    assert_no_problems(users.iter().flat_map(user_problems).collect());
}

#[test]
fn broken_files_are_listed_as_errors_and_the_scan_goes_on() {
    let reports = reports("fixtures/broken");
    let mut problems = Vec::new();
    for broken in expected()["broken_files"].as_array().unwrap() {
        let path = path_in_testdata(broken["path"].as_str().unwrap());
        let Some(row) = reports.hives.iter().find(|row| row["path"] == path) else {
            problems.push(format!("{path}: missing from hives.csv"));
            continue;
        };
        let status = row["status"].as_str();
        let acceptable = match broken["condition"].as_str().unwrap() {
            "bad-checksum" => status.starts_with("dirty"),
            _ => status == "error",
        };
        if !acceptable || row["machine"].is_empty() {
            problems.push(format!(
                "{path}: status {status} in machine {:?}",
                row["machine"]
            ));
        }
    }
    assert_no_problems(problems);
}

#[test]
fn unreadable_inputs_give_exit_code_2() {
    let scan = common::scan(&[&testdata().join("fixtures/broken")], &["--quiet"]);
    assert_eq!(scan.code, 2, "{}", scan.stderr);
}

#[test]
fn the_sample_fleet_scans_cleanly_with_a_critical_cross_machine_finding() {
    let fleet = testdata().join("sample-fleet");
    let scan = common::scan(&[&fleet], &["--quiet"]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    let scan = common::scan(&[&fleet], &["--quiet", "--fail-on", "critical"]);
    assert_eq!(scan.code, 3, "{}", scan.stderr);
    let findings = scan.csv("findings");
    let last = findings.last().expect("findings");
    assert_eq!(last["rule_id"], "XM-01", "fleet findings come last");
    assert_eq!(last["machine"], "WKS-BOB02");
    assert!(
        last["evidence"].contains("DC-CORE04"),
        "{}",
        last["evidence"]
    );
    let accounts = scan.csv("accounts");
    let bob = accounts
        .iter()
        .find(|row| row["account"] == "bob@corp.example")
        .expect("bob's Exchange account");
    assert_eq!(bob["roh_auth_scheme"], "2");
    assert_eq!(bob["is_default"], "true");
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let fixtures: PathBuf = testdata().join("fixtures");
    let one = common::scan(&[&fixtures], &["--quiet", "--jobs", "1"]);
    let many = common::scan(&[&fixtures], &["--quiet", "--jobs", "4"]);
    for name in ["hives", "machines", "settings", "findings", "accounts"] {
        let file = |dir: &Path| std::fs::read(dir.join(format!("{name}.csv"))).unwrap();
        assert!(
            file(&one.dir) == file(&many.dir),
            "{name}.csv differs between 1 and 4 jobs"
        );
    }
}

#[test]
fn jsonl_holds_the_same_records_as_csv() {
    let fleet = testdata().join("sample-fleet");
    let csv = common::scan(&[&fleet], &["--quiet"]);
    let jsonl = common::scan(&[&fleet], &["--quiet", "--format", "jsonl"]);
    for name in ["hives", "machines", "settings", "findings", "accounts"] {
        let rows = csv.csv(name);
        let lines = std::fs::read_to_string(jsonl.dir.join(format!("{name}.jsonl"))).unwrap();
        let records: Vec<Value> = lines
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rows.len(), records.len(), "{name}: row counts differ");
        for (row, record) in rows.iter().zip(&records) {
            for (column, cell) in row {
                assert_eq!(&text(&record[column.as_str()]), cell, "{name}.{column}");
            }
        }
    }
}

#[test]
fn an_empty_regback_copy_is_listed_as_empty_not_as_an_error() {
    let scan = common::scan(&[&testdata().join("fixtures/layouts/kape")], &["--quiet"]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    let hives = scan.csv("hives");
    let regback = hives
        .iter()
        .find(|row| row["path"].ends_with("RegBack/SYSTEM"))
        .expect("the RegBack copy is listed");
    assert_eq!(regback["status"], "empty");
    assert_eq!(regback["machine"], "KAPE-L1");
}

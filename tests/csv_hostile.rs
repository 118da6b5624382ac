//! Names and values that attack CSV readers and spreadsheets, end to end: a machine folder
//! and a user folder named like formulas and holding a newline, a computer name with a NUL,
//! and registry strings with formulas, newlines, NULs and lone UTF-16 surrogates. Every report
//! must parse back with the `csv` crate and with Python's `csv` module (when `python3` is
//! there) to the same number of columns on every row, no cell may hold a control character,
//! and no cell may start a formula.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use hiveaudit::fuzzing::build::{TestKey, build_hive};
use hiveaudit::report::REPORT_NAMES;

const FORMULA: &str = "=cmd|' /C calc'!A0";
/// A user folder name: a formula, a newline and a tab (no slash, it must stay one folder).
const USER_FOLDER: &str = "=cmd|'calc'!A0\n\t-x";

fn hostile_collection(root: &Path) {
    let machine = root.join("@SUM(1)\nHOST");
    let config = machine.join("C/Windows/System32/config");
    fs::create_dir_all(&config).unwrap();
    let system = TestKey::new("ROOT")
        .dword(r"Select\Current", 1)
        .sz(
            r"ControlSet001\Control\ComputerName\ComputerName\ComputerName",
            "+HOST\0\r\n7",
        )
        .sz(r"ControlSet001\Services\Tcpip\Parameters\Domain", FORMULA);
    fs::write(config.join("SYSTEM"), build_hive("SYSTEM", &system)).unwrap();
    let user = machine.join("C/Users").join(USER_FOLDER);
    fs::create_dir_all(&user).unwrap();
    let outlook = r"Software\Microsoft\Office\16.0\Outlook";
    let lone_surrogates = [0x3D, 0xD800, 0x41, 0xDC00, 0x0A, 0x00, 0x42, 0x00];
    let ntuser = TestKey::new("ROOT")
        .key(&format!(r"{outlook}\Profiles\@evil"))
        .sz_units(&format!(r"{outlook}\DefaultProfile"), &lone_surrogates)
        .sz(
            r"Software\Policies\Microsoft\Office\16.0\Outlook\Security\AuthenticationService",
            "-2+3\0",
        )
        .key("Control Panel");
    fs::write(user.join("NTUSER.DAT"), build_hive("NTUSER.DAT", &ntuser)).unwrap();
}

fn check_cells(report: &str, rows: &[csv::StringRecord], columns: usize) {
    for row in rows {
        assert_eq!(row.len(), columns, "{report}: {row:?}");
        for cell in row {
            assert!(
                !cell.chars().any(|c| c < ' ' || c == '\u{7f}'),
                "{report}: control character in {cell:?}"
            );
            let numeric = cell.parse::<f64>().is_ok();
            assert!(
                numeric || !cell.starts_with(['=', '+', '-', '@']),
                "{report}: formula cell {cell:?}"
            );
        }
    }
}

/// Column counts per row as Python's csv module reads `path`, or `None` without python3.
fn python_column_counts(path: &Path) -> Option<Vec<usize>> {
    let script = "import csv,sys\n\
                  with open(sys.argv[1], newline='', encoding='utf-8') as f:\n    \
                  print(' '.join(str(len(r)) for r in csv.reader(f)))";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .ok()?;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    Some(
        text.split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect(),
    )
}

#[test]
fn hostile_names_and_values_stay_inside_their_cells() {
    let tmp = tempfile::tempdir().unwrap();
    let evidence = tmp.path().join("evidence");
    hostile_collection(&evidence);
    let scan = common::scan(&[&evidence], &["--quiet"]);
    assert!(matches!(scan.code, 0 | 3), "{}", scan.stderr);

    let settings = scan.csv("settings");
    let profile = settings
        .iter()
        .find(|row| row["value_name"] == "DefaultProfile" && !row["value_data"].is_empty())
        .unwrap_or_else(|| panic!("no DefaultProfile row: {settings:#?}"));
    assert!(profile["value_data"].starts_with("'="), "{profile:?}");
    assert!(profile["value_data"].contains('\u{fffd}'), "{profile:?}");
    assert!(profile["user"].starts_with("'=cmd|"), "{profile:?}");
    assert!(profile["user"].contains("\\x0a\\x09-x"), "{profile:?}");

    let mut python_checked = false;
    for name in REPORT_NAMES {
        let path = scan.dir.join(format!("{name}.csv"));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let columns = reader.headers().unwrap().len();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        check_cells(name, &rows, columns);
        if let Some(counts) = python_column_counts(&path) {
            assert_eq!(counts.len(), rows.len() + 1, "{name}: python row count");
            assert!(counts.iter().all(|&n| n == columns), "{name}: {counts:?}");
            python_checked = true;
        }
    }
    if !python_checked {
        eprintln!("python3 not available: the Python csv check was skipped");
    }
}

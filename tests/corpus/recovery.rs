//! Recovery against real hives and logs written by Windows: the
//! recovered key/value trees must equal Windows' own recoveries where the corpus has them, and
//! the reference (yarp) recoveries elsewhere; damaged logs must be refused.

use std::path::Path;

use hiveaudit::recovery::{LogFormat, LogInput, Plan, Recovery, recover};
use libtest_mimic::Failed;

use crate::tree::{assert_same_tree, read, tree};

/// Reads `hive` and the logs named `logs` (relative to the hive's directory) and recovers.
fn recover_sample(root: &Path, hive: &str, logs: &[&str]) -> (Vec<u8>, Vec<(String, Vec<u8>)>) {
    let primary = read(root, hive);
    let dir = Path::new(hive).parent().unwrap();
    let logs = logs
        .iter()
        .map(|name| {
            (
                name.to_string(),
                read(root, dir.join(name).to_str().unwrap()),
            )
        })
        .collect();
    (primary, logs)
}

fn inputs(logs: &[(String, Vec<u8>)]) -> Vec<LogInput<'_>> {
    logs.iter()
        .map(|(name, bytes)| LogInput { name, bytes })
        .collect()
}

/// Recovers `hive` with `logs`, checks nt-hive's strict parser accepts the result and that its
/// tree equals `expected`'s; returns the plan's summary.
fn check_recovered(root: &Path, hive: &str, logs: &[&str], expected: &str) -> PlanSummary {
    let (primary, logs) = recover_sample(root, hive, logs);
    let inputs = inputs(&logs);
    let Recovery::Recovered(plan) = recover(&primary, &inputs) else {
        panic!("{hive}: not recovered: {}", recover(&primary, &inputs));
    };
    let bytes = plan.apply(&primary);
    assert!(
        nt_hive::Hive::new(bytes.as_slice()).is_ok(),
        "{hive}: nt-hive refuses the result"
    );
    let reference = tree(&read(root, expected));
    assert!(
        reference.len() > 1,
        "{expected}: the reference tree is empty"
    );
    assert_ne!(
        tree(&primary),
        reference,
        "{hive}: the logs change nothing visible"
    );
    assert_same_tree(hive, &tree(&bytes), &reference);
    PlanSummary::of(&plan)
}

#[derive(Debug, PartialEq, Eq)]
struct PlanSummary {
    format: LogFormat,
    logs: Vec<String>,
    entries: usize,
    sequences: (u32, u32),
    stopped: bool,
}

impl PlanSummary {
    fn of(plan: &Plan<'_>) -> Self {
        PlanSummary {
            format: plan.format,
            logs: plan.logs_used.clone(),
            entries: plan.entries_applied,
            sequences: plan.sequences,
            stopped: plan.stopped.is_some(),
        }
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const YARP: &str = "yarp/hives_for_tests";

pub fn new_dirty_hive_1_equals_windows_10_recovery(root: &Path) -> Result<(), Failed> {
    let logs = ["NewDirtyHive.LOG1", "NewDirtyHive.LOG2"];
    let hive = format!("{YARP}/NewDirtyHive1/NewDirtyHive");
    let windows = format!("{YARP}/NewDirtyHive1/RecoveredHive_Windows10");
    let summary = check_recovered(root, &hive, &logs, &windows);
    assert_eq!(
        summary,
        PlanSummary {
            format: LogFormat::New,
            logs: names(&logs),
            entries: 4,
            sequences: (2, 5),
            stopped: false
        }
    );
    check_recovered(root, &hive, &logs, "reference/NewDirtyHive1.recovered");
    Ok(())
}

pub fn new_dirty_hive_1_ignores_log_name_order(root: &Path) -> Result<(), Failed> {
    let hive = format!("{YARP}/NewDirtyHive1/NewDirtyHive");
    let windows = format!("{YARP}/NewDirtyHive1/RecoveredHive_Windows10");
    let summary = check_recovered(
        root,
        &hive,
        &["NewDirtyHive.LOG2", "NewDirtyHive.LOG1"],
        &windows,
    );
    assert_eq!(
        summary.logs,
        names(&["NewDirtyHive.LOG1", "NewDirtyHive.LOG2"])
    );
    Ok(())
}

pub fn new_dirty_hive_2_skips_the_stale_log(root: &Path) -> Result<(), Failed> {
    let hive = format!("{YARP}/NewDirtyHive2/NewDirtyHive");
    let logs = ["NewDirtyHive.LOG1", "NewDirtyHive.LOG2"];
    let windows = format!("{YARP}/NewDirtyHive1/RecoveredHive_Windows10");
    let summary = check_recovered(root, &hive, &logs, &windows);
    assert_eq!(
        summary,
        PlanSummary {
            format: LogFormat::New,
            logs: names(&["NewDirtyHive.LOG2"]),
            entries: 3,
            sequences: (3, 5),
            stopped: false
        }
    );
    check_recovered(root, &hive, &logs, "reference/NewDirtyHive2.recovered");
    Ok(())
}

pub fn old_dirty_hive_equals_windows_7_recovery(root: &Path) -> Result<(), Failed> {
    let hive = format!("{YARP}/OldDirtyHive/OldDirtyHive");
    let logs = ["OldDirtyHive.LOG1", "OldDirtyHive.LOG2"];
    let windows = format!("{YARP}/OldDirtyHive/RecoveredHive_Windows7");
    let summary = check_recovered(root, &hive, &logs, &windows);
    assert_eq!(
        summary,
        PlanSummary {
            format: LogFormat::Old,
            logs: names(&["OldDirtyHive.LOG1"]),
            entries: 64,
            sequences: (5, 5),
            stopped: false
        }
    );
    check_recovered(root, &hive, &logs, "reference/OldDirtyHive.recovered");
    Ok(())
}

pub fn bad_base_block_hive_takes_the_base_block_from_the_log(root: &Path) -> Result<(), Failed> {
    let hive = format!("{YARP}/BadBaseBlockHive/BadBaseBlockHive");
    let logs = ["BadBaseBlockHive.LOG1", "BadBaseBlockHive.LOG2"];
    let summary = check_recovered(root, &hive, &logs, "reference/BadBaseBlockHive.recovered");
    assert_eq!((summary.format, summary.entries), (LogFormat::Old, 64));
    Ok(())
}

pub fn regipy_system_b_replays_both_logs(root: &Path) -> Result<(), Failed> {
    let hive = "regipy/regipy_tests/data/SYSTEM_B";
    let logs = ["SYSTEM_B.LOG1", "SYSTEM_B.LOG2"];
    let summary = check_recovered(root, hive, &logs, "reference/SYSTEM_B.recovered");
    assert_eq!(
        summary,
        PlanSummary {
            format: LogFormat::New,
            logs: names(&logs),
            entries: 24,
            sequences: (2107, 2130),
            stopped: false
        }
    );
    Ok(())
}

pub fn regipy_transactions_ntuser_with_lower_case_logs(root: &Path) -> Result<(), Failed> {
    let hive = "regipy/regipy_tests/data/transactions_NTUSER.DAT";
    let logs = [
        "transactions_ntuser.dat.log1",
        "transactions_ntuser.dat.log2",
    ];
    let summary = check_recovered(root, hive, &logs, "reference/transactions_NTUSER.recovered");
    assert_eq!(
        summary,
        PlanSummary {
            format: LogFormat::New,
            logs: names(&logs[..1]),
            entries: 23,
            sequences: (566, 588),
            stopped: false
        }
    );
    Ok(())
}

pub fn win10_amcache_samples_equal_the_reference(root: &Path) -> Result<(), Failed> {
    let logs = ["Amcache.hve.LOG1", "Amcache.hve.LOG2"];
    for (machine, entries, sequences) in
        [("APTSimulatorVM", 4, (36, 39)), ("RathbunVM", 6, (76, 81))]
    {
        let hive = format!("DFIRArtifactMuseum/Windows/Amcache/Win10/{machine}/Amcache.hve");
        let reference = format!("reference/Amcache-Win10-{machine}.recovered");
        let summary = check_recovered(root, &hive, &logs, &reference);
        assert_eq!(
            (summary.entries, summary.sequences),
            (entries, sequences),
            "{machine}"
        );
        assert_eq!(summary.logs, names(&logs), "{machine}");
    }
    Ok(())
}

pub fn clean_win2012r2_amcache_ignores_its_stale_logs(root: &Path) -> Result<(), Failed> {
    let hive = "DFIRArtifactMuseum/Windows/Amcache/Win2012R2/StolenSzechuan/Amcache.hve";
    let (primary, logs) = recover_sample(root, hive, &["Amcache.hve.LOG1", "Amcache.hve.LOG2"]);
    assert_eq!(recover(&primary, &inputs(&logs)), Recovery::Clean);
    Ok(())
}

pub fn bad_logs_are_refused(root: &Path) -> Result<(), Failed> {
    let cases = [
        (
            "BadLogHive1",
            "BadLogHive.LOG1: base block checksum mismatch",
        ),
        ("BadLogHive2", "BadLogHive.LOG1: no DIRT signature"),
        (
            "BadLogHive3",
            "BadLogHive.LOG2: base block checksum mismatch",
        ),
    ];
    for (sample, reason) in cases {
        let hive = format!("{YARP}/{sample}/BadLogHive");
        let (primary, logs) = recover_sample(root, &hive, &["BadLogHive.LOG1", "BadLogHive.LOG2"]);
        match recover(&primary, &inputs(&logs)) {
            Recovery::LogsInvalid(why) => assert!(why.contains(reason), "{sample}: {why}"),
            other => panic!("{sample}: expected a refusal, got {other}"),
        }
    }
    Ok(())
}

pub fn truncated_dirty_hive_is_refused(root: &Path) -> Result<(), Failed> {
    let primary = read(root, &format!("{YARP}/TruncatedDirtyHive"));
    assert_eq!(recover(&primary, &[]), Recovery::DirtyNoLogs);
    // The old log kept beside it describes a 476 KiB hive; applying it to the 12 KiB remnant
    // would invent a hive from zeros, so the growth bound refuses it.
    let log = read(root, &format!("{YARP}/OldLogWithRemnantData"));
    let inputs = [LogInput {
        name: "TruncatedDirtyHive.LOG1",
        bytes: &log,
    }];
    assert!(matches!(
        recover(&primary, &inputs),
        Recovery::LogsInvalid(_)
    ));
    Ok(())
}

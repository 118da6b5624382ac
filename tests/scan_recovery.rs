//! Scan with transaction logs: a dirty NTUSER.DAT whose new-format log sets
//! PromptForCredentials to 1 is recovered, the rule fires on the recovered value, and
//! settings.csv shows the value the primary file alone holds.

mod common;

use std::path::Path;

use hiveaudit::hive::base_block::{BASE_BLOCK_SIZE, HEADER_SIZE, seal, write_u32};
use hiveaudit::recovery::marvin::{LOG_ENTRY_SEED, marvin32};

const PAGE: usize = 4096;
/// A clean fixture hive with PromptForCredentials = 0 under 11.0 to 15.0.
const FIXTURE: &str = "fixtures/rules/R-OL01-NEG/C/Users/zero/NTUSER.DAT";

/// Offset of the first `PromptForCredentials` value record in `hive`.
fn value_record(hive: &[u8]) -> usize {
    let name = b"PromptForCredentials";
    let at = hive
        .windows(name.len())
        .position(|w| w == name)
        .expect("the fixture has the value");
    let vk = at - 20;
    assert_eq!(&hive[vk..vk + 2], b"vk");
    assert_eq!(
        u32::from_le_bytes(hive[vk + 4..vk + 8].try_into().unwrap()),
        0x8000_0004,
        "a DWORD stored inside the record"
    );
    vk
}

/// One HvLE entry carrying `page` at `offset` (relative to the hive bins).
fn log_entry(sequence: u32, hive_bins: u32, offset: u32, page: &[u8]) -> Vec<u8> {
    let mut entry = vec![0u8; 40];
    entry[..4].copy_from_slice(b"HvLE");
    write_u32(&mut entry, 12, sequence);
    write_u32(&mut entry, 16, hive_bins);
    write_u32(&mut entry, 20, 1);
    entry.extend_from_slice(&offset.to_le_bytes());
    entry.extend_from_slice(&(page.len() as u32).to_le_bytes());
    entry.extend_from_slice(page);
    entry.resize(entry.len().next_multiple_of(HEADER_SIZE), 0);
    let size = entry.len() as u32;
    write_u32(&mut entry, 4, size);
    let hash_1 = marvin32(LOG_ENTRY_SEED, &entry[40..]);
    entry[24..32].copy_from_slice(&hash_1.to_le_bytes());
    let hash_2 = marvin32(LOG_ENTRY_SEED, &entry[..32]);
    entry[32..40].copy_from_slice(&hash_2.to_le_bytes());
    entry
}

/// Writes a dirty primary (value 0) and a `.LOG1` that sets the value to 1 into `user_dir`.
fn write_dirty_hive_with_log(user_dir: &Path) {
    let clean = std::fs::read(common::testdata().join(FIXTURE)).unwrap();
    let vk = value_record(&clean);
    let sequence = u32::from_le_bytes(clean[8..12].try_into().unwrap());
    let hive_bins = u32::from_le_bytes(clean[40..44].try_into().unwrap());

    let mut primary = clean.clone();
    write_u32(&mut primary, 4, sequence + 1);
    seal(&mut primary);

    let mut changed = clean;
    write_u32(&mut changed, vk + 8, 1);
    let page_start = BASE_BLOCK_SIZE + (vk - BASE_BLOCK_SIZE) / PAGE * PAGE;
    let page = &changed[page_start..page_start + PAGE];
    let mut log = changed[..HEADER_SIZE].to_vec();
    write_u32(&mut log, 4, sequence + 1);
    write_u32(&mut log, 8, sequence + 1);
    write_u32(&mut log, 28, 6);
    seal(&mut log);
    let offset = (page_start - BASE_BLOCK_SIZE) as u32;
    log.extend(log_entry(sequence + 1, hive_bins, offset, page));

    std::fs::create_dir_all(user_dir).unwrap();
    std::fs::write(user_dir.join("NTUSER.DAT"), primary).unwrap();
    std::fs::write(user_dir.join("ntuser.dat.LOG1"), log).unwrap();
    std::fs::write(user_dir.join("ntuser.dat.LOG2"), b"").unwrap();
}

#[test]
fn values_changed_by_the_logs_are_recovered_and_marked() {
    let evidence = tempfile::tempdir().unwrap();
    let user_dir = evidence.path().join("M1/C/Users/zed");
    write_dirty_hive_with_log(&user_dir);

    let scan = common::scan(&[evidence.path()], &["--quiet"]);
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    let hive = scan
        .csv("hives")
        .into_iter()
        .find(|row| row["path"].ends_with("NTUSER.DAT"))
        .unwrap();
    assert_eq!(hive["status"], "recovered", "{}", hive["detail"]);
    assert!(
        hive["detail"].contains("1 log entries applied"),
        "{}",
        hive["detail"]
    );

    let changed: Vec<_> = scan
        .csv("settings")
        .into_iter()
        .filter(|row| row["changed_by_logs"] == "true")
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["setting"], "Outlook.PromptForCredentials");
    assert_eq!(changed[0]["value_data"], "1");
    assert_eq!(changed[0]["value_before_logs"], "0");

    let findings = scan.csv("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["rule_id"] == "OL-01" && f["user"] == "zed")
    );
    assert!(!findings.iter().any(|f| f["rule_id"] == "DQ-01"));
}

#[test]
fn without_recovery_the_stale_value_is_read_and_flagged() {
    let evidence = tempfile::tempdir().unwrap();
    write_dirty_hive_with_log(&evidence.path().join("M1/C/Users/zed"));

    let scan = common::scan(&[evidence.path()], &["--quiet", "--no-recover"]);
    let hive = scan
        .csv("hives")
        .into_iter()
        .find(|row| row["path"].ends_with("NTUSER.DAT"))
        .unwrap();
    assert_eq!(hive["status"], "dirty");
    let findings = scan.csv("findings");
    assert!(!findings.iter().any(|f| f["rule_id"] == "OL-01"));
    assert!(
        findings
            .iter()
            .any(|f| f["rule_id"] == "DQ-01" && f["user"] == "zed")
    );
    assert!(
        scan.csv("settings")
            .iter()
            .all(|row| row["changed_by_logs"] == "false")
    );
}

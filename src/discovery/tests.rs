//! Layout tests over temporary trees of synthetic hives.
//!
//! Each hive is a bare base block (4,096 bytes: `regf`, sequence numbers, file type, checksum)
//! whose embedded name says what it is, so kind detection works without real hive content.
//! A collection is rendered as one line per hive or file, paths relative to the tree, so that
//! each test states the whole expected outcome.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;
use crate::hive::base_block::{BASE_BLOCK_SIZE, CHECKSUM_OFFSET, checksum};

const PRIMARY: u32 = 0;
const NEW_LOG: u32 = 6;

/// A base block with the given file type and embedded name.
fn base_block(file_type: u32, embedded_name: &str) -> Vec<u8> {
    let mut bytes = vec![0u8; BASE_BLOCK_SIZE];
    bytes[0..4].copy_from_slice(b"regf");
    for (offset, value) in [
        (4, 1),
        (8, 1),
        (20, 1),
        (24, 5),
        (28, file_type),
        (36, 0x20),
    ] {
        bytes[offset..offset + 4].copy_from_slice(&u32::to_le_bytes(value));
    }
    for (at, unit) in embedded_name.encode_utf16().take(31).enumerate() {
        bytes[48 + 2 * at..50 + 2 * at].copy_from_slice(&unit.to_le_bytes());
    }
    let sum = checksum(&bytes);
    bytes[CHECKSUM_OFFSET..CHECKSUM_OFFSET + 4].copy_from_slice(&sum.to_le_bytes());
    bytes
}

/// A temporary tree to build collections in.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Self {
        Tree {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn file(&self, relative: &str, bytes: &[u8]) -> &Self {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    fn hive(&self, relative: &str, embedded_name: &str) -> &Self {
        self.file(relative, &base_block(PRIMARY, embedded_name))
    }

    fn log(&self, relative: &str, embedded_name: &str) -> &Self {
        self.file(relative, &base_block(NEW_LOG, embedded_name))
    }

    fn discover(&self, inputs: &[&str], exclude: &[&str]) -> Vec<String> {
        let options = DiscoveryOptions {
            exclude: exclude.iter().map(|e| self.path(e)).collect(),
            ..DiscoveryOptions::default()
        };
        let inputs: Vec<PathBuf> = inputs.iter().map(|i| self.path(i)).collect();
        render(&discover(&inputs, &options), self.dir.path())
    }
}

/// One line per hive and file: machines, then unplaced hives, then other files.
fn render(collection: &Collection, base: &Path) -> Vec<String> {
    let rel = |path: &Path| {
        path.strip_prefix(base)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let hive = |hive: &DiscoveredHive| {
        let logs: Vec<String> = hive.logs.iter().map(Evidence::file_name).collect();
        let mut line = format!("{} {}", hive.kind, rel(hive.evidence.path()));
        if !logs.is_empty() {
            line += &format!(" logs={}", logs.join(","));
        }
        if hive.header.is_none() {
            line += " no-header";
        }
        line
    };
    let user = |user: &UserHive| {
        let name = user.user.as_deref().unwrap_or("-");
        format!("{name}({:?}) {}", user.user_source, hive(&user.hive))
    };
    let mut lines = Vec::new();
    for machine in &collection.machines {
        let id = &machine.id;
        lines.extend(
            machine
                .system
                .iter()
                .map(|h| format!("{id}: system {}", hive(h))),
        );
        lines.extend(
            machine
                .software
                .iter()
                .map(|h| format!("{id}: software {}", hive(h))),
        );
        lines.extend(
            machine
                .users
                .iter()
                .map(|u| format!("{id}: user {}", user(u))),
        );
        lines.extend(
            machine
                .others
                .iter()
                .map(|h| format!("{id}: other {}", hive(h))),
        );
    }
    lines.extend(
        collection
            .unplaced
            .iter()
            .map(|u| format!("unplaced {}", user(u))),
    );
    for file in &collection.other_files {
        let status = match &file.status {
            OtherStatus::Log { hive } => format!(
                "log of {}",
                hive.as_ref().map_or("-".to_string(), |h| rel(h.path()))
            ),
            OtherStatus::NotHive => "not a hive".to_string(),
            OtherStatus::Skipped(why) => format!("skipped: {why}"),
            OtherStatus::Unreadable(why) => format!("unreadable: {why}"),
        };
        lines.push(format!("file {} {status}", rel(file.evidence.path())));
    }
    lines
}

fn assert_lines(actual: Vec<String>, expected: &[&str]) {
    assert_eq!(actual, expected, "\nactual:\n{}\n", actual.join("\n"));
}

const SYSTEM: &str = "SYSTEM";
const SOFTWARE: &str = "emRoot\\System32\\Config\\SOFTWARE";
const SAM: &str = "\\SystemRoot\\System32\\Config\\SAM";
const NTUSER: &str = "ntuser.dat";
const USRCLASS: &str = "\\Microsoft\\Windows\\UsrClass.dat";

fn ntuser_of(user: &str) -> String {
    format!("\\??\\C:\\Users\\{user}\\ntuser.dat")
}

#[test]
fn kape_tree_with_two_users_and_lower_case_logs() {
    let tree = Tree::new();
    let config = "case/HOST1/C/Windows/System32/config";
    tree.hive(&format!("{config}/SYSTEM"), SYSTEM)
        .log(&format!("{config}/SYSTEM.LOG1"), SYSTEM)
        .file(&format!("{config}/system.log2"), b"")
        .hive(&format!("{config}/SOFTWARE"), SOFTWARE)
        .hive(&format!("{config}/SAM"), SAM)
        .file(&format!("{config}/RegBack/SYSTEM"), b"")
        .hive(&format!("{config}/systemprofile/ntuser.dat"), NTUSER)
        .hive(
            "case/HOST1/C/Windows/ServiceProfiles/LocalService/NTUSER.DAT",
            NTUSER,
        )
        .hive("case/HOST1/C/Users/alice/NTUSER.DAT", &ntuser_of("alice"))
        .log("case/HOST1/C/Users/alice/ntuser.dat.LOG1", NTUSER)
        .file("case/HOST1/C/Users/alice/ntuser.dat.LOG2", b"")
        .hive(
            "case/HOST1/C/Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat",
            USRCLASS,
        )
        .hive("case/HOST1/c/users/bob/ntuser.dat", &ntuser_of("robert"))
        .hive(
            "case/HOST1/C/Windows.old/Windows/System32/config/SYSTEM",
            SYSTEM,
        )
        .hive(
            "case/HOST1/C/Boot/BCD",
            "\\Device\\HarddiskVolume1\\Boot\\BCD",
        )
        .hive(
            "case/HOST1/C/Windows/AppCompat/Programs/Amcache.hve",
            "\\AppCompat\\Programs\\Amcache.hve",
        )
        .hive("case/HOST2/C%3A/windows/system32/config/system", SYSTEM)
        .hive("case/HOST3/Windows/System32/config/SOFTWARE", SOFTWARE);
    assert_lines(
        tree.discover(&["case"], &[]),
        &[
            "HOST1: system SYSTEM case/HOST1/C/Windows/System32/config/SYSTEM logs=SYSTEM.LOG1,system.log2",
            "HOST1: software SOFTWARE case/HOST1/C/Windows/System32/config/SOFTWARE",
            "HOST1: user alice(ProfileFolder) NTUSER case/HOST1/C/Users/alice/NTUSER.DAT logs=ntuser.dat.LOG1,ntuser.dat.LOG2",
            "HOST1: user LocalService(ProfileFolder) NTUSER case/HOST1/C/Windows/ServiceProfiles/LocalService/NTUSER.DAT",
            "HOST1: user systemprofile(ProfileFolder) NTUSER case/HOST1/C/Windows/System32/config/systemprofile/ntuser.dat",
            "HOST1: user bob(ProfileFolder) NTUSER case/HOST1/c/users/bob/ntuser.dat",
            "HOST1: other BCD case/HOST1/C/Boot/BCD",
            "HOST1: other UsrClass case/HOST1/C/Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat",
            "HOST1: other Amcache case/HOST1/C/Windows/AppCompat/Programs/Amcache.hve",
            "HOST1: other SYSTEM case/HOST1/C/Windows/System32/config/RegBack/SYSTEM no-header",
            "HOST1: other SAM case/HOST1/C/Windows/System32/config/SAM",
            "HOST1: other SYSTEM case/HOST1/C/Windows.old/Windows/System32/config/SYSTEM",
            "HOST2: system SYSTEM case/HOST2/C%3A/windows/system32/config/system",
            "HOST3: software SOFTWARE case/HOST3/Windows/System32/config/SOFTWARE",
            "file case/HOST1/C/Users/alice/ntuser.dat.LOG1 log of case/HOST1/C/Users/alice/NTUSER.DAT",
            "file case/HOST1/C/Users/alice/ntuser.dat.LOG2 log of case/HOST1/C/Users/alice/NTUSER.DAT",
            "file case/HOST1/C/Windows/System32/config/SYSTEM.LOG1 log of case/HOST1/C/Windows/System32/config/SYSTEM",
            "file case/HOST1/C/Windows/System32/config/system.log2 log of case/HOST1/C/Windows/System32/config/SYSTEM",
        ],
    );
}

#[test]
fn xp_layout_and_an_input_that_is_the_machine_folder() {
    let tree = Tree::new();
    tree.hive("xp-host/C:/WINDOWS/system32/config/system", SYSTEM)
        .hive(
            "xp-host/C:/Documents and Settings/joe/NTUSER.DAT",
            "nts and Settings\\joe\\ntuser.dat",
        )
        .log(
            "xp-host/C:/Documents and Settings/joe/ntuser.dat.LOG",
            NTUSER,
        );
    assert_lines(
        tree.discover(&["xp-host"], &[]),
        &[
            "xp-host: system SYSTEM xp-host/C:/WINDOWS/system32/config/system",
            "xp-host: user joe(ProfileFolder) NTUSER xp-host/C:/Documents and Settings/joe/NTUSER.DAT logs=ntuser.dat.LOG",
            "file xp-host/C:/Documents and Settings/joe/ntuser.dat.LOG log of xp-host/C:/Documents and Settings/joe/NTUSER.DAT",
        ],
    );
}

#[test]
fn velociraptor_collection_with_a_shadow_copy() {
    let tree = Tree::new();
    let shadow = "%5C%5C%3F%5CGLOBALROOT%5CDevice%5CHarddiskVolumeShadowCopy1";
    tree.hive(
        "case/host1/uploads/auto/C%3A/Windows/System32/config/SYSTEM",
        SYSTEM,
    )
    .hive(
        &format!("case/host1/uploads/ntfs/{shadow}/Windows/System32/config/SYSTEM"),
        SYSTEM,
    )
    .hive(
        &format!("case/host1/uploads/ntfs/{shadow}/Users/alice/NTUSER.DAT"),
        &ntuser_of("alice"),
    )
    .hive(
        "case/host1/uploads/ntfs/%5C%5C.%5CC%3A/Users/alice/NTUSER.DAT",
        &ntuser_of("alice"),
    );
    assert_lines(
        tree.discover(&["case"], &[]),
        &[
            "host1: system SYSTEM case/host1/uploads/auto/C%3A/Windows/System32/config/SYSTEM",
            "host1: user alice(ProfileFolder) NTUSER case/host1/uploads/ntfs/%5C%5C.%5CC%3A/Users/alice/NTUSER.DAT",
            &format!("host1: other NTUSER case/host1/uploads/ntfs/{shadow}/Users/alice/NTUSER.DAT"),
            &format!(
                "host1: other SYSTEM case/host1/uploads/ntfs/{shadow}/Windows/System32/config/SYSTEM"
            ),
        ],
    );
}

#[test]
fn several_live_systems_in_one_machine_keep_the_first_drive() {
    let tree = Tree::new();
    tree.hive("m/D/Windows/System32/config/SYSTEM", SYSTEM)
        .hive("m/C/Windows/System32/config/SYSTEM", SYSTEM)
        .hive("m/C/Windows/System32/config/SYSTEM.copy", SYSTEM);
    assert_lines(
        tree.discover(&["m"], &[]),
        &[
            "m: system SYSTEM m/C/Windows/System32/config/SYSTEM",
            "m: other SYSTEM m/C/Windows/System32/config/SYSTEM.copy",
            "m: other SYSTEM m/D/Windows/System32/config/SYSTEM",
        ],
    );
}

#[test]
fn folder_per_machine() {
    let tree = Tree::new();
    tree.hive("case/host1/SYSTEM", SYSTEM)
        .hive("case/host1/SOFTWARE", SOFTWARE)
        .hive("case/host1/alice/NTUSER.DAT", NTUSER)
        .hive("case/host1/bob_NTUSER.DAT", NTUSER)
        .hive("case/host1/RegBack/SYSTEM", SYSTEM)
        .hive("case/host2/SYSTEM", SYSTEM)
        .hive("case/host2/profiles/carol/NTUSER.DAT", &ntuser_of("carol"))
        .hive("case/dave/NTUSER.DAT", NTUSER);
    assert_lines(
        tree.discover(&["case"], &[]),
        &[
            "host1: system SYSTEM case/host1/SYSTEM",
            "host1: software SOFTWARE case/host1/SOFTWARE",
            "host1: user alice(ProfileFolder) NTUSER case/host1/alice/NTUSER.DAT",
            "host1: user bob(FileName) NTUSER case/host1/bob_NTUSER.DAT",
            "host1: other SYSTEM case/host1/RegBack/SYSTEM",
            "host2: system SYSTEM case/host2/SYSTEM",
            "host2: user carol(EmbeddedPath) NTUSER case/host2/profiles/carol/NTUSER.DAT",
            "unplaced -(Unknown) NTUSER case/dave/NTUSER.DAT",
        ],
    );
}

#[test]
fn flat_folder_of_many_machines_joins_by_prefix_only() {
    let tree = Tree::new();
    tree.hive("flat/host5_system.hiv", SYSTEM)
        .hive("flat/host5_software.hiv", SOFTWARE)
        .hive("flat/host5_alice.ntuser", NTUSER)
        .hive("flat/HOST6_SYSTEM", SYSTEM)
        .hive("flat/host6_SOFTWARE", SOFTWARE)
        .hive("flat/host6_sam", SAM)
        .hive("flat/host7_bob.ntuser", NTUSER)
        .hive("flat/SOFTWARE", SOFTWARE)
        .hive("flat/SYSTEM", SYSTEM)
        .file("flat/notes.txt", b"collected 2024");
    assert_lines(
        tree.discover(&["flat"], &[]),
        &[
            "HOST6: system SYSTEM flat/HOST6_SYSTEM",
            "HOST6: software SOFTWARE flat/host6_SOFTWARE",
            "HOST6: other SAM flat/host6_sam",
            "SYSTEM: system SYSTEM flat/SYSTEM",
            "host5: system SYSTEM flat/host5_system.hiv",
            "host5: software SOFTWARE flat/host5_software.hiv",
            "host5: user alice(FileName) NTUSER flat/host5_alice.ntuser",
            "unplaced -(Unknown) SOFTWARE flat/SOFTWARE",
            "unplaced host7_bob(FileName) NTUSER flat/host7_bob.ntuser",
            "file flat/notes.txt not a hive",
        ],
    );
}

#[test]
fn one_system_beside_another_machines_software_is_not_merged() {
    let tree = Tree::new();
    tree.hive("flat/host5_system.hiv", SYSTEM)
        .hive("flat/host6_software.hiv", SOFTWARE);
    assert_lines(
        tree.discover(&["flat"], &[]),
        &[
            "host5: system SYSTEM flat/host5_system.hiv",
            "unplaced -(Unknown) SOFTWARE flat/host6_software.hiv",
        ],
    );
}

#[test]
fn renamed_hives_are_found_by_content_and_typed_by_name_as_last_resort() {
    let tree = Tree::new();
    tree.hive("loose/alice.ntuser", "")
        .hive("loose/mystery.bin", "")
        .hive("other/export.bin", SYSTEM);
    let inputs = [tree.path("loose"), tree.path("other")];
    let collection = discover(&inputs, &DiscoveryOptions::default());
    let typed: Vec<(String, HiveKind, DetectedBy)> = collection
        .unplaced
        .iter()
        .map(|u| (u.hive.evidence.file_name(), u.hive.kind, u.hive.detected_by))
        .collect();
    assert_eq!(
        typed,
        [
            (
                "alice.ntuser".into(),
                HiveKind::NtUser,
                DetectedBy::FileName
            ),
            ("mystery.bin".into(), HiveKind::Other, DetectedBy::Nothing),
        ]
    );
    assert_eq!(collection.unplaced[0].user.as_deref(), Some("alice"));
    assert_eq!(collection.machines.len(), 1, "export.bin is a SYSTEM hive");
}

#[test]
fn broken_hives_named_as_hives_are_error_rows_in_their_machine() {
    let tree = Tree::new();
    let random: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
    tree.hive("case/host8/Windows/System32/config/SYSTEM", SYSTEM)
        .file("case/host8/Windows/System32/config/RegBack/SYSTEM", b"")
        .file("case/host8/Windows/System32/config/SOFTWARE", &random)
        .file("case/host9/SYSTEM", b"")
        .file("case/host9/readme.bin", &random)
        .file("case/host9/ntuser.dat.xz", &random);
    assert_lines(
        tree.discover(&["case"], &[]),
        &[
            "host8: system SYSTEM case/host8/Windows/System32/config/SYSTEM",
            "host8: software SOFTWARE case/host8/Windows/System32/config/SOFTWARE no-header",
            "host8: other SYSTEM case/host8/Windows/System32/config/RegBack/SYSTEM no-header",
            "host9: system SYSTEM case/host9/SYSTEM no-header",
            "file case/host9/ntuser.dat.xz not a hive",
            "file case/host9/readme.bin not a hive",
        ],
    );
}

#[test]
fn logs_without_a_hive() {
    let tree = Tree::new();
    tree.log("logs/system.log1", SYSTEM)
        .log("logs/OldLogWithRemnantData", NTUSER)
        .file("logs/setup.log", b"installer output");
    assert_lines(
        tree.discover(&["logs"], &[]),
        &[
            "file logs/OldLogWithRemnantData log of -",
            "file logs/setup.log not a hive",
            "file logs/system.log1 log of -",
        ],
    );
}

#[test]
fn logs_match_in_any_case_but_never_an_ambiguous_hive() {
    let tree = Tree::new();
    tree.hive("data/transactions_NTUSER.DAT", &ntuser_of("tony"))
        .log("data/transactions_ntuser.dat.log1", NTUSER)
        .file("data/transactions_ntuser.dat.log2", b"")
        .hive("dup/SYSTEM", SYSTEM)
        .hive("dup/system", SYSTEM)
        .log("dup/SYSTEM.LOG1", SYSTEM)
        .log("dup/System.LOG2", SYSTEM);
    let lines = tree.discover(&["data", "dup"], &[]);
    let logs: Vec<&String> = lines.iter().filter(|l| l.contains("log")).collect();
    assert_eq!(
        logs,
        [
            "SYSTEM: system SYSTEM dup/SYSTEM logs=SYSTEM.LOG1",
            "unplaced tony(EmbeddedPath) NTUSER data/transactions_NTUSER.DAT logs=transactions_ntuser.dat.log1,transactions_ntuser.dat.log2",
            "file data/transactions_ntuser.dat.log1 log of data/transactions_NTUSER.DAT",
            "file data/transactions_ntuser.dat.log2 log of data/transactions_NTUSER.DAT",
            "file dup/SYSTEM.LOG1 log of dup/SYSTEM",
            "file dup/System.LOG2 log of -",
        ],
        "{lines:#?}"
    );
}

#[cfg(unix)]
#[test]
fn fifo_named_like_a_hive_is_skipped_unopened() {
    let tree = Tree::new();
    tree.hive("case/host1/SYSTEM", SYSTEM);
    let status = std::process::Command::new("mkfifo")
        .arg(tree.path("case/host1/NTUSER.DAT"))
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable: FIFO test skipped");
        return;
    }
    assert_lines(
        tree.discover(&["case"], &[]),
        &[
            "host1: system SYSTEM case/host1/SYSTEM",
            "file case/host1/NTUSER.DAT skipped: FIFO (named pipe), not opened",
        ],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_unreadable_rows_not_loops() {
    let tree = Tree::new();
    tree.hive("case/host1/SYSTEM", SYSTEM);
    std::os::unix::fs::symlink("..", tree.path("case/host1/up")).unwrap();
    std::os::unix::fs::symlink("self", tree.path("case/host1/self")).unwrap();
    let lines = tree.discover(&["case"], &[]);
    assert_eq!(lines[0], "host1: system SYSTEM case/host1/SYSTEM");
    assert!(
        lines[1].starts_with("file case/host1/self unreadable:"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("file case/host1/up unreadable: symbolic link loop back to"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 3, "{lines:?}");
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_rows_and_the_walk_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let tree = Tree::new();
    tree.hive("case/host1/SYSTEM", SYSTEM)
        .file("case/host1/secret.bin", b"secret")
        .hive("case/host1/NTUSER.DAT", NTUSER)
        .hive("case/host1/locked/NTUSER.DAT", NTUSER)
        .hive("case/zz/SYSTEM", SYSTEM);
    let lock = |relative: &str| {
        fs::set_permissions(tree.path(relative), fs::Permissions::from_mode(0o000)).unwrap();
    };
    lock("case/host1/secret.bin");
    lock("case/host1/NTUSER.DAT");
    lock("case/host1/locked");
    if fs::read(tree.path("case/host1/secret.bin")).is_ok() {
        eprintln!("running with permission to read anything (root?): unreadable test skipped");
        return;
    }
    let lines = tree.discover(&["case"], &[]);
    fs::set_permissions(
        tree.path("case/host1/locked"),
        fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_lines(
        lines,
        &[
            "host1: system SYSTEM case/host1/SYSTEM",
            "host1: user -(Unknown) NTUSER case/host1/NTUSER.DAT no-header",
            "zz: system SYSTEM case/zz/SYSTEM",
            "file case/host1/locked unreadable: Permission denied (os error 13)",
            "file case/host1/secret.bin unreadable: Permission denied (os error 13)",
        ],
    );
}

#[test]
fn excluded_folders_are_not_entered() {
    let tree = Tree::new();
    tree.hive("case/host1/SYSTEM", SYSTEM)
        .hive("case/report/host2/SYSTEM", SYSTEM)
        .file("case/report/findings.csv", b"a,b");
    assert_lines(
        tree.discover(&["case"], &["case/report"]),
        &["host1: system SYSTEM case/host1/SYSTEM"],
    );
}

#[test]
fn hidden_folders_and_ignore_files_hide_nothing() {
    let tree = Tree::new();
    tree.hive("case/.snapshot/host1/SYSTEM", SYSTEM)
        .file("case/.gitignore", b"*\n")
        .file("case/.ignore", b"host2\n")
        .hive("case/host2/SYSTEM", SYSTEM);
    assert_lines(
        tree.discover(&["case"], &[]),
        &[
            ".snapshot/host1: system SYSTEM case/.snapshot/host1/SYSTEM",
            "host2: system SYSTEM case/host2/SYSTEM",
            "file case/.gitignore not a hive",
            "file case/.ignore not a hive",
        ],
    );
}

#[test]
fn a_file_input_is_read_in_its_folder() {
    let tree = Tree::new();
    tree.hive("case/host1/SYSTEM", SYSTEM)
        .hive("case/host1/SOFTWARE", SOFTWARE);
    assert_lines(
        tree.discover(&["case/host1/SYSTEM", "case/host1/SOFTWARE"], &[]),
        &[
            "host1: system SYSTEM case/host1/SYSTEM",
            "host1: software SOFTWARE case/host1/SOFTWARE",
        ],
    );
}

#[test]
fn output_does_not_depend_on_input_or_creation_order() {
    let names = [
        "b/SYSTEM",
        "a/SYSTEM",
        "c/x_NTUSER.DAT",
        "a/u/NTUSER.DAT",
        "b/z.txt",
    ];
    let first = Tree::new();
    let second = Tree::new();
    for name in names {
        first.hive(
            name,
            if name.ends_with("SYSTEM") {
                SYSTEM
            } else {
                NTUSER
            },
        );
    }
    for name in names.iter().rev() {
        second.hive(
            name,
            if name.ends_with("SYSTEM") {
                SYSTEM
            } else {
                NTUSER
            },
        );
    }
    let forward = first.discover(&["a", "b", "c"], &[]);
    assert_eq!(forward, second.discover(&["c", "b", "a"], &[]));
    assert_eq!(forward, first.discover(&["a", "b", "c", "a"], &[]));
}

#[test]
fn machines_with_the_same_label_in_two_inputs_get_full_paths() {
    let tree = Tree::new();
    tree.hive("one/host1/SYSTEM", SYSTEM)
        .hive("two/host1/SYSTEM", SYSTEM);
    let lines = tree.discover(&["one", "two"], &[]);
    let base = tree.dir.path().display().to_string();
    assert_lines(
        lines,
        &[
            &format!("{base}/one/host1: system SYSTEM one/host1/SYSTEM"),
            &format!("{base}/two/host1: system SYSTEM two/host1/SYSTEM"),
        ],
    );
}

#[test]
fn a_stop_request_ends_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), b"not a hive").unwrap();
    let inputs = [dir.path().to_path_buf()];
    let walked = discover(&inputs, &DiscoveryOptions::default());
    assert_eq!(walked.other_files.len(), 1);
    let stopped = DiscoveryOptions {
        stop: Some(|| true),
        ..DiscoveryOptions::default()
    };
    assert!(discover(&inputs, &stopped).other_files.is_empty());
}

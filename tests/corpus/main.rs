//! Tests against real hives written by Windows (../shared/corpus), found through the
//! `HIVE_CORPUS` environment variable. Without it every test here is listed as ignored and the
//! reason is printed: they are filtered out visibly, never passed silently.

mod agreement;
#[path = "../common/mod.rs"]
mod common;
mod discovery;
mod lookups;
mod paged;
mod profiles;
mod recover_cli;
mod recovery;
mod scan;
mod tree;

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};

/// A test over the corpus directory.
type CorpusTest = fn(&Path) -> Result<(), Failed>;

fn main() {
    let arguments = Arguments::from_args();
    let corpus = corpus_dir();
    if corpus.is_none() {
        eprintln!(
            "corpus tests ignored: set HIVE_CORPUS to the shared corpus \
             (e.g. HIVE_CORPUS=../shared/corpus cargo test)"
        );
    }
    let tests: Vec<(&str, CorpusTest)> = vec![
        (
            "agreement::reader_agrees_with_nt_hive_on_every_hive",
            agreement::reader_agrees_with_nt_hive_on_every_hive,
        ),
        (
            "paged::paged_reads_equal_whole_reads",
            paged::paged_reads_equal_whole_reads,
        ),
        (
            "lookups::every_listed_subkey_is_found_by_name",
            lookups::every_listed_subkey_is_found_by_name,
        ),
        (
            "discovery::every_corpus_primary_is_found_typed_and_given_its_logs",
            discovery::every_corpus_primary_is_found_typed_and_given_its_logs,
        ),
        (
            "discovery::a_system_hive_not_named_like_one_is_typed_system",
            discovery::a_system_hive_not_named_like_one_is_typed_system,
        ),
        (
            "scan::scan_reads_every_system_hive",
            scan::scan_reads_every_system_hive,
        ),
        (
            "scan::scan_lists_every_primary_with_type_and_state",
            scan::scan_lists_every_primary_with_type_and_state,
        ),
        (
            "recovery::new_dirty_hive_1_equals_windows_10_recovery",
            recovery::new_dirty_hive_1_equals_windows_10_recovery,
        ),
        (
            "recovery::new_dirty_hive_1_ignores_log_name_order",
            recovery::new_dirty_hive_1_ignores_log_name_order,
        ),
        (
            "recovery::new_dirty_hive_2_skips_the_stale_log",
            recovery::new_dirty_hive_2_skips_the_stale_log,
        ),
        (
            "recovery::old_dirty_hive_equals_windows_7_recovery",
            recovery::old_dirty_hive_equals_windows_7_recovery,
        ),
        (
            "recovery::bad_base_block_hive_takes_the_base_block_from_the_log",
            recovery::bad_base_block_hive_takes_the_base_block_from_the_log,
        ),
        (
            "recovery::regipy_system_b_replays_both_logs",
            recovery::regipy_system_b_replays_both_logs,
        ),
        (
            "recovery::regipy_transactions_ntuser_with_lower_case_logs",
            recovery::regipy_transactions_ntuser_with_lower_case_logs,
        ),
        (
            "recovery::win10_amcache_samples_equal_the_reference",
            recovery::win10_amcache_samples_equal_the_reference,
        ),
        (
            "recovery::clean_win2012r2_amcache_ignores_its_stale_logs",
            recovery::clean_win2012r2_amcache_ignores_its_stale_logs,
        ),
        (
            "recovery::bad_logs_are_refused",
            recovery::bad_logs_are_refused,
        ),
        (
            "recovery::truncated_dirty_hive_is_refused",
            recovery::truncated_dirty_hive_is_refused,
        ),
        (
            "profiles::plaso_outlook_2010_profile_has_its_four_accounts",
            profiles::plaso_outlook_2010_profile_has_its_four_accounts,
        ),
        (
            "profiles::notatin_outlook_2010_profile_has_its_three_accounts",
            profiles::notatin_outlook_2010_profile_has_its_three_accounts,
        ),
        (
            "profiles::r_winreg_office_15_profile_has_its_exchange_section",
            profiles::r_winreg_office_15_profile_has_its_exchange_section,
        ),
        (
            "recover_cli::corpus_dirty_hive_is_recovered_with_logs_found_in_any_case",
            recover_cli::corpus_dirty_hive_is_recovered_with_logs_found_in_any_case,
        ),
        (
            "recover_cli::corpus_bad_logs_are_refused_and_nothing_is_written",
            recover_cli::corpus_bad_logs_are_refused_and_nothing_is_written,
        ),
    ];
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            let dir = corpus.clone();
            Trial::test(name, move || {
                test(dir.as_deref().expect("ignored without the corpus"))
            })
            .with_ignored_flag(corpus.is_none())
        })
        .collect();
    libtest_mimic::run(&arguments, trials).exit();
}

/// The corpus directory named by `HIVE_CORPUS`, when it holds a manifest.
fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("HIVE_CORPUS")?);
    dir.join("MANIFEST.json").is_file().then_some(dir)
}

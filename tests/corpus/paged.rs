//! Reading a hive file page by page on demand, as a scan does, gives the same tree as reading
//! the whole file into memory, for every hive of the corpus.

use std::path::Path;

use hiveaudit::hive::HiveView;
use hiveaudit::source::Evidence;
use libtest_mimic::Failed;

use crate::agreement::hive_files;
use crate::tree::{assert_same_tree, read, tree, tree_of};

/// Every corpus hive reads alike from memory and page by page from its file.
pub fn paged_reads_equal_whole_reads(corpus: &Path) -> Result<(), Failed> {
    let files = hive_files(corpus);
    assert!(
        files.len() > 100,
        "only {} hives in the manifest",
        files.len()
    );
    for file in &files {
        let whole = tree(&read(corpus, file));
        let paged_file = Evidence::File(corpus.join(file).into())
            .open_paged()
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let pages = paged_file.hive();
        let view = HiveView::paged(&pages).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_same_tree(file, &tree_of(&view), &whole);
    }
    Ok(())
}

//! Differential test of the hive reader: on every hive in the corpus, `hiveaudit::hive` must
//! read what nt-hive reads.
//!
//! The reader is to parse cells itself instead of through nt-hive (so that hives can be read
//! page by page); this test shows whether that changes anything on hives Windows wrote. Each
//! hive is walked twice in lockstep: through the reader's public API, and directly through
//! nt-hive's public API, never through the reader. Key by key, it compares:
//!
//! 1. the key's name and its subkey names in stored order (`Key::name`, `subkey_names`,
//!    `subkeys`);
//! 2. every value's name, raw type and data bytes (`Key::values`);
//! 3. lookups by name: a sample of the key's subkeys, as stored and, for ASCII names,
//!    upper-cased and lower-cased (`Key::subkey` against `KeyNode::subkey`), and a sample of
//!    its values, as stored and in another letter case (`Key::value` and `ValueIndex::get`
//!    against `KeyNode::value`, which walks nt-hive's value list);
//! 4. now and then, the key looked up by its path (`HiveView::key` against `KeyNode::subpath`).
//!
//! Names are compared as lossy strings. Where nt-hive fails on a name or a list with an error,
//! the reader must fail too; a lookup that nt-hive fails is not compared. Some questions nt-hive
//! cannot answer, and what depends on them is counted as unjudged rather than compared: it
//! panics on some damaged cells (every call into it is caught), and it reads the data of any
//! value over 16,344 bytes as big data (a `db` record), which hives before version 1.4 do not
//! have: they keep such data in one cell. Hives nt-hive cannot open are skipped and named; logs
//! and files that are not hives are not read. A summary line counts what was compared.
//!
//! Comparing every key and every lookup of the corpus takes over a minute in a debug build,
//! most of it in nt-hive's unoptimised code, so each hive is compared over its first
//! [`MAX_KEYS`] keys in depth-first order (which cuts 8 of the 124 hives: the four SYSTEM hives
//! and the largest NTUSER and UsrClass ones), and lookups are sampled at one key in
//! [`LOOKUP_EVERY`]. Even so the walk covers about 140,000 keys and 260,000 values.

use std::cell::Cell;
use std::fmt::{Debug, Display};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;

use hiveaudit::hive::{HiveError, HiveResult, HiveView, Key, Value, ValueIndex};
use libtest_mimic::Failed;
use nt_hive::{Hive, KeyNode, KeyValue, KeyValueData, NtHiveError};
use rayon::prelude::*;
use serde_json::Value as Json;

/// Deepest key nesting walked (guards against cycles in damaged hives).
const MAX_DEPTH: usize = 512;
/// Keys compared per hive, in depth-first order. It also ends the walk of a hive whose subkey
/// lists form a cycle.
const MAX_KEYS: usize = 5_500;
/// Lookups by name are compared at one key in this many.
const LOOKUP_EVERY: usize = 3;
/// Path lookups are compared at one key in this many.
const PATH_LOOKUP_EVERY: usize = 16;
/// Subkeys looked up per key (see [`spread`]).
const SUBKEY_LOOKUPS: usize = 8;
/// Values looked up per key (see [`spread`]).
const VALUE_LOOKUPS: usize = 3;
/// Spellings of each value looked up: as stored, then in another letter case.
const VALUE_SPELLINGS: usize = 2;
/// Fewest keys and lookups a run must compare, so that a manifest or filter gone wrong does not
/// pass by comparing nothing (a full run compares about 140,000 keys and 200,000 lookups).
const MIN_COMPARED: usize = 100_000;
/// Disagreements spelled out per hive; the rest are counted.
const MAX_SHOWN: usize = 5;
/// Problems spelled out in all (a reader that is wrong everywhere fails in every hive).
const MAX_SHOWN_IN_ALL: usize = 40;
/// Bytes of value data shown in a message.
const MAX_SHOWN_DATA: usize = 32;
/// Most data a value keeps in one cell where the hive has big-data records.
const BIG_DATA_SEGMENT_SIZE: u32 = 16_344;
/// First hive minor version with big-data records.
const FIRST_BIG_DATA_VERSION: u32 = 4;

/// A disagreement present when this test was written, while the reader was built on nt-hive.
struct Known {
    /// The hive, as the manifest names it.
    file: &'static str,
    /// The key, as disagreements name it.
    path: &'static str,
    /// What the readers disagree on, as disagreements name it.
    what: &'static str,
}

/// The disagreements expected today. Each must still be seen, so that the list stays true.
///
/// `RunOnce` in this NT 4 SOFTWARE hive records no values, but its value-list offset still
/// points at a cell that is now free. The reader believes the count, as Windows does, and lists
/// no values; nt-hive reads the list cell regardless and fails on the free cell.
const KNOWN: &[Known] = &[Known {
    file: "aiowinreg/tests/testdata/nt/software.reg",
    path: "\\Microsoft\\Windows\\CurrentVersion\\RunOnce",
    what: "values",
}];

/// A key as nt-hive reads it.
type Node<'h, 'a> = KeyNode<'h, &'a [u8]>;

/// Every hive of the manifest that nt-hive opens is read alike by nt-hive and the reader.
pub fn reader_agrees_with_nt_hive_on_every_hive(corpus: &Path) -> Result<(), Failed> {
    let files = hive_files(corpus);
    let outcomes: Vec<(&String, Outcome)> = files
        .par_iter()
        .map(|file| (file, compare_file(corpus, file)))
        .collect();
    let mut total = Counts::default();
    let mut problems = Vec::new();
    let mut known_seen = Vec::new();
    for (file, outcome) in outcomes {
        match outcome {
            Outcome::Skipped(reason) => eprintln!("agreement: skipped {file}: {reason}"),
            Outcome::Compared(comparison) => {
                total.add(&comparison.counts);
                known_seen.extend(comparison.known_seen.iter().cloned());
                problems.extend(comparison.problems_shown());
            }
        }
    }
    eprintln!("agreement: {}", total.summary(files.len()));
    check_known(&known_seen, &mut problems);
    if !problems.is_empty() {
        return Err(shown(problems).into());
    }
    if total.keys < MIN_COMPARED || total.lookups < MIN_COMPARED {
        return Err(format!("too little compared: {}", total.summary(files.len())).into());
    }
    Ok(())
}

/// The first [`MAX_SHOWN_IN_ALL`] problems, one after the other, and how many more there are.
fn shown(mut problems: Vec<String>) -> String {
    let hidden = problems.len().saturating_sub(MAX_SHOWN_IN_ALL);
    problems.truncate(MAX_SHOWN_IN_ALL);
    if hidden > 0 {
        problems.push(format!("... and {hidden} more problems not shown"));
    }
    problems.join("\n")
}

/// Prints the known disagreements seen, and adds a problem for each that was not.
fn check_known(seen: &[String], problems: &mut Vec<String>) {
    for message in seen {
        eprintln!("agreement: known disagreement, {message}");
    }
    for known in KNOWN {
        let prefix = format!("{}: key {}: {}:", known.file, known.path, known.what);
        if !seen.iter().any(|message| message.starts_with(&prefix)) {
            problems.push(format!(
                "{prefix} listed in KNOWN but not seen: the readers now agree there, or disagree \
                 otherwise; update the list"
            ));
        }
    }
}

/// The regf primaries of the manifest (not the logs, nor the files that are no hive at all).
pub fn hive_files(corpus: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(corpus.join("MANIFEST.json")).expect("MANIFEST.json");
    let manifest: Vec<Json> = serde_json::from_str(&text).expect("MANIFEST.json is JSON");
    manifest
        .iter()
        .filter(|entry| {
            entry["header"]["sig"] == "regf" && entry["header"]["file_type"] == "primary"
        })
        .map(|entry| entry["file"].as_str().expect("a file name").to_string())
        .collect()
}

/// What became of one hive.
enum Outcome {
    /// nt-hive could not open it, so there is nothing to compare against.
    Skipped(String),
    /// Walked by both readers.
    Compared(Comparison),
}

/// Reads `file` and compares the two readers over it.
fn compare_file(corpus: &Path, file: &str) -> Outcome {
    let bytes = std::fs::read(corpus.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let hive = match ask(|| Ok(Hive::without_validation(bytes.as_slice())?)).result() {
        Ok(hive) => hive,
        Err(why) => return Outcome::Skipped(format!("nt-hive cannot open it: {why}")),
    };
    let root = match ask(|| Ok(hive.root_key_node()?)).result() {
        Ok(root) => root,
        Err(why) => return Outcome::Skipped(format!("nt-hive finds no root key: {why}")),
    };
    let mut comparison = Comparison::new(file, hive.minor_version() >= FIRST_BIG_DATA_VERSION);
    if let Err(error) = walk(&mut comparison, &root, &bytes) {
        comparison.disagree("\\", &"opening the hive", &"a root key", &error);
    }
    Outcome::Compared(comparison)
}

/// Walks the key trees of both readers depth-first from the root, comparing key by key.
fn walk(comparison: &mut Comparison, root: &Node<'_, '_>, bytes: &[u8]) -> HiveResult<()> {
    let view = tell(|| HiveView::open(bytes))?;
    let mut pending = vec![Pair {
        path: String::new(),
        depth: 0,
        theirs: root.clone(),
        ours: tell(|| view.root())?,
    }];
    while let Some(pair) = pending.pop() {
        if comparison.counts.keys == MAX_KEYS {
            break;
        }
        comparison.counts.keys += 1;
        let children = compare_key(comparison, &pair, root, &view);
        if pair.depth < MAX_DEPTH {
            pending.extend(children.into_iter().rev());
        }
    }
    Ok(())
}

/// One key, as each reader reached it.
struct Pair<'h, 'v, 'a> {
    /// Backslash-separated names from the root (empty for the root).
    path: String,
    /// Number of names in `path`.
    depth: usize,
    /// The key as nt-hive reads it.
    theirs: Node<'h, 'a>,
    /// The key as the reader reads it.
    ours: Key<'v, 'a>,
}

impl<'h, 'v, 'a> Pair<'h, 'v, 'a> {
    /// The path as shown in messages.
    fn shown_path(&self) -> &str {
        if self.path.is_empty() {
            "\\"
        } else {
            &self.path
        }
    }

    /// The key's own name, as nt-hive listed it (empty for the root).
    fn name(&self) -> &str {
        self.path.rsplit('\\').next().unwrap_or_default()
    }

    /// The pair for the subkey called `name` (as nt-hive reads it).
    fn child(&self, name: &str, theirs: Node<'h, 'a>, ours: Key<'v, 'a>) -> Self {
        Pair {
            path: format!("{}\\{name}", self.path),
            depth: self.depth + 1,
            theirs,
            ours,
        }
    }
}

/// Compares one key: its name, values, subkeys and, at some keys, lookups. Returns its
/// subkeys as pairs, when both readers list the same ones.
fn compare_key<'h, 'v, 'a>(
    comparison: &mut Comparison,
    pair: &Pair<'h, 'v, 'a>,
    root: &Node<'h, 'a>,
    view: &HiveView<'a>,
) -> Vec<Pair<'h, 'v, 'a>> {
    let path = pair.shown_path();
    let name = their_name(&pair.theirs);
    comparison.judge(path, &"key name", &name, &tell(|| pair.ours.name()));
    let values = their_values(&pair.theirs, comparison.big_data);
    comparison.judge_entries(path, "values", &values, &tell(|| our_values(&pair.ours)));
    let values = values.result().unwrap_or_default();
    comparison.counts.values += values.len();
    let children = compare_subkeys(comparison, pair);
    let keys = comparison.counts.keys;
    if keys % PATH_LOOKUP_EVERY == 1 {
        compare_path_lookup(comparison, pair, root, view);
    }
    if keys % LOOKUP_EVERY == 1 {
        compare_lookups(comparison, pair, &children, &values);
    }
    children
}

/// Compares the subkey lists; returns the subkeys as pairs, when both list the same names.
fn compare_subkeys<'h, 'v, 'a>(
    comparison: &mut Comparison,
    pair: &Pair<'h, 'v, 'a>,
) -> Vec<Pair<'h, 'v, 'a>> {
    let path = pair.shown_path();
    let theirs = their_subkeys(&pair.theirs);
    let names = match &theirs {
        Answer::Got(nodes) => named(nodes),
        Answer::Refused(error) => Answer::Refused(error.clone()),
        Answer::Unanswered => Answer::Unanswered,
    };
    let our_names = tell(|| pair.ours.subkey_names());
    let agreed = comparison.judge_entries(path, "subkey names", &names, &our_names);
    let ours = tell(|| pair.ours.subkeys());
    let (Answer::Got(nodes), Answer::Got(names), Ok(keys), true) = (theirs, names, ours, agreed)
    else {
        return Vec::new();
    };
    if keys.len() != nodes.len() {
        comparison.disagree(path, &"number of subkeys", &nodes.len(), &keys.len());
        return Vec::new();
    }
    let children = names.iter().zip(nodes).zip(keys);
    children
        .map(|((name, theirs), ours)| pair.child(name, theirs, ours))
        .collect()
}

/// Compares lookups by name of a sample of the key's subkeys and values.
fn compare_lookups(
    comparison: &mut Comparison,
    pair: &Pair<'_, '_, '_>,
    children: &[Pair<'_, '_, '_>],
    values: &[Read],
) {
    for child in spread(children, SUBKEY_LOOKUPS) {
        compare_subkey_lookup(comparison, pair, child.name());
    }
    let mut index = tell(|| pair.ours.value_index());
    for value in spread(values, VALUE_LOOKUPS) {
        compare_value_lookup(comparison, pair, &mut index, &value.name);
    }
}

/// Looks the key up by its path from the root in both readers.
fn compare_path_lookup(
    comparison: &mut Comparison,
    pair: &Pair<'_, '_, '_>,
    root: &Node<'_, '_>,
    view: &HiveView<'_>,
) {
    let theirs = ask(|| {
        let found = root.subpath(&pair.path).transpose()?;
        found
            .map(|node| Ok(node.name()?.to_string_lossy()))
            .transpose()
    });
    let ours = tell(|| {
        let found = view.key(&pair.path)?;
        found.map(|key| key.name()).transpose()
    });
    comparison.judge_lookup(pair.shown_path(), &"key by path", &theirs, &ours);
}

/// Looks the subkey `name` up in each of its spellings, in both readers.
fn compare_subkey_lookup(comparison: &mut Comparison, pair: &Pair<'_, '_, '_>, name: &str) {
    for spelling in spellings(name) {
        let theirs = ask(|| {
            let found = pair.theirs.subkey(&spelling).transpose()?;
            found
                .map(|node| Ok(node.name()?.to_string_lossy()))
                .transpose()
        });
        let ours = tell(|| {
            let found = pair.ours.subkey(&spelling)?;
            found.map(|key| key.name()).transpose()
        });
        let path = pair.shown_path();
        comparison.judge_lookup(path, &format_args!("subkey {spelling:?}"), &theirs, &ours);
    }
}

/// Looks the value `name` up in [`VALUE_SPELLINGS`] spellings, in nt-hive and in the reader,
/// both by `Key::value` and through the key's `ValueIndex`.
fn compare_value_lookup(
    comparison: &mut Comparison,
    pair: &Pair<'_, '_, '_>,
    index: &mut HiveResult<ValueIndex<'_, '_>>,
    name: &str,
) {
    let path = pair.shown_path();
    for spelling in spellings(name).into_iter().take(VALUE_SPELLINGS) {
        let theirs = ask(|| {
            let found = pair.theirs.value(&spelling).transpose()?;
            found
                .map(|value| their_value(&value, comparison.big_data))
                .transpose()
        });
        let ours = tell(|| pair.ours.value(&spelling)).map(|found| found.map(Read::from));
        comparison.judge_lookup(path, &format_args!("value {spelling:?}"), &theirs, &ours);
        let indexed = match index {
            Ok(index) => tell(|| index.get(&spelling)).map(|found| found.map(Read::from)),
            Err(error) => Err(error.clone()),
        };
        let what = format!("indexed value {spelling:?}");
        comparison.judge_lookup(path, &what, &theirs, &indexed);
    }
}

/// At most `count` (at least 2) of `items`, spread evenly from the first to the last, so
/// that a key with thousands of values costs a few walks over its list, not thousands.
fn spread<T>(items: &[T], count: usize) -> Vec<&T> {
    let length = items.len();
    if length <= count {
        return items.iter().collect();
    }
    (0..count)
        .map(|at| &items[at * (length - 1) / (count - 1)])
        .collect()
}

/// `name` as stored and, for an ASCII name, upper-cased and lower-cased (without repeats).
fn spellings(name: &str) -> Vec<String> {
    let mut spellings = vec![name.to_string()];
    if name.is_ascii() {
        for other in [name.to_ascii_uppercase(), name.to_ascii_lowercase()] {
            if !spellings.contains(&other) {
                spellings.push(other);
            }
        }
    }
    spellings
}

/// A value as either reader read it.
#[derive(Clone, PartialEq, Eq)]
struct Read {
    /// The name, as a lossy string.
    name: String,
    /// The 32-bit type field.
    raw_type: u32,
    /// The data bytes.
    data: Vec<u8>,
}

impl From<Value> for Read {
    fn from(value: Value) -> Self {
        Read {
            name: value.name,
            raw_type: value.raw_type,
            data: value.data,
        }
    }
}

impl Debug for Read {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: String = self
            .data
            .iter()
            .take(MAX_SHOWN_DATA)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let more = if self.data.len() > MAX_SHOWN_DATA {
            "..."
        } else {
            ""
        };
        write!(
            f,
            "{:?} type {:#x}, {} bytes: {shown}{more}",
            self.name,
            self.raw_type,
            self.data.len()
        )
    }
}

/// The values of `key` as the reader reads them.
fn our_values(key: &Key<'_, '_>) -> HiveResult<Vec<Read>> {
    Ok(key.values()?.into_iter().map(Read::from).collect())
}

/// The name of `node` as nt-hive reads it.
fn their_name(node: &Node<'_, '_>) -> Answer<String> {
    ask(|| Ok(node.name()?.to_string_lossy()))
}

/// The subkeys of `node` as nt-hive lists them.
fn their_subkeys<'h, 'a>(node: &Node<'h, 'a>) -> Answer<Vec<Node<'h, 'a>>> {
    ask(|| match node.subkeys() {
        Some(list) => Ok(list?.collect::<nt_hive::Result<_>>()?),
        None => Ok(Vec::new()),
    })
}

/// The names of `nodes` as nt-hive reads them; fails as the first name that fails.
fn named(nodes: &[Node<'_, '_>]) -> Answer<Vec<String>> {
    ask(|| {
        nodes
            .iter()
            .map(|node| Ok(node.name()?.to_string_lossy()))
            .collect()
    })
}

/// The values of `node` as nt-hive reads them, in a hive with big-data records or not.
fn their_values(node: &Node<'_, '_>, big_data: bool) -> Answer<Vec<Read>> {
    ask(|| match node.values() {
        Some(list) => list?.map(|value| their_value(&value?, big_data)).collect(),
        None => Ok(Vec::new()),
    })
}

/// One value as nt-hive reads it, in a hive with big-data records or not.
fn their_value(value: &KeyValue<'_, &[u8]>, big_data: bool) -> Result<Read, Failure> {
    if !big_data && value.data_size() > BIG_DATA_SEGMENT_SIZE {
        return Err(Failure::Beyond);
    }
    Ok(Read {
        name: value.name()?.to_string_lossy(),
        raw_type: raw_type(value)?,
        data: their_data(value)?,
    })
}

/// The type field of `value`: nt-hive names the types it knows, and gives the number of any
/// other in the error it returns for it.
fn raw_type(value: &KeyValue<'_, &[u8]>) -> nt_hive::Result<u32> {
    match value.data_type() {
        Ok(known) => Ok(known as u32),
        Err(NtHiveError::UnsupportedKeyValueDataType { actual, .. }) => Ok(actual),
        Err(error) => Err(error),
    }
}

/// The data of `value` as nt-hive reads it: its segments joined and cut to the data size.
///
/// Data of size zero is empty without its cell being read: nt-hive asserts on the missing cell
/// (offset 0xFFFFFFFF) that Windows gives such values.
fn their_data(value: &KeyValue<'_, &[u8]>) -> nt_hive::Result<Vec<u8>> {
    let size = value.data_size() as usize;
    if size == 0 {
        return Ok(Vec::new());
    }
    match value.data()? {
        KeyValueData::Small(bytes) => Ok(bytes.to_vec()),
        KeyValueData::Big(segments) => {
            let mut data = Vec::with_capacity(size);
            for segment in segments {
                data.extend_from_slice(segment?);
                if data.len() >= size {
                    break;
                }
            }
            data.truncate(size);
            Ok(data)
        }
    }
}

/// What nt-hive answered to one question.
enum Answer<T> {
    /// A result.
    Got(T),
    /// An error: nt-hive found the cells damaged.
    Refused(String),
    /// No answer to compare against: nt-hive panicked, or the question is beyond it.
    Unanswered,
}

impl<T> Answer<T> {
    /// The result, or why there is none.
    fn result(self) -> Result<T, String> {
        match self {
            Answer::Got(answer) => Ok(answer),
            Answer::Refused(error) => Err(error),
            Answer::Unanswered => Err("nt-hive cannot answer".to_string()),
        }
    }
}

/// Why nt-hive gave no result.
enum Failure {
    /// Its error: it finds the cells damaged.
    Damaged(NtHiveError),
    /// The question is beyond it: the data of a value over [`BIG_DATA_SEGMENT_SIZE`] bytes in
    /// a hive without big-data records, which it would read as a big-data record.
    Beyond,
}

impl From<NtHiveError> for Failure {
    fn from(error: NtHiveError) -> Self {
        Failure::Damaged(error)
    }
}

/// Asks nt-hive `question`, catching a panic.
fn ask<T>(question: impl FnOnce() -> Result<T, Failure>) -> Answer<T> {
    match caught(question) {
        Some(Ok(answer)) => Answer::Got(answer),
        Some(Err(Failure::Damaged(error))) => Answer::Refused(error.to_string()),
        Some(Err(Failure::Beyond)) | None => Answer::Unanswered,
    }
}

/// Asks the reader `question`. A panic inside it (from nt-hive, while the reader is built on
/// it) becomes an error, as `hive::guarded` makes it for the reader's callers in hiveaudit.
fn tell<T>(question: impl FnOnce() -> HiveResult<T>) -> HiveResult<T> {
    caught(question).unwrap_or_else(|| Err(HiveError("the reader panicked".to_string())))
}

thread_local! {
    /// Whether a panic on this thread is one [`caught`] catches, and so is not printed.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`, quietly catching a panic; `None` when it panicked.
fn caught<T>(work: impl FnOnce() -> T) -> Option<T> {
    quiet_caught_panics();
    let was_catching = CATCHING.with(|catching| catching.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    CATCHING.with(|catching| catching.set(was_catching));
    outcome.ok()
}

/// Installs, once, a panic hook that stays quiet about the panics [`caught`] catches.
fn quiet_caught_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// What was compared in one hive or in all of them.
#[derive(Default)]
struct Counts {
    /// Hives compared.
    hives: usize,
    /// Keys compared.
    keys: usize,
    /// Values compared.
    values: usize,
    /// Lookups compared (by name and by path).
    lookups: usize,
    /// Lookups not compared because nt-hive failed them with an error.
    refused_lookups: usize,
    /// Answers not compared because nt-hive could not give them.
    unjudged: usize,
    /// Hives compared over their first [`MAX_KEYS`] keys only.
    cut: usize,
}

impl Counts {
    /// Adds the counts of one hive.
    fn add(&mut self, hive: &Counts) {
        self.hives += 1;
        self.keys += hive.keys;
        self.values += hive.values;
        self.lookups += hive.lookups;
        self.refused_lookups += hive.refused_lookups;
        self.unjudged += hive.unjudged;
        self.cut += usize::from(hive.keys == MAX_KEYS);
    }

    /// The counts in words, out of `files` hive files.
    fn summary(&self, files: usize) -> String {
        format!(
            "{} of {files} hives compared ({} cut at {MAX_KEYS} keys): {} keys, {} values, {} \
             lookups; not compared: {} lookups nt-hive failed, {} answers it could not give",
            self.hives,
            self.cut,
            self.keys,
            self.values,
            self.lookups,
            self.refused_lookups,
            self.unjudged
        )
    }
}

/// The comparison of one hive: what was compared and where the readers disagree.
struct Comparison {
    /// The hive's path in the corpus.
    file: String,
    /// What was compared.
    counts: Counts,
    /// The first disagreements not in [`KNOWN`], spelled out.
    shown: Vec<String>,
    /// Number of disagreements not in [`KNOWN`].
    disagreements: usize,
    /// The disagreements in [`KNOWN`] that were seen, spelled out.
    known_seen: Vec<String>,
    /// Whether the hive's version has big-data records (see [`Failure::Beyond`]).
    big_data: bool,
}

impl Comparison {
    /// A comparison of `file`, with big-data records or not, with nothing compared yet.
    fn new(file: &str, big_data: bool) -> Self {
        Comparison {
            big_data,
            file: file.to_string(),
            counts: Counts::default(),
            shown: Vec::new(),
            disagreements: 0,
            known_seen: Vec::new(),
        }
    }

    /// Records that the readers disagree on `what` at the key `path`.
    fn disagree(&mut self, path: &str, what: &dyn Display, theirs: &dyn Debug, ours: &dyn Debug) {
        let what = what.to_string();
        let message = format!(
            "{}: key {path}: {what}:\n    nt-hive:   {theirs:?}\n    hiveaudit: {ours:?}",
            self.file
        );
        let known = KNOWN
            .iter()
            .any(|known| known.file == self.file && known.path == path && known.what == what);
        if known {
            self.known_seen.push(message);
        } else {
            self.disagreements += 1;
            if self.shown.len() < MAX_SHOWN {
                self.shown.push(message);
            }
        }
    }

    /// Compares two answers: equal results agree, and so do two failures. Returns whether
    /// they agreed; a question nt-hive could not answer is counted and is no agreement.
    fn judge<T: PartialEq + Debug>(
        &mut self,
        path: &str,
        what: &dyn Display,
        theirs: &Answer<T>,
        ours: &HiveResult<T>,
    ) -> bool {
        match (theirs, ours) {
            (Answer::Unanswered, _) => {
                self.counts.unjudged += 1;
                return false;
            }
            (Answer::Got(theirs), Ok(ours)) if theirs == ours => return true,
            (Answer::Refused(_), Err(_)) => return true,
            (Answer::Got(theirs), Ok(ours)) => self.disagree(path, what, theirs, ours),
            (Answer::Got(theirs), Err(ours)) => self.disagree(path, what, theirs, ours),
            (Answer::Refused(theirs), Ok(ours)) => self.disagree(path, what, theirs, ours),
        }
        false
    }

    /// Compares two lists as [`Comparison::judge`] does, showing where two lists read in full
    /// first differ rather than both lists.
    fn judge_entries<E: PartialEq + Debug>(
        &mut self,
        path: &str,
        what: &str,
        theirs: &Answer<Vec<E>>,
        ours: &HiveResult<Vec<E>>,
    ) -> bool {
        let (Answer::Got(theirs_read), Ok(ours_read)) = (theirs, ours) else {
            return self.judge(path, &what, theirs, ours);
        };
        if theirs_read == ours_read {
            return true;
        }
        let at = first_difference(theirs_read, ours_read);
        let what = format!(
            "{what}, entry {at} (nt-hive lists {}, hiveaudit {})",
            theirs_read.len(),
            ours_read.len()
        );
        self.disagree(path, &what, &theirs_read.get(at), &ours_read.get(at));
        false
    }

    /// Compares a lookup; one that nt-hive fails is not compared.
    fn judge_lookup<T: PartialEq + Debug>(
        &mut self,
        path: &str,
        what: &dyn Display,
        theirs: &Answer<T>,
        ours: &HiveResult<T>,
    ) {
        match theirs {
            Answer::Unanswered => self.counts.unjudged += 1,
            Answer::Refused(_) => self.counts.refused_lookups += 1,
            Answer::Got(_) => {
                self.counts.lookups += 1;
                self.judge(path, what, theirs, ours);
            }
        }
    }

    /// The disagreements spelled out, and a line counting the others.
    fn problems_shown(self) -> Vec<String> {
        let mut shown = self.shown;
        let others = self.disagreements - shown.len();
        if others > 0 {
            shown.push(format!("{}: {others} more disagreements", self.file));
        }
        shown
    }
}

/// The first position at which two different lists differ (the shorter one's length when one
/// extends the other).
fn first_difference<E: PartialEq>(theirs: &[E], ours: &[E]) -> usize {
    theirs
        .iter()
        .zip(ours)
        .position(|(a, b)| a != b)
        .unwrap_or(theirs.len().min(ours.len()))
}

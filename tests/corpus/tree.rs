//! Flattening a hive's key/value tree into comparable lines, and reading corpus files.

#![allow(dead_code)]

use hiveaudit::hive::{HiveView, Key};

/// Deepest key nesting walked (guards against cycles in damaged hives).
const MAX_DEPTH: usize = 512;

/// Reads `relative` below the corpus root.
pub fn read(root: &std::path::Path, relative: &str) -> Vec<u8> {
    let path = root.join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every key (path and last-write time) and value (name, type, data) of the hive, one per line,
/// in stored order.
pub fn tree(bytes: &[u8]) -> Vec<String> {
    tree_of(&HiveView::open(bytes).expect("hive opens"))
}

/// [`tree`] of an opened hive, however its bytes are read.
pub fn tree_of(view: &HiveView<'_>) -> Vec<String> {
    let root = view.root().expect("root key");
    let mut lines = Vec::new();
    walk(&root, String::new(), 0, &mut lines);
    lines
}

fn walk(key: &Key<'_, '_>, path: String, depth: usize, lines: &mut Vec<String>) {
    lines.push(format!("key {path} written {:?}", key.last_written()));
    match key.values() {
        Ok(values) => lines.extend(values.iter().map(|value| {
            let data: String = value.data.iter().map(|b| format!("{b:02x}")).collect();
            format!(
                "value {path}:{:?} type {} data {data}",
                value.name, value.raw_type
            )
        })),
        Err(error) => lines.push(format!("values of {path}: error {error}")),
    }
    if depth >= MAX_DEPTH {
        lines.push(format!("{path}: too deep"));
        return;
    }
    match key.subkeys() {
        Ok(subkeys) => {
            for subkey in subkeys {
                let name = subkey.name().unwrap_or_else(|e| format!("<{e}>"));
                walk(&subkey, format!("{path}\\{name}"), depth + 1, lines);
            }
        }
        Err(error) => lines.push(format!("subkeys of {path}: error {error}")),
    }
}

/// Asserts two trees are equal, reporting the first difference rather than both trees.
pub fn assert_same_tree(label: &str, ours: &[String], theirs: &[String]) {
    let first_difference = ours.iter().zip(theirs).position(|(a, b)| a != b);
    if let Some(at) = first_difference {
        panic!(
            "{label}: trees differ at line {at}:\n ours:   {}\n theirs: {}",
            ours[at], theirs[at]
        );
    }
    assert_eq!(ours.len(), theirs.len(), "{label}: trees differ in length");
}

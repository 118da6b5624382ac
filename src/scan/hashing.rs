//! Hashing evidence (`--hash`): the SHA-256 of every regular file a scan lists, computed in
//! parallel, one file per task, so the `sha256` column of `hives.csv` can be checked against
//! the collection's own hash list.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::discovery::{Collection, DiscoveredHive, OtherStatus};
use crate::source::Evidence;

/// SHA-256 digests by the path shown in reports; files that cannot be read are left out.
pub type Digests = HashMap<String, String>;

/// Hashes every hive, log and other regular file of `collection` in parallel on the current
/// rayon pool.
pub fn hash_collection(collection: &Collection) -> Digests {
    files(collection)
        .into_par_iter()
        .filter_map(|evidence| {
            let digest = evidence.sha256().ok()?;
            Some((evidence.display_path(), digest))
        })
        .collect()
}

/// Every regular file of `collection`: hives with their logs, and other files that were read.
fn files(collection: &Collection) -> Vec<Evidence> {
    let machine_hives = collection.machines.iter().flat_map(|machine| {
        let users = machine.users.iter().map(|user| &user.hive);
        machine
            .system
            .iter()
            .chain(&machine.software)
            .chain(users)
            .chain(&machine.others)
    });
    let unplaced = collection.unplaced.iter().map(|user| &user.hive);
    let hives = machine_hives
        .chain(unplaced)
        .map(|hive: &DiscoveredHive| &hive.evidence);
    let others = collection
        .other_files
        .iter()
        .filter(|file| matches!(file.status, OtherStatus::Log { .. } | OtherStatus::NotHive))
        .map(|file| file.evidence.clone());
    hives.cloned().chain(others).collect()
}

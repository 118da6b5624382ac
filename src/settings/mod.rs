//! The settings catalogue: every registry value hiveaudit reads, defined once.
//!
//! A [`Setting`] names its hive, key path, value, how to decode it, what it means and where
//! that is documented. [`extract()`] reads every setting of a hive's kind and returns one
//! [`Observation`] per setting looked up, present or not; [`facts`] condenses observations into
//! the machine and user facts the rules reason about; [`profiles`] reads the Outlook MAPI
//! profiles of a user hive and [`zonemap`] its site-to-zone assignments, all through one
//! [`keys::KeyCache`] per hive, which looks each key up once. `settings.csv` and the docs are
//! derived from the same definitions.

pub mod catalogue;
pub mod connection;
pub mod decode;
pub mod extract;
pub mod facts;
pub mod keys;
pub mod profiles;
pub mod zonemap;

pub use catalogue::{CATALOGUE, Setting, ValueKind};
pub use decode::Decoded;
pub use extract::{Extraction, Lookup, Observation, extract};
pub use facts::{Effective, LmOrigin, MachineFacts, Origin, OsFamily, Role, UserFacts};
pub use profiles::{Account, Profile, ProfileRoot};

//! Hives as bytes: the base block, safe lookups over nt-hive, and what kind of hive a file is.
//!
//! Everything here works on a byte slice (a memory map or a recovered copy), so the same code
//! serves plain files today and disk images later.

pub mod base_block;
pub mod filetime;
pub mod kind;
pub mod pages;
pub mod pattern;
pub mod reader;

pub use base_block::{BaseBlock, BaseBlockError, FileType};
pub use kind::{DetectedBy, HiveKind};
pub use pages::PagedHive;
pub use pattern::NamePattern;
pub use reader::{HiveBytes, HiveError, HiveResult, HiveView, Key, Value, ValueIndex, guarded};

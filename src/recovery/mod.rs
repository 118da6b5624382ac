//! Transaction-log recovery: replaying `.LOG`/`.LOG1`/`.LOG2` onto a dirty hive's bytes, as
//! Windows does, before any key is read.

pub mod command;

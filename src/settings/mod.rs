//! The settings catalogue: every registry value hiveaudit reads, defined once.

//! The reports: rows, CSV and JSON Lines writers, atomic output.

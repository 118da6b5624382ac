//! The scan pipeline: discover, load and recover, extract, evaluate, report.

//! The `hiveaudit` command: everything it does lives in the library.

fn main() {
    std::process::exit(hiveaudit::cli::run());
}

//! The `alliance` binary: parse arguments and hand over to the library.

fn main() {
    std::process::exit(alliance::cli::run());
}

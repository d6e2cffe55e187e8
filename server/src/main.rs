//! `tco`: see `tco --help`.

fn main() -> std::process::ExitCode {
    tco_server::cli::main()
}

//! The binary only wires the command line to the library.

fn main() -> std::process::ExitCode {
    sanctuary::cli::main()
}

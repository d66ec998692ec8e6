fn main() -> std::process::ExitCode {
    shiftdeck::cli::main()
}

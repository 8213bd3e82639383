//! The `lanyard` binary: parse, run, exit with the code of SPEC §2; nothing else.

fn main() {
    std::process::exit(lanyard::commands::main());
}

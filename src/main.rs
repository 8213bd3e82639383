fn main() {
    std::process::exit(lanyard::commands::main());
}

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    lanyard::fuzzing::server_text(data);
});

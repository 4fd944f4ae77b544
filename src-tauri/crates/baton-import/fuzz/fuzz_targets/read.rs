//! Arbitrary bytes through the importer's reader (encoding, sniffing, CSV) and preview:
//! they must return rows or an error, never panic or run away with memory.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = baton_import::read_rows("fuzz.csv", data);
    let _ = baton_import::preview_bytes("fuzz.csv", data, &baton_import::ImportOptions::default());
});

use baton_core::BatonError;
use serde::Serialize;

/// Print a value as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), BatonError> {
    let s = serde_json::to_string_pretty(value)
        .map_err(|e| BatonError::internal(format!("serialising output: {e}")))?;
    println!("{s}");
    Ok(())
}

pub fn code_name(e: &BatonError) -> String {
    serde_json::to_value(e.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "internal".into())
}

//! Text a user typed, checked before it goes to PostgreSQL, whose text cannot hold NUL.
use baton_core::{BatonError, Result};

/// Refuse `value` when it holds a NUL character (U+0000), naming `what` and the byte, as
/// the copy does; PostgreSQL would otherwise fail with an encoding error.
pub(crate) fn refuse_nul(what: &str, value: &str) -> Result<()> {
    match value.find('\0') {
        Some(at) => Err(BatonError::invalid(format!(
            "{what}: the text holds a NUL character (U+0000) at byte {at}, which a team \
             workspace (PostgreSQL) cannot store; remove it"
        ))),
        None => Ok(()),
    }
}

use serde::Serialize;
use std::fmt;
use ts_rs::TS;

/// What went wrong, as a stable machine-readable code. The UI branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The thing asked for does not exist.
    NotFound,
    /// Input from the user or a file is malformed; the message says where and what.
    InvalidInput,
    /// The workspace was written by a newer Baton; it was left untouched.
    WorkspaceTooNew,
    /// The file is not a Baton workspace (or is damaged beyond reading).
    NotAWorkspace,
    /// No workspace is open.
    NoWorkspace,
    /// A file's columns match no CRM preset: a preset or an import profile must say how
    /// to read it.
    UnknownFormat,
    /// A month/day order could not be decided from the data; the user must choose.
    AmbiguousDateFormat,
    /// A workbook is protected with a password: it must be saved without one first.
    PasswordProtected,
    /// A partial import would keep aside more than half of the file's rows (the file was
    /// probably not read as intended); nothing was imported. Retry with `force` to import
    /// the rest anyway.
    TooManyRejected,
    /// The operation was cancelled by the user; nothing was changed.
    Cancelled,
    /// The operation conflicts with the current state (e.g. undo order).
    Conflict,
    /// Reading or writing a file failed.
    Io,
    /// Anything else: a bug or an unexpected database failure.
    Internal,
    /// The room does not know this participant secret (join again).
    UnknownParticipant,
    /// The facilitator removed this participant from the room.
    Removed,
    /// Not allowed here (the room is locked to new joins, anonymous items are off, …).
    Forbidden,
    /// The room has as many participants as it admits.
    RoomFull,
}

impl ErrorCode {
    /// Every code, in declaration order. The UI gets this list generated
    /// (`ui/src/lib/bindings/errorCodes.ts`) so it knows every code Rust can send.
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::NotFound,
        ErrorCode::InvalidInput,
        ErrorCode::WorkspaceTooNew,
        ErrorCode::NotAWorkspace,
        ErrorCode::NoWorkspace,
        ErrorCode::UnknownFormat,
        ErrorCode::AmbiguousDateFormat,
        ErrorCode::PasswordProtected,
        ErrorCode::TooManyRejected,
        ErrorCode::Cancelled,
        ErrorCode::Conflict,
        ErrorCode::Io,
        ErrorCode::Internal,
        ErrorCode::UnknownParticipant,
        ErrorCode::Removed,
        ErrorCode::Forbidden,
        ErrorCode::RoomFull,
    ];

    /// The TypeScript module the UI imports: [`ErrorCode::ALL`] as `ERROR_CODES`.
    pub fn typescript() -> String {
        crate::generated::ts_module(
            "baton-core/src/error.rs",
            &["ErrorCode"],
            &[crate::generated::ts_list(
                "Every error code Rust sends, so the UI recognises each one (`ErrorCode::ALL`).",
                "ERROR_CODES",
                "ErrorCode",
                &Self::ALL,
            )],
        )
    }
}

/// The error every Baton operation returns; it crosses to the UI as `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BatonError {
    pub code: ErrorCode,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, BatonError>;

impl BatonError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }
    pub fn cancelled() -> Self {
        Self::new(ErrorCode::Cancelled, "cancelled; nothing was changed")
    }
    pub fn io(context: impl fmt::Display, err: impl fmt::Display) -> Self {
        Self::new(ErrorCode::Io, format!("{context}: {err}"))
    }
}

impl fmt::Display for BatonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BatonError {}

impl From<serde_json::Error> for BatonError {
    fn from(e: serde_json::Error) -> Self {
        Self::invalid(format!("invalid JSON: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ErrorCode::ALL` holds every variant: compared with the union ts-rs derives from
    /// the enum itself, so a new variant missing from the list fails here.
    #[test]
    fn all_lists_every_code() {
        let union = <ErrorCode as TS>::inline(&ts_rs::Config::new());
        let mut from_enum: Vec<String> = union
            .split('|')
            .map(|v| v.trim().trim_matches('"').to_string())
            .collect();
        let mut listed: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| {
                serde_json::to_value(c)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        from_enum.sort();
        listed.sort();
        assert_eq!(listed, from_enum);
    }

    /// Named like ts-rs's export tests so `scripts/check-bindings.sh` regenerates
    /// and drift-checks it with the other bindings.
    #[test]
    fn export_bindings_error_codes() {
        crate::generated::write("errorCodes.ts", &ErrorCode::typescript());
    }
}

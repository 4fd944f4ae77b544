use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use ts_rs::TS;

/// Progress of a long operation (import, report), sent to the UI through a channel.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    /// Short phase name, e.g. "reading", "writing", "typesetting".
    pub phase: String,
    /// Units done so far (bytes, rows…).
    #[ts(type = "number")]
    pub done: u64,
    /// Total units when known.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

/// Callback that core functions call with progress; the shell forwards it to a channel.
pub type ProgressFn<'a> = &'a mut dyn FnMut(Progress);

/// A cancellation flag shared between the UI side and a long-running core function.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

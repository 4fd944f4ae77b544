//! Long-running work (imports, reports): one of each kind runs at a time per service,
//! and any front end can cancel it by kind.
use baton_core::Cancel;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum JobKind {
    Import,
    Report,
}

#[derive(Default)]
pub struct Jobs {
    running: Mutex<HashMap<JobKind, Cancel>>,
}

impl Jobs {
    /// A fresh cancel flag for a new job of `kind` (replacing the last one's).
    pub fn start(&self, kind: JobKind) -> Cancel {
        let cancel = Cancel::new();
        self.running
            .lock()
            .expect("jobs lock")
            .insert(kind, cancel.clone());
        cancel
    }

    /// Cancel the running job of `kind`; false when none was started.
    pub fn cancel(&self, kind: JobKind) -> bool {
        match self.running.lock().expect("jobs lock").get(&kind) {
            Some(c) => {
                c.cancel();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_reaches_the_latest_job_of_its_kind_only() {
        let jobs = Jobs::default();
        assert!(!jobs.cancel(JobKind::Import));
        let first = jobs.start(JobKind::Import);
        let second = jobs.start(JobKind::Import);
        let report = jobs.start(JobKind::Report);
        assert!(jobs.cancel(JobKind::Import));
        assert!(second.is_cancelled());
        assert!(!first.is_cancelled());
        assert!(!report.is_cancelled());
    }
}

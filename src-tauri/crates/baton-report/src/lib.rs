//! baton-report

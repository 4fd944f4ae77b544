//! baton-metrics

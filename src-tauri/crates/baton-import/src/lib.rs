//! baton-import

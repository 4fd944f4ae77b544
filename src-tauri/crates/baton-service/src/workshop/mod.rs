//! Workshop use cases: people, personas and their sign-off, the vocabulary (stages),
//! agreements with definitions, sign-off and blind rounds, the diagnostic, sessions with
//! the decision log and parking lot, action items, dot votes, campaigns and feedback.
//! Each validates, writes through the store and publishes its area on the feed.
pub mod actions;
pub mod agreements;
pub mod campaigns;
pub mod diagnostic;
pub mod people;
pub mod personas;
pub mod sessions;
pub mod vocabulary;
pub mod votes;

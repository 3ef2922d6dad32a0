//! The leaves every stage shares: the reporting month, text helpers, findings and the atomic
//! write. Nothing here knows a sheet kind, a dataset or a stage; it imports nothing of the crate.

pub mod findings;
pub mod period;
pub mod text;
pub mod write;

pub use period::Period;

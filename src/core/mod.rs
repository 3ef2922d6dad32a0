//! The leaves every stage shares: the period of a return, text folding and cell addresses,
//! findings with their codes, the clock, and the atomic write. They import nothing else of the crate.

pub mod clock;
pub mod findings;
pub mod period;
pub mod text;
pub mod write;

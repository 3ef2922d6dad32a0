//! The leaves every stage shares: the period of a return, text folding and cell addresses,
//! findings with their codes, the clock, the atomic write and the Hive layout of the datasets. They import nothing else of the crate.

pub mod clock;
pub mod findings;
pub mod hive;
pub mod part;
pub mod period;
pub mod text;
pub mod write;

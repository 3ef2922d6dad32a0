//! The orchestrator: checks a month, publishes it, answers queries on a publication's datasets.
//! place where the reading, the checks, the figures and the report writers meet the archive.

pub mod companions;
pub mod contents;
pub mod pipeline;
pub mod publish;
pub mod query;
pub mod rebuild;
pub mod rollup;

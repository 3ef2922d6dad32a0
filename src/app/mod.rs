//! The orchestrator: checks a month, publishes it, lists the ledger of a publication. The one
//! place where the reading, the checks, the figures and the report writers meet the archive.

pub mod companions;
pub mod contents;
pub mod ledger;
pub mod pipeline;
pub mod publish;
pub mod rebuild;
pub mod rollup;

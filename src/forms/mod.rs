//! The kinds of sheet a unit sends — the monthly return (`monthly`) and the suggestions
//! ledger (`ledger`) — and the reading of a folder's files into them (`read`).

pub mod ledger;
pub mod monthly;
mod read;
pub mod template;

pub use read::{
    Disposition, FileOutcome, IngestError, hex, ingest_dir, ingest_dir_with, ingest_entry,
};

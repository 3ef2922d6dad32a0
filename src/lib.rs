//! liaison: reads the monthly returns of deputy liaison stations (代表联系群众工作站),
//! checks them, and turns them into the committee's figures.
//!
//! Data flows one way: [`config`] → [`ingest`] (files → returns, with findings) →
//! [`check`] (rules → findings) → reports. The library never prints; the binary renders.

#![warn(missing_docs)]

pub mod archive;
pub mod check;
pub mod config;
pub mod core;
pub mod forms;
pub mod history;
pub mod pipeline;
pub mod report;
pub mod workbook;

//! liaison: reads the monthly returns of deputy liaison stations (代表联系群众工作站),
//! checks them, and turns them into the committee's figures.
//!
//! Data flows one way: [`config`] → [`ingest`] (files → returns, with findings) →
//! [`check`] (rules → findings) → reports. The library never prints; the binary renders.

#![warn(missing_docs)]

pub mod aggregate;
pub mod app;
pub mod archive;
pub mod bundle;
pub mod check;
pub mod config;
pub mod core;
pub mod figures;
pub mod forms;
pub mod history;
pub mod marks;
pub mod receipts;
pub mod render;
pub mod report;
pub mod rollup;
pub mod summary;
pub mod workbook;

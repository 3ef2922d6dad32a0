//! liaison: reads the monthly returns of deputy liaison stations (代表联系群众工作站),
//! checks them, and turns them into the committee's figures.
//!
//! Data flows one way: [`workbook`] (any file → a grid) → [`forms`] (one module per sheet kind:
//! read, check, fold) → [`check`] → [`aggregate`]/[`figures`] (polars) → [`report`] writers, with
//! [`app`] the one orchestrator and [`archive`] the store of the named [`datasets`].
//! docs/模块结构.md draws it. The library never prints; the binary renders.

#![warn(missing_docs)]

pub mod aggregate;
pub mod app;
pub mod archive;
pub mod bundle;
pub mod check;
pub mod config;
pub mod core;
pub mod datasets;
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

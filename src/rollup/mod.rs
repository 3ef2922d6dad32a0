//! The roll-up (汇总各县市区): the bundles of the counties below, verified (`bundle`), turned
//! into rows by tier (`rows`) and published like a month by `app::rollup` (`liaison rollup`).

pub mod briefing;
pub mod rows;

pub use rows::{Rows, Unusable, key_of, rows};

//! A counted file's totals, kept compact (one number per metric, the ids shared by every
//! file) and written as the JSON object of `check --format json`.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::config::Config;

/// Each metric's total in config order, then `deputies_total`.
///
/// ```
/// use liaison::{check::Totals, config::Config};
/// let c = Config::embedded();
/// let mut v = vec![0; c.metrics.len() + 1];
/// v[5] = 7;
/// let t = Totals::new(Totals::ids(&c), v);
/// assert_eq!(t.get(&c.metrics[5].id), Some(7));
/// assert_eq!(t.get("deputies_total"), Some(0));
/// assert!(serde_json::to_string(&t).unwrap().starts_with("{\"deputies_national\":0,"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    ids: Arc<[String]>,
    values: Box<[u64]>,
}

impl Totals {
    /// The metric ids of a config and `deputies_total`: made once, shared by every file.
    pub fn ids(config: &Config) -> Arc<[String]> {
        config.figure_ids()
    }

    /// Totals for `values` in the order of `ids` (from [`Totals::ids`]).
    pub fn new(ids: Arc<[String]>, values: Vec<u64>) -> Totals {
        Totals {
            ids,
            values: values.into_boxed_slice(),
        }
    }

    /// The total of one metric id (or `deputies_total`).
    pub fn get(&self, id: &str) -> Option<u64> {
        let i = self.ids.iter().position(|x| x == id)?;
        self.values.get(i).copied()
    }

    /// The totals as a JSON object (ids in config order).
    pub fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        self.ids
            .iter()
            .zip(&self.values)
            .map(|(k, v)| (k.clone(), (*v).into()))
            .collect()
    }
}

impl Serialize for Totals {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.values.len()))?;
        for (k, v) in self.ids.iter().zip(&self.values) {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

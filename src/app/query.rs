//! A published month's partition of one dataset as a query command reads it (`liaison ledger`):
//! the latest or a named month, checked against its manifest, errors that say what to do.

use std::path::Path;

use crate::archive::verify::{dataset_problems, publications};
use crate::archive::{Manifest, Spec, swap};
use crate::config::Config;
use crate::core::hive;
use crate::core::text::Period;
use crate::history::HistoryError;

/// Why a published month's partition cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// Nothing published in the output folder.
    #[error(
        "{0} 中还没有任何发布：请先运行 liaison report 发布月份，或用 --output 指定发布所在的文件夹"
    )]
    NothingPublished(String),
    /// The month asked for is not published.
    #[error("{0} 没有发布：已发布的月份有 {1}")]
    NotPublished(Period, String),
    /// Published by a version that did not keep this dataset.
    #[error("{0} 发布时还没有{1}：如需要，请用 liaison report --period {0} --force 重新发布该月")]
    NotKept(Period, &'static str),
    /// An interrupted publication is pending.
    #[error("{0} 中有一次未完成的发布：请先运行 liaison archive verify（会自动完成它）再查询")]
    Interrupted(String),
    /// The partition does not agree with the manifest or cannot be read.
    #[error("{label} {path} {what}：请{repair}")]
    Damaged {
        /// The dataset's label (台账数据 …).
        label: &'static str,
        /// The file.
        path: String,
        /// What is wrong.
        what: String,
        /// What to do.
        repair: String,
    },
    /// No such unit in the config.
    #[error("没有“{0}”这个单位：请用配置中的单位代码或名称，如 {1}")]
    UnknownUnit(String, String),
}

/// The unit id of an id or a name of the config.
pub fn unit_id(config: &Config, s: &str) -> Result<String, QueryError> {
    config
        .units
        .iter()
        .find(|u| u.id == s || u.name == s)
        .map(|u| u.id.clone())
        .ok_or_else(|| {
            let some: Vec<String> = config
                .units
                .iter()
                .take(3)
                .map(|u| format!("{}({})", u.id, u.name))
                .collect();
            QueryError::UnknownUnit(s.to_string(), some.join("、"))
        })
}

/// `period`'s publication (default: the latest) of the dataset `spec` (`what` it holds, for
/// messages: 意见建议办理台账数据), its partition checked against the manifest and read by
/// `read`.
pub fn load<T>(
    output: &Path,
    period: Option<Period>,
    (spec, what): (&Spec, &'static str),
    read: impl FnOnce(&Path) -> Result<T, HistoryError>,
) -> Result<(Period, T), QueryError> {
    let shown = output.display().to_string();
    if output.join(swap::INTENT).exists() {
        return Err(QueryError::Interrupted(shown));
    }
    let pubs = publications(output);
    let Some(latest) = pubs.last().map(|p| p.0) else {
        return Err(QueryError::NothingPublished(shown));
    };
    let period = period.unwrap_or(latest);
    let Some((_, dir)) = pubs.iter().find(|p| p.0 == period) else {
        let list: Vec<String> = pubs.iter().map(|p| p.0.to_string()).collect();
        return Err(QueryError::NotPublished(period, list.join("、")));
    };
    let part = hive::partition_file(&hive::dataset_dir(output, spec.name), period);
    let damaged = |what: String, repair: String| QueryError::Damaged {
        label: spec.label,
        path: part.display().to_string(),
        what,
        repair,
    };
    let m = Manifest::read(dir).map_err(|why| {
        damaged(
            why.to_string(),
            format!("运行 liaison report --period {period} --force 重新发布该月"),
        )
    })?;
    if m.dataset(spec.name).is_none() {
        return Err(QueryError::NotKept(period, what));
    }
    if let Some(x) = dataset_problems(output, spec, false)
        .into_iter()
        .find(|x| x.path == part)
    {
        return Err(damaged(x.what, x.repair));
    }
    let value = read(&part).map_err(|e| {
        damaged(
            e.why,
            format!("运行 liaison archive rebuild --period {period} 重建"),
        )
    })?;
    Ok((period, value))
}

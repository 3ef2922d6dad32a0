//! Period summaries (季度、半年、全年 and any range of months): the published months of the
//! archive read under its lock, changing nothing, summed and written to `summaries/<label>/`.

pub mod briefing;
pub mod charts;
pub mod cover;
pub mod figures;
pub mod manifest;
pub mod read;
pub mod receipts;
pub mod span;
pub mod workbook;
mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::archive::ArchiveError;
use crate::config::Config;
use crate::core::text::Period;
use crate::forms::SpanParts;
use cover::{LogState, MonthCover, Role};
use figures::{Builder, MonthPoint, Total, UnitSummary, Yoy};
use read::Publication;
pub use span::{Span, SpanError};

/// How to summarise.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Write the summary although months of the span are not published (marked 初步).
    pub allow_partial: bool,
    /// Replace an earlier summary of the span (kept as `<label>.replaced-N`).
    pub force: bool,
    /// Returns due on this day of the following month (`[schedule] due_day`); None: on time is
    /// not said.
    pub due_day: Option<u32>,
}

/// What a summary run did.
#[derive(Debug)]
pub enum Outcome {
    /// Written into `dir`.
    Written {
        /// `summaries/<label>/`.
        dir: PathBuf,
        /// Marked 初步.
        preliminary: bool,
        /// Where the earlier summary was kept, when replaced.
        replaced: Option<PathBuf>,
        /// Months of the span not published (only with `allow_partial`).
        missing: Vec<Period>,
    },
    /// Months of the span are not published and no `allow_partial`.
    Unpublished(Vec<Period>),
    /// No month of the span is published.
    NothingPublished(Vec<Period>),
    /// Already written and no `force`.
    AlreadyWritten(PathBuf),
}

/// Why a summary could not be made (nothing of the archive is changed by any of them).
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    /// The archive is busy, damaged, of another region, or a file could not be written.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A publication was interrupted and not yet completed.
    #[error(
        "档案中有一次未完成的发布（{0}）：请先运行 liaison archive verify 完成它，再汇总；本次没有改动任何文件"
    )]
    Interrupted(String),
    /// polars failed.
    #[error("汇总计算失败：{0}")]
    Polars(#[from] polars::prelude::PolarsError),
    /// A report file (workbook, charts, briefing) could not be written.
    #[error("生成汇总失败：{0}")]
    Report(#[from] crate::report::ReportError),
}

/// One unit's 报送考核 over the span's published months.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitAssessment {
    /// Unit id.
    pub unit_id: String,
    /// Name as configured.
    pub name: String,
    /// Months due: the span's published months.
    pub due: usize,
    /// Months counted.
    pub counted: usize,
    /// Months left out, each with its reason.
    pub left_out: Vec<(Period, String)>,
    /// From the receipt log, over the months that kept one; None when no month did.
    pub record: Option<receipts::Record>,
}

/// 报送考核.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Per configured unit, in config order.
    pub units: Vec<UnitAssessment>,
    /// Published months with a receipt log.
    pub logged: Vec<Period>,
    /// Published months without one (or with one that cannot be read).
    pub not_logged: Vec<Period>,
    /// The due day in force.
    pub due_day: Option<u32>,
}

/// Everything a summary's writers need.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The months.
    pub span: Span,
    /// Metric ids in config order, then `deputies_total`: the index of every vector of figures.
    pub ids: Vec<String>,
    /// Ids with a units × months series: `deputies_total` and the first headline metric.
    pub tracked: Vec<String>,
    /// Each month of the span.
    pub months: Vec<MonthCover>,
    /// The previous year's months used for 同比.
    pub previous: Vec<MonthCover>,
    /// The region over the span, one total per id.
    pub county: Vec<Total>,
    /// Each unit over the span.
    pub units: Vec<UnitSummary>,
    /// The region in each published month.
    pub by_month: Vec<MonthPoint>,
    /// 同比.
    pub yoy: Yoy,
    /// Each companion kind over the span.
    pub companions: SpanParts,
    /// 报送考核.
    pub assessment: Assessment,
}

impl Summary {
    /// The index of a metric id (or `deputies_total`) in every vector of figures.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|x| x == id)
    }

    /// `2022年上半年`.
    pub fn label(&self) -> String {
        self.span.label()
    }

    /// Months of the span not published.
    pub fn missing(&self) -> Vec<Period> {
        let gone = self.months.iter().filter(|m| m.published.is_none());
        gone.map(|m| m.period).collect()
    }

    /// Published months of the span.
    pub fn published(&self) -> usize {
        self.months.iter().filter(|m| m.published.is_some()).count()
    }

    /// 初步: a month of the span is not published, or was published 初步.
    pub fn preliminary(&self) -> bool {
        self.months
            .iter()
            .any(|m| m.published.as_ref().is_none_or(|p| p.preliminary))
    }
}

/// The ids of the config and the indexes of the tracked ones.
fn ids(config: &Config) -> (Vec<String>, Vec<usize>) {
    let ids = crate::check::Totals::ids(config).to_vec();
    let first = config.headline_metrics().next().map(|m| m.id.clone());
    let tracked = ["deputies_total".to_string()]
        .into_iter()
        .chain(first)
        .filter_map(|id| ids.iter().position(|x| *x == id))
        .collect();
    (ids, tracked)
}

fn publications(
    output: &Path,
    months: &[Period],
    config: &Config,
) -> Result<Vec<Option<Publication>>, SummaryError> {
    months
        .iter()
        .map(|p| read::publication(output, *p, config))
        .collect()
}

/// Reads the span's published months (and for 同比 the previous year's, when all of them are
/// published) one at a time, with their receipt logs and the companion kinds' datasets at the
/// last one.
pub fn collect(
    output: &Path,
    span: Span,
    config: &Config,
    due_day: Option<u32>,
) -> Result<Summary, SummaryError> {
    let (ids, tracked) = ids(config);
    let months = span.months();
    let pubs = publications(output, &months, config)?;
    let before = span.previous_year().map(|s| s.months()).unwrap_or_default();
    let prev_pubs = publications(output, &before, config)?;
    let unpublished: Vec<Period> = (before.iter().zip(&prev_pubs))
        .filter(|(_, p)| p.is_none())
        .map(|(m, _)| *m)
        .collect();
    let yoy = !before.is_empty() && unpublished.is_empty();
    let mut b = Builder::new(config, &ids, &tracked, &months, yoy);
    let (mut covers, mut previous) = (Vec::new(), Vec::new());
    let mut records = HashMap::new();
    let mut last = None;
    for (k, p) in months.iter().enumerate() {
        let Some(pb) = &pubs[k] else {
            b.skip_month();
            covers.push(MonthCover {
                period: *p,
                role: Role::Current,
                published: None,
            });
            continue;
        };
        let rows = read::unit_rows(output, pb, config)?;
        let prev = match prev_pubs.get(k).and_then(Option::as_ref).filter(|_| yoy) {
            Some(q) => {
                let rows = read::unit_rows(output, q, config)?;
                let cover = cover::published(q, &rows, &ids, config, None);
                previous.push(MonthCover {
                    period: q.period,
                    role: Role::PreviousYear,
                    published: Some(cover),
                });
                Some(rows)
            }
            None => None,
        };
        let log = match receipts::read_month(output, *p) {
            receipts::Log::Kept(v, sha) => {
                receipts::add_month(&mut records, &v, pb, due_day);
                LogState::Kept(sha)
            }
            receipts::Log::NotKept => LogState::NotKept,
            receipts::Log::Unreadable(why) => LogState::Unreadable(why),
        };
        let cover = cover::published(pb, &rows, &ids, config, Some(log));
        covers.push(MonthCover {
            period: *p,
            role: Role::Current,
            published: Some(cover),
        });
        b.add_month(*p, &rows, prev.as_deref());
        last = Some(pb);
    }
    let companions = match last {
        None => SpanParts::no_month(),
        Some(pb) => {
            let kept = read::companion_parts(output, pb)?;
            SpanParts::summarise(&kept, (span.first, span.last), pb.period, config)
                .map_err(|e| read::unreadable(e, pb.period))?
        }
    };
    let county = b.county.clone();
    let by_month = std::mem::take(&mut b.by_month);
    let (units, compared) = b.finish();
    let assessment = assess(config, &covers, &units, records, due_day);
    Ok(Summary {
        span,
        tracked: tracked.iter().map(|&i| ids[i].clone()).collect(),
        ids,
        months: covers,
        previous,
        county,
        units,
        by_month,
        yoy: compared.unwrap_or(Yoy::NotPublished(unpublished)),
        companions,
        assessment,
    })
}

fn assess(
    config: &Config,
    covers: &[MonthCover],
    units: &[UnitSummary],
    records: HashMap<String, receipts::Record>,
    due_day: Option<u32>,
) -> Assessment {
    let published: Vec<&MonthCover> = covers.iter().filter(|m| m.published.is_some()).collect();
    let (logged, not_logged): (Vec<&MonthCover>, Vec<&MonthCover>) =
        published.iter().partition(|m| {
            matches!(
                m.published.as_ref().and_then(|p| p.log.as_ref()),
                Some(LogState::Kept(_))
            )
        });
    let counted: HashMap<&str, usize> = units
        .iter()
        .map(|s| (s.unit_id.as_str(), s.months.len()))
        .collect();
    let units = config
        .units
        .iter()
        .map(|u| UnitAssessment {
            unit_id: u.id.clone(),
            name: u.name.clone(),
            due: published.len(),
            counted: counted.get(u.id.as_str()).copied().unwrap_or(0),
            left_out: published
                .iter()
                .filter_map(|m| {
                    let l = m
                        .published
                        .as_ref()?
                        .left_out
                        .iter()
                        .find(|l| l.unit_id == u.id)?;
                    Some((m.period, l.why.clone()))
                })
                .collect(),
            record: (!logged.is_empty()).then(|| records.get(&u.id).cloned().unwrap_or_default()),
        })
        .collect();
    Assessment {
        units,
        logged: logged.iter().map(|m| m.period).collect(),
        not_logged: not_logged.iter().map(|m| m.period).collect(),
        due_day,
    }
}

/// Makes the summary of `span`: refused (exit 1) when a month of it is not published and not
/// `allow_partial`, or when it was written before and not `force`. The archive is locked for
/// the run and nothing of it is changed; the summary is built aside and renamed into place.
pub fn run(
    output: &Path,
    span: Span,
    config: &Config,
    config_origin: (&str, &str),
    opts: &Options,
) -> Result<Outcome, SummaryError> {
    let months = span.months();
    if !output.is_dir() {
        return Ok(Outcome::NothingPublished(months));
    }
    let _lock = crate::archive::lock::acquire(output)?;
    let intent = output.join(crate::archive::swap::INTENT);
    if intent.exists() {
        return Err(SummaryError::Interrupted(intent.display().to_string()));
    }
    write::clear_own_leftovers(output);
    let target = read::summaries_dir(output).join(span.label());
    if target.exists() && !opts.force {
        return Ok(Outcome::AlreadyWritten(target));
    }
    let missing: Vec<Period> = months
        .iter()
        .copied()
        .filter(|p| !output.join(p.to_string()).is_dir())
        .collect();
    if missing.len() == months.len() {
        return Ok(Outcome::NothingPublished(missing));
    }
    if !missing.is_empty() && !opts.allow_partial {
        return Ok(Outcome::Unpublished(missing));
    }
    let summary = collect(output, span, config, opts.due_day)?;
    let replaced = write::write(output, &summary, config, config_origin, &target)?;
    Ok(Outcome::Written {
        dir: target,
        preliminary: summary.preliminary(),
        replaced,
        missing: summary.missing(),
    })
}

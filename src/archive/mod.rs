//! The archive: one writer at a time (`lock`), a month published as its publication folder and
//! its history and ledger partitions changed together (`swap`), checked and repaired against manifests (`verify`).

mod lock;
pub mod manifest;
mod parts;
pub mod swap;
pub mod verify;

use std::path::{Path, PathBuf};

use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::check::Checked;
use crate::config::Config;
use crate::core::Period;
use crate::forms::hex;
use crate::forms::ledger;
use crate::forms::monthly::aggregate::{self, FiguresError};
use crate::history;
pub use manifest::{FileEntry, Manifest, ManifestError, RegionStamp};
use parts::{Contents, Leftovers, copy_returns, free_name, long_text, stage, write_reports};
pub use swap::{Hooks, Step};
pub use verify::{Problem, Rebuilt, Row};

/// How to publish.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Publish despite errors, marked 初步 (preliminary).
    pub allow_partial: bool,
    /// Replace an existing publication (the earlier one is kept, renamed aside).
    pub force: bool,
}

/// What a publish did.
#[derive(Debug)]
pub enum Outcome {
    /// Published into `dir`.
    Published {
        /// The publication folder.
        dir: PathBuf,
        /// Marked 初步.
        preliminary: bool,
        /// Where the earlier publication was kept, when replaced.
        replaced: Option<PathBuf>,
        /// Text shortened in the workbook (kept whole in the history).
        warnings: Vec<String>,
    },
    /// Errors among the findings and no `--allow-partial`.
    RefusedErrors,
    /// Already published and no `--force`.
    AlreadyPublished(PathBuf),
}

/// Why the archive could not be used or changed (nothing published is changed by any of them).
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Another run holds the lock.
    #[error(
        "另一个发布正在进行(输出文件夹 {output} 已被占用):请等它结束后再运行;本次没有改动任何文件"
    )]
    Busy {
        /// The output folder.
        output: String,
    },
    /// Input and output folders overlap.
    #[error(
        "输出文件夹 {output} 与报表文件夹 {input} 重叠(相同或一个在另一个里面):请用 --output 指定报表文件夹以外的文件夹;本次没有改动任何文件"
    )]
    Overlap {
        /// The returns folder.
        input: String,
        /// The output folder.
        output: String,
    },
    /// The output holds another region's archive.
    #[error(
        "输出文件夹 {output} 中已有{existing}的档案,不能混入{ours}的数据:请用 --output 指定另一个文件夹(例如 --output output-{ours})"
    )]
    OtherRegion {
        /// The output folder.
        output: String,
        /// Region of the archive.
        existing: String,
        /// Region of the config.
        ours: String,
    },
    /// A file of the archive does not agree with its manifest or cannot be read.
    #[error("档案文件 {path} 有问题:{why}。请{repair};运行 liaison archive verify 可查看整个档案")]
    Damaged {
        /// The file.
        path: String,
        /// What is wrong.
        why: String,
        /// What to do.
        repair: String,
    },
    /// A month with no publication to rebuild from.
    #[error("{0} 没有发布,也没有历史分区:无需重建")]
    NotPublished(String),
    /// The rebuilt partition is not the one the manifest names.
    #[error("{0}")]
    RebuildMismatch(String),
    /// An interrupted publication could not be completed.
    #[error("{0}")]
    Interrupted(String),
    /// The returns kept in a publication could not be read.
    #[error("读取发布中保存的报表失败:{0}")]
    Ingest(#[from] crate::forms::IngestError),
    /// A file could not be written or renamed.
    #[error("写入 {path} 失败:{source}")]
    Io {
        /// What.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// polars failed.
    #[error("汇总计算失败:{0}")]
    Polars(#[from] PolarsError),
    /// A report file (workbook, charts, briefing) could not be written.
    #[error("生成报表失败:{0}")]
    Report(#[from] crate::report::ReportError),
}

impl From<FiguresError> for ArchiveError {
    fn from(e: FiguresError) -> Self {
        match e {
            FiguresError::Polars(e) => ArchiveError::Polars(e),
            FiguresError::History(h) => ArchiveError::Damaged {
                path: h.path.display().to_string(),
                why: h.why,
                repair: "运行 liaison archive rebuild --period <该月> 从该月发布中保存的报表重建"
                    .into(),
            },
        }
    }
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.display().to_string(),
        source,
    }
}

pub(crate) fn parse_period(s: &str) -> Result<Period, ArchiveError> {
    Period::parse_canonical(s)
        .ok_or_else(|| ArchiveError::Interrupted(format!("档案记录的月份“{s}”无法识别")))
}

pub use crate::report::Writer;

/// `path` made absolute and free of `..` and symlinks as far as it exists.
fn canonical(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut base = abs.as_path();
    loop {
        if let Ok(c) = base.canonicalize() {
            return rest.iter().rev().fold(c, |p: PathBuf, r| p.join(r));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return abs,
        }
    }
}

/// Refuses an output folder equal to, inside or around an input folder.
pub fn check_overlap(input: &Path, output: &Path) -> Result<(), ArchiveError> {
    let (i, o) = (canonical(input), canonical(output));
    if i.starts_with(&o) || o.starts_with(&i) {
        return Err(ArchiveError::Overlap {
            input: input.display().to_string(),
            output: output.display().to_string(),
        });
    }
    Ok(())
}

/// The archive in an output folder, locked for this run; an interrupted swap completed and
/// the leftovers of crashed runs cleared on opening.
#[derive(Debug)]
pub struct Archive {
    output: PathBuf,
    hooks: Hooks,
    _lock: lock::Lock,
    /// The period of an interrupted publication completed on opening.
    pub recovered: Option<String>,
    /// Leftovers of crashed runs deleted on opening.
    pub cleared: Vec<PathBuf>,
}

impl Archive {
    /// Locks `output` (creating it), completes an interrupted swap and clears leftovers.
    pub fn open(output: &Path) -> Result<Archive, ArchiveError> {
        Archive::open_with(output, Hooks::default())
    }

    /// [`Archive::open`] with test hooks.
    #[doc(hidden)]
    pub fn open_with(output: &Path, hooks: Hooks) -> Result<Archive, ArchiveError> {
        let lock = lock::acquire(output)?;
        let recovered = swap::recover(output)?.map(|i| i.period);
        let cleared = swap::clear_leftovers(output)?;
        Ok(Archive {
            output: output.to_path_buf(),
            hooks,
            _lock: lock,
            recovered,
            cleared,
        })
    }

    /// The output folder.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Every history and ledger partition against its manifest (see
    /// [`verify::history_problems`], [`verify::ledger_problems`]).
    pub fn problems(&self) -> Vec<Problem> {
        let mut v = verify::history_problems(&self.output);
        v.extend(verify::ledger_problems(&self.output));
        v
    }

    /// Every publication and partition against its manifest.
    pub fn verify(&self) -> Vec<Row> {
        verify::verify(&self.output)
    }

    /// Rebuilds a month's partition from the returns kept in its publication.
    pub fn rebuild(
        &self,
        period: Period,
        config: &Config,
        config_text: &str,
    ) -> Result<Rebuilt, ArchiveError> {
        verify::rebuild(&self.output, period, config, config_text, &self.hooks)
    }

    /// Refuses a config of another region than the archive's publications.
    pub fn check_region(&self, config: &Config) -> Result<(), ArchiveError> {
        for (_, dir) in verify::publications(&self.output) {
            let Ok(m) = Manifest::read(&dir) else {
                continue;
            };
            if let Some(r) = m.region.filter(|r| r.name != config.region.name) {
                return Err(ArchiveError::OtherRegion {
                    output: self.output.display().to_string(),
                    existing: r.name,
                    ours: config.region.name.clone(),
                });
            }
        }
        Ok(())
    }

    /// Refuses an archive of another region, or one whose history or ledger partitions do not
    /// agree with their manifests (the first problem found, with what to do).
    pub fn refuse_unsound(&self, config: &Config) -> Result<(), ArchiveError> {
        self.check_region(config)?;
        match self.problems().into_iter().next() {
            Some(p) => Err(ArchiveError::Damaged {
                path: p.path.display().to_string(),
                why: p.what,
                repair: p.repair,
            }),
            None => Ok(()),
        }
    }

    /// Publishes a checked period: builds everything under temporary names, then swaps the
    /// history partition and the publication in together.
    pub fn publish(
        &self,
        checked: &Checked,
        config: &Config,
        config_origin: (&str, &str),
        opts: &Options,
        writers: &[Box<Writer>],
    ) -> Result<Outcome, ArchiveError> {
        let report = &checked.report;
        let preliminary = report.has_errors();
        if preliminary && !opts.allow_partial {
            return Ok(Outcome::RefusedErrors);
        }
        let target = self.output.join(report.period.to_string());
        if target.exists() && !opts.force {
            return Ok(Outcome::AlreadyPublished(target));
        }
        self.refuse_unsound(config)?;
        let contents = self.contents(checked, config)?;
        let aside = target
            .exists()
            .then(|| free_name(&self.output, report.period.to_string()));
        let intent = self.build(checked, config, config_origin, writers, &contents, &aside)?;
        if let Err(e) = swap::commit(&self.output, &intent, &self.hooks) {
            // The intent is on disk: complete the swap now, or leave it to the next run.
            return Err(match swap::recover(&self.output) {
                Ok(_) => e,
                Err(_) => ArchiveError::Interrupted(format!(
                    "{e}。发布未完成,下次运行 liaison report 或 liaison archive verify 时会自动完成"
                )),
            });
        }
        Ok(Outcome::Published {
            dir: target,
            preliminary,
            replaced: aside,
            warnings: contents.warnings,
        })
    }

    /// The month's figures (over the history), its ledger state (last month's updated by the
    /// returns), and the bytes of both partitions. The ledger does not depend on the figures:
    /// it is brought up to date on a thread of its own while polars sums the history.
    fn contents(&self, checked: &Checked, config: &Config) -> Result<Contents, ArchiveError> {
        let period = checked.report.period;
        let (figures, ledger) = std::thread::scope(|s| {
            let ledger = s.spawn(|| -> Result<_, ArchiveError> {
                let previous = ledger::store::previous_items(&self.output, period)
                    .map_err(FiguresError::History)?;
                let state = ledger::store::month_state(
                    checked
                        .companions()
                        .filter_map(|(u, sha, c)| Some((u, sha, c.ledger.as_ref()?))),
                    checked.report.period,
                    config,
                    &previous,
                );
                let bytes = ledger::store::parquet_bytes(&state.items)?;
                Ok((state, bytes))
            });
            let history = self.output.join("history");
            let figures = aggregate::figures(period, &checked.counted, config, &history);
            let ledger = ledger
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (figures, ledger)
        });
        let figures = figures?;
        let (ledger_state, ledger) = ledger?;
        Ok(Contents {
            ledger_state,
            warnings: long_text(&figures.stations, &checked.report),
            history: history::parquet_bytes(&figures.stations)?,
            ledger,
            figures,
        })
    }

    /// Builds the publication (returns, report files, manifest) and both partitions under
    /// temporary names, synced; the intent that swaps them in. Removed again on failure.
    fn build(
        &self,
        checked: &Checked,
        config: &Config,
        config_origin: (&str, &str),
        writers: &[Box<Writer>],
        contents: &Contents,
        aside: &Option<PathBuf>,
    ) -> Result<swap::Intent, ArchiveError> {
        let (output, report) = (&self.output, &checked.report);
        let tag = format!("{}-{}", report.period, std::process::id());
        let building = output.join(format!(".building-{tag}"));
        let staging = format!(".staging-{tag}");
        let staged = output.join("history").join(&staging);
        let ledger_staged = ledger::store::dir(output).join(&staging);
        let mut guard = Leftovers(vec![
            building.clone(),
            staged.clone(),
            ledger_staged.clone(),
        ]);
        std::fs::create_dir(&building).map_err(io(&building))?;
        self.hooks.reached(Step::BuildingCreated);
        // The archive's own files (the returns copied, both partitions staged and synced) are
        // written on a thread of their own, mostly waiting on the disk, while the report
        // writers run on the rayon pool. Errors keep the order of a sequential build.
        let (copied, staged_parts, written) = std::thread::scope(|s| {
            let files = s.spawn(|| {
                let copied = copy_returns(report, &building.join("returns"));
                let staged = copied.is_ok().then(|| {
                    stage(&staged, &contents.history)?;
                    stage(&ledger_staged, &contents.ledger)
                });
                (copied, staged)
            });
            let written = write_reports(writers, contents, report, config, &building);
            let (copied, staged) = files
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (copied, staged, written)
        });
        copied?;
        written?;
        staged_parts.unwrap_or(Ok(()))?;
        // Every file of the publication on the disk before the manifest names it.
        swap::sync_tree(&building)?;
        let rel = |p: &Path| p.strip_prefix(output).unwrap_or(p).display().to_string();
        let entry = |dir: &str, bytes: &[u8]| FileEntry {
            path: format!("{dir}/period={}/{}", report.period, history::PART),
            sha256: hex(&Sha256::digest(bytes)),
        };
        let (history_entry, ledger_entry) = (
            entry("history", &contents.history),
            entry(ledger::store::DIR, &contents.ledger),
        );
        let m = manifest::build(
            report,
            config_origin,
            config,
            &building,
            (history_entry, ledger_entry.clone()),
            aside.as_deref().map(rel),
        )?;
        let text = serde_json::to_string_pretty(&m).unwrap_or_default() + "\n";
        let mpath = building.join("manifest.json");
        crate::core::write::atomic(&mpath, text.as_bytes()).map_err(io(&mpath))?;
        swap::sync_dir(&building);
        self.hooks.reached(Step::Built);
        guard.0.clear();
        Ok(swap::Intent {
            period: report.period.to_string(),
            building: Some(rel(&building)),
            staging: staging.clone(),
            aside: aside.as_deref().map(rel),
            trash: format!(".trash-{tag}"),
            manifest_sha256: hex(&Sha256::digest(text.as_bytes())),
            partition_sha256: m.history.sha256.clone(),
            ledger_staging: Some(staging),
            ledger_sha256: Some(ledger_entry.sha256),
        })
    }
}

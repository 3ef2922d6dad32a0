//! The archive: one writer at a time (`lock`), a month published as its publication folder and
//! its history and ledger partitions changed together (`swap`, `recovery`), what each publication
//! was computed from (`sources`), checked and repaired against manifests (`verify`).

mod error;
pub mod lock;
pub mod manifest;
mod parts;
mod recovery;
pub mod sources;
pub mod swap;
pub mod verify;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::aggregate::{self, FiguresError};
use crate::check::{CheckReport, Checked};
use crate::config::Config;
use crate::history;
use crate::ingest::hex;
use crate::ledger;
use crate::text::Period;
pub use error::ArchiveError;
pub(crate) use error::io;
pub use manifest::{FileEntry, Manifest, ManifestError, RegionStamp};
pub use parts::{Contents, long_text};
use parts::{Leftovers, copy_returns, free_name, stage, write_reports};
pub use sources::{Source, Stale};
pub use swap::{Hooks, Step};
pub use verify::{Problem, Rebuilt, Row};

/// How to publish.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Publish despite errors, marked 初步 (preliminary).
    pub allow_partial: bool,
    /// Replace an existing publication (the earlier one is kept, renamed aside).
    pub force: bool,
    /// The clock of the receipt log (when a version was first received).
    pub clock: crate::receipts::Clock,
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
        /// Later publications computed from this month's earlier partitions (or without
        /// them) that now disagree with it: each can be republished with `--force`.
        stale: Vec<Stale>,
    },
    /// Errors among the findings, or a unit with no return, and no `--allow-partial`: a final
    /// figure never lacks a unit.
    RefusedErrors,
    /// Already published and no `--force`.
    AlreadyPublished(PathBuf),
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
        if let Some(refused) = self.refused(&checked.report, opts) {
            return Ok(refused);
        }
        self.refuse_unsound(config)?;
        let contents = self.contents(checked, config, &opts.clock)?;
        self.publish_contents(
            &checked.report,
            contents,
            config,
            config_origin,
            opts,
            writers,
        )
    }

    /// Refused for errors (初步 without `allow_partial`) or already published (without `force`).
    pub fn refused(&self, report: &CheckReport, opts: &Options) -> Option<Outcome> {
        if report.preliminary() && !opts.allow_partial {
            return Some(Outcome::RefusedErrors);
        }
        let target = self.output.join(report.period.to_string());
        (target.exists() && !opts.force).then_some(Outcome::AlreadyPublished(target))
    }

    /// Publishes `contents` (figures and both partitions' bytes, computed by the caller over an
    /// archive [`Archive::refuse_unsound`] accepted) for the check `report`: the files it read
    /// copied, the report files written, the manifest, then the journaled swap. What a month's
    /// returns and a roll-up's bundles share.
    pub fn publish_contents(
        &self,
        report: &CheckReport,
        contents: Contents,
        config: &Config,
        config_origin: (&str, &str),
        opts: &Options,
        writers: &[Box<Writer>],
    ) -> Result<Outcome, ArchiveError> {
        if let Some(refused) = self.refused(report, opts) {
            return Ok(refused);
        }
        let preliminary = report.preliminary();
        let target = self.output.join(report.period.to_string());
        let aside = target
            .exists()
            .then(|| free_name(&self.output, report.period.to_string()));
        let intent = self.build(report, config, config_origin, writers, &contents, &aside)?;
        if let Err(e) = swap::commit(&self.output, &intent, &self.hooks) {
            // The intent is on disk: complete the swap now, or leave it to the next run.
            return Err(match swap::recover(&self.output) {
                Ok(_) => e,
                Err(_) => ArchiveError::Interrupted(format!(
                    "{e}。发布未完成，下次运行 liaison report 或 liaison archive verify 时会自动完成"
                )),
            });
        }
        // Only later publications can have used this month (nothing to hash without any).
        let later = verify::publications(&self.output)
            .iter()
            .any(|(p, _)| *p > report.period);
        let stale = match later {
            true => sources::stale(&self.output)
                .into_iter()
                .filter(|s| s.period > report.period && s.concerns(report.period))
                .collect(),
            false => Vec::new(),
        };
        Ok(Outcome::Published {
            dir: target,
            preliminary,
            replaced: aside,
            warnings: contents.warnings,
            stale,
        })
    }

    /// The month's figures (over the history), its ledger state (last month's updated by the
    /// returns), and the bytes of both partitions. The ledger does not depend on the figures:
    /// it is brought up to date on a thread of its own while polars sums the history.
    fn contents(
        &self,
        checked: &Checked,
        config: &Config,
        clock: &crate::receipts::Clock,
    ) -> Result<Contents, ArchiveError> {
        let period = checked.report.period;
        let receipts = self.receipt_log(&checked.report, clock)?;
        let (figures, ledger) = std::thread::scope(|s| {
            let ledger = s.spawn(|| -> Result<_, ArchiveError> {
                let previous = ledger::store::previous_items(&self.output, period)
                    .map_err(FiguresError::History)?;
                let state = ledger::store::month_state(checked, config, &previous);
                let bytes = ledger::store::parquet_bytes(&state.items)?;
                Ok((state, bytes))
            });
            let figures = aggregate::figures(checked, config, &self.output.join("history"));
            let ledger = ledger
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (figures, ledger)
        });
        let mut figures = figures?;
        let (ledger_state, ledger) = ledger?;
        figures.ledger = Some(ledger_state);
        let receipts_bytes = crate::receipts::parquet_bytes(&receipts)?;
        figures.receipts = receipts;
        Ok(Contents {
            sources: sources::Snapshot::take(&self.output).used_by(period),
            warnings: long_text(&figures.stations, &checked.report),
            history: history::parquet_bytes(&figures.stations)?,
            ledger,
            receipts: receipts_bytes,
            figures,
        })
    }

    /// The month's receipt log with the versions of this check. A log that cannot be read is
    /// never replaced (a version once logged is not lost): the publish is refused, naming it.
    pub fn receipt_log(
        &self,
        report: &crate::check::CheckReport,
        clock: &crate::receipts::Clock,
    ) -> Result<Vec<crate::receipts::Receipt>, ArchiveError> {
        let log = crate::receipts::store::load(&self.output, report.period).map_err(|h| {
            ArchiveError::Damaged {
                path: h.path.display().to_string(),
                why: h.why,
                repair: "把这个文件移到输出文件夹以外保存（其中的记录无法重建），再运行".into(),
            }
        })?;
        Ok(crate::receipts::merge(log, crate::receipts::versions(report, clock)).0)
    }

    /// Records the versions a check read in the month's receipt log, when no publication
    /// carries them (a refused or already published month).
    pub fn record_receipts(
        &self,
        report: &crate::check::CheckReport,
        clock: &crate::receipts::Clock,
    ) -> Result<usize, crate::receipts::store::RecordError> {
        let versions = crate::receipts::versions(report, clock);
        crate::receipts::store::record(&self.output, report.period, versions)
    }

    /// Builds the publication (returns, report files, manifest) and both partitions under
    /// temporary names, synced; the intent that swaps them in. Removed again on failure.
    fn build(
        &self,
        report: &CheckReport,
        config: &Config,
        config_origin: (&str, &str),
        writers: &[Box<Writer>],
        contents: &Contents,
        aside: &Option<PathBuf>,
    ) -> Result<swap::Intent, ArchiveError> {
        let output = &self.output;
        let tag = format!("{}-{}", report.period, std::process::id());
        let building = output.join(format!(".building-{tag}"));
        // Staged outside the datasets: a reader of history/ or ledger/ never sees them.
        let staged = swap::staging_dir(output, "history", &tag);
        let ledger_staged = swap::staging_dir(output, ledger::store::DIR, &tag);
        let receipts_staged = swap::staging_dir(output, crate::receipts::DIR, &tag);
        let mut guard = Leftovers(vec![
            building.clone(),
            staged.clone(),
            ledger_staged.clone(),
            receipts_staged.clone(),
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
                    stage(&ledger_staged, &contents.ledger)?;
                    stage(&receipts_staged, &contents.receipts)
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
            contents.sources.clone(),
            aside.as_deref().map(rel),
        )?;
        let text = serde_json::to_string_pretty(&m).unwrap_or_default() + "\n";
        let mpath = building.join("manifest.json");
        crate::write::atomic(&mpath, text.as_bytes()).map_err(io(&mpath))?;
        swap::sync_dir(&building);
        self.hooks.reached(Step::Built);
        guard.0.clear();
        Ok(swap::Intent {
            period: report.period.to_string(),
            building: Some(rel(&building)),
            staging: rel(&staged),
            aside: aside.as_deref().map(rel),
            trash: format!(".trash-{tag}"),
            manifest_sha256: hex(&Sha256::digest(text.as_bytes())),
            partition_sha256: m.history.sha256.clone(),
            ledger_staging: Some(rel(&ledger_staged)),
            ledger_sha256: Some(ledger_entry.sha256),
            staged_outside: true,
            receipts_staging: Some(rel(&receipts_staged)),
            receipts_sha256: Some(hex(&Sha256::digest(&contents.receipts))),
        })
    }
}

//! The archive: one writer at a time (`lock`), a month published as its publication folder and
//! its partition of each dataset (`datasets`: declared by their owners, named by none here)
//! changed together (`swap`, `recovery`), what each publication was computed from (`sources`),
//! checked against manifests (`verify`), in one Hive layout and encoding (`hive`).

pub mod datasets;
mod error;
pub use crate::core::hive;
mod intent;
pub mod lock;
pub mod manifest;
mod parts;
mod recovery;
pub mod sources;
pub mod swap;
pub mod verify;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::core::text::Period;
use crate::core::text::hex;
pub use datasets::{Catalog, Dataset, DatasetEntry, Spec, Used};
pub use error::ArchiveError;
pub(crate) use error::io;
pub use manifest::{FileEntry, InputEntry, Manifest, ManifestError, Record, RegionStamp};
use parts::{Leftovers, copy_returns, free_name, stage};
pub use parts::{Publication, Write};
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
    /// The clock of the run (when a version was first received).
    pub clock: crate::core::clock::Clock,
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
    catalog: &'static Catalog,
    hooks: Hooks,
    _lock: lock::Lock,
    /// The period of an interrupted publication completed on opening.
    pub recovered: Option<String>,
    /// Leftovers of crashed runs deleted on opening.
    pub cleared: Vec<PathBuf>,
}

impl Archive {
    /// Locks `output` (creating it) for an archive of the datasets in `catalog`, completes an
    /// interrupted swap and clears leftovers.
    pub fn open(output: &Path, catalog: &'static Catalog) -> Result<Archive, ArchiveError> {
        Archive::open_with(output, catalog, Hooks::default())
    }

    /// [`Archive::open`] with test hooks.
    #[doc(hidden)]
    pub fn open_with(
        output: &Path,
        catalog: &'static Catalog,
        hooks: Hooks,
    ) -> Result<Archive, ArchiveError> {
        let lock = lock::acquire(output)?;
        let recovered = swap::recover(output, catalog)?.map(|i| i.period);
        let cleared = swap::clear_leftovers(output, catalog)?;
        Ok(Archive {
            output: output.to_path_buf(),
            catalog,
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

    /// The archive's datasets.
    pub fn catalog(&self) -> &'static Catalog {
        self.catalog
    }

    /// Every pinned dataset's partitions against their manifests (see [`verify::problems`]).
    pub fn problems(&self) -> Vec<Problem> {
        verify::problems(&self.output, self.catalog)
    }

    /// Every publication and partition against its manifest.
    pub fn verify(&self) -> Vec<Row> {
        verify::verify(&self.output, self.catalog)
    }

    /// The journal's test hooks this archive was opened with.
    pub fn hooks(&self) -> &Hooks {
        &self.hooks
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

    /// Refuses an archive of another region, or one whose pinned partitions do not agree with
    /// their manifests (the first problem found, with what to do).
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

    /// Refused for errors (初步 without `allow_partial`) or already published (without `force`).
    pub fn refused(&self, period: Period, preliminary: bool, opts: &Options) -> Option<Outcome> {
        if preliminary && !opts.allow_partial {
            return Some(Outcome::RefusedErrors);
        }
        let target = self.output.join(period.to_string());
        (target.exists() && !opts.force).then_some(Outcome::AlreadyPublished(target))
    }

    /// Publishes `publication` (its record, each dataset's partition computed by the caller
    /// over an archive [`Archive::refuse_unsound`] accepted, and the writer of its report
    /// files): the files it read copied, the report files written, the manifest, then the
    /// journaled swap. What a month's returns and a roll-up's bundles share.
    pub fn publish_contents(
        &self,
        publication: Publication<'_>,
        config: &Config,
        config_origin: (&str, &str),
        opts: &Options,
    ) -> Result<Outcome, ArchiveError> {
        let (period, preliminary) = (publication.record.period, publication.record.preliminary);
        if let Some(refused) = self.refused(period, preliminary, opts) {
            return Ok(refused);
        }
        let target = self.output.join(period.to_string());
        let aside = target
            .exists()
            .then(|| free_name(&self.output, period.to_string()));
        let intent = self.build(&publication, config, config_origin, &aside)?;
        if let Err(e) = swap::commit(&self.output, &intent, &self.hooks) {
            // The intent is on disk: complete the swap now, or leave it to the next run.
            return Err(match swap::recover(&self.output, self.catalog) {
                Ok(_) => e,
                Err(_) => ArchiveError::Interrupted(format!(
                    "{e}。发布未完成，下次运行 liaison report 或 liaison archive verify 时会自动完成"
                )),
            });
        }
        // Only later publications can have used this month (nothing to hash without any).
        let later = verify::publications(&self.output)
            .iter()
            .any(|(p, _)| *p > period);
        let stale = match later {
            true => sources::stale(&self.output, self.catalog)
                .into_iter()
                .filter(|s| s.period > period && s.concerns(period))
                .collect(),
            false => Vec::new(),
        };
        Ok(Outcome::Published {
            dir: target,
            preliminary,
            replaced: aside,
            warnings: publication.warnings,
            stale,
        })
    }

    /// Builds the publication (returns, report files, manifest) and every partition under
    /// temporary names, synced; the intent that swaps them in. Removed again on failure.
    fn build(
        &self,
        publication: &Publication<'_>,
        config: &Config,
        config_origin: (&str, &str),
        aside: &Option<PathBuf>,
    ) -> Result<swap::Intent, ArchiveError> {
        let output = &self.output;
        let record = &publication.record;
        let tag = format!("{}-{}", record.period, std::process::id());
        let building = output.join(format!(".building-{tag}"));
        // Staged outside the datasets: a reader of a dataset never sees them.
        let staged: Vec<PathBuf> = publication
            .datasets
            .iter()
            .map(|d| swap::staging_dir(output, &d.name, &tag))
            .collect();
        let mut guard = Leftovers(
            std::iter::once(building.clone())
                .chain(staged.clone())
                .collect(),
        );
        std::fs::create_dir(&building).map_err(io(&building))?;
        self.hooks.reached(Step::BuildingCreated);
        // The archive's own files (the returns copied, the partitions staged and synced) are
        // written on a thread of their own, mostly waiting on the disk, while the report
        // writers run on the rayon pool. Errors keep the order of a sequential build.
        let (copied, staged_parts, written) = std::thread::scope(|s| {
            let files = s.spawn(|| {
                let copied = copy_returns(&record.returns, &building.join("returns"));
                let staged = copied.is_ok().then(|| {
                    staged
                        .iter()
                        .zip(&publication.datasets)
                        .try_for_each(|(dir, d)| stage(dir, &d.bytes))
                });
                (copied, staged)
            });
            let written = (publication.write)(&building);
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
        let entries = self.entries(record.period, &publication.datasets);
        let m = manifest::build(
            record,
            config_origin,
            config,
            &building,
            entries,
            publication.sources.clone(),
            aside.as_deref().map(rel),
        )?;
        let text = serde_json::to_string_pretty(&m).unwrap_or_default() + "\n";
        let mpath = building.join("manifest.json");
        crate::core::write::atomic(&mpath, text.as_bytes()).map_err(io(&mpath))?;
        swap::sync_dir(&building);
        self.hooks.reached(Step::Built);
        guard.0.clear();
        Ok(swap::Intent {
            period: record.period.to_string(),
            building: Some(rel(&building)),
            aside: aside.as_deref().map(rel),
            trash: format!(".trash-{tag}"),
            manifest_sha256: hex(&Sha256::digest(text.as_bytes())),
            datasets: staged
                .iter()
                .zip(&publication.datasets)
                .map(|(dir, d)| swap::Staged {
                    name: d.name.clone(),
                    staging: rel(dir),
                    sha256: hex(&Sha256::digest(&d.bytes)),
                })
                .collect(),
            staged_outside: true,
        })
    }

    /// The manifest's entry of each dataset: a pinned one's partition file and sha256, a log's
    /// folder; with what its owner adds.
    fn entries(&self, period: Period, datasets: &[Dataset]) -> Vec<DatasetEntry> {
        datasets
            .iter()
            .map(|d| {
                let pinned = self.catalog.get(&d.name).is_none_or(Spec::pinned);
                let file = hive::partition_path(&d.name, period);
                DatasetEntry {
                    name: d.name.clone(),
                    path: match pinned {
                        true => file,
                        false => format!("{}/period={period}", d.name),
                    },
                    sha256: pinned.then(|| hex(&Sha256::digest(&d.bytes))),
                    extra: d.extra.clone(),
                }
            })
            .collect()
    }
}

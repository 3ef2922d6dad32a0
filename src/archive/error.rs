//! Why the archive could not be used or changed, in Chinese with what to do (nothing published
//! is changed by any of them), and the I/O error of a path.

use std::path::Path;

use polars::prelude::PolarsError;

use crate::aggregate::FiguresError;

/// Why the archive could not be used or changed (nothing published is changed by any of them).
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Another run holds the lock.
    #[error(
        "另一个发布正在进行（输出文件夹 {output} 已被占用）：请等它结束后再运行；本次没有改动任何文件"
    )]
    Busy {
        /// The output folder.
        output: String,
    },
    /// Input and output folders overlap.
    #[error(
        "输出文件夹 {output} 与报表文件夹 {input} 重叠（相同或一个在另一个里面）：请用 --output 指定报表文件夹以外的文件夹；本次没有改动任何文件"
    )]
    Overlap {
        /// The returns folder.
        input: String,
        /// The output folder.
        output: String,
    },
    /// The output holds another region's archive.
    #[error(
        "输出文件夹 {output} 中已有{existing}的档案，不能混入{ours}的数据：请用 --output 指定另一个文件夹（例如 --output output-{ours}）"
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
    #[error(
        "档案文件 {path} 有问题：{why}。请{repair}；运行 liaison archive verify 可查看整个档案"
    )]
    Damaged {
        /// The file.
        path: String,
        /// What is wrong.
        why: String,
        /// What to do.
        repair: String,
    },
    /// A month with no publication to rebuild from.
    #[error("{0} 没有发布，也没有历史分区：无需重建")]
    NotPublished(String),
    /// The rebuilt partition is not the one the manifest names.
    #[error("{0}")]
    RebuildMismatch(String),
    /// An interrupted publication could not be completed.
    #[error("{0}")]
    Interrupted(String),
    /// The returns kept in a publication could not be read.
    #[error("读取发布中保存的报表失败：{0}")]
    Returns(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A file could not be written or renamed.
    #[error("写入 {path} 失败：{source}")]
    Io {
        /// What.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// polars failed.
    #[error("汇总计算失败：{0}")]
    Polars(#[from] PolarsError),
    /// A report file (workbook, charts, briefing) could not be written.
    #[error("生成报表失败：{0}")]
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

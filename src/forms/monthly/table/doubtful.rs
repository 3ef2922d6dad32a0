//! Rows named like stations whose figures equal the stations' above them, with more stations
//! and a labelled total below: a station, or an unlabelled subtotal. The total decides.

use std::ops::Range;

use super::super::rowfindings;
use super::{TableReader, TotalCell};

/// A station read that may be an unlabelled subtotal.
pub(super) struct Doubtful {
    /// Its index among the stations read.
    pub station: usize,
    /// The findings of its cells (coerced values …), which a subtotal does not keep.
    pub findings: Range<usize>,
}

/// Keeps each doubtful row as a station when the total's figures are the sum with it; reads it
/// as a subtotal (a warning, as for one found by its figures alone) when they are the sum
/// without it, and only one such row fits; refuses it when the total cannot tell (no total
/// figure written, or several rows fit). Where neither reading fits, the total's own check
/// names the difference.
pub(super) fn resolve(t: &mut TableReader<'_, '_>) {
    if t.doubtful.is_empty() {
        return;
    }
    let doubtful = std::mem::take(&mut t.doubtful);
    let written: Vec<(usize, u64)> = t.total.as_ref().map_or_else(Vec::new, |total| {
        total
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                TotalCell::Written(x) => Some((i, *x)),
                _ => None,
            })
            .collect()
    });
    // `sums` counts every station read, the doubtful ones included.
    let fits = |without: Option<usize>| {
        !written.is_empty()
            && written.iter().all(|&(i, v)| {
                let less = without.map_or(0, |j| t.stations[j].values[i]);
                t.sums[i].checked_sub(less) == Some(v)
            })
    };
    if fits(None) {
        return;
    }
    let fitting: Vec<&Doubtful> = doubtful.iter().filter(|d| fits(Some(d.station))).collect();
    if let [d] = fitting[..] {
        let row = t.stations[d.station].row;
        let warning = t.reader.subtotal_warning(row, t.station_col, None);
        t.findings.splice(d.findings.clone(), [warning]);
        let values = t.stations.remove(d.station).values;
        t.sums.iter_mut().zip(&values).for_each(|(s, v)| *s -= v);
        return;
    }
    if written.is_empty() || fitting.len() > 1 {
        for d in &doubtful {
            let s = &t.stations[d.station];
            let cell = (s.row, t.station_col);
            let f =
                rowfindings::station_or_subtotal(&t.reader.grid.name, t.reader.file, cell, &s.name);
            t.findings.push(f);
        }
    }
}

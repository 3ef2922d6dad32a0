//! Tests of the workbook layer: merged areas looked up by row as the reading does.

use super::*;

/// The areas by row give what going through every area gives: the first area in the
/// sheet's order, overlapping ones and single cells included, indexed or not.
#[test]
fn merged_areas_by_row_are_the_areas_in_order() {
    let d = |a: (u32, u32), b: (u32, u32)| Dimensions { start: a, end: b };
    let areas = vec![
        d((2, 1), (4, 3)),
        d((3, 2), (6, 2)),
        d((5, 5), (5, 5)),
        d((8, 0), (7, 0)),
        d((10, 0), (10, 4)),
    ];
    let mut whole_column = areas.clone();
    whole_column.push(d((0, 7), (1_048_575, 7)));
    for merges in [areas, whole_column, Vec::new()] {
        let g = Grid::new("表", Range::new((0, 0), (12, 8)), merges.clone());
        for r in 0..12 {
            for c in 0..9 {
                let first = merges.iter().find(|m| m.contains(r, c));
                let area = merges.iter().find(|m| m.contains(r, c) && m.start != m.end);
                assert_eq!(g.anchor(r, c), first.map_or((r, c), |m| m.start));
                assert_eq!(g.merged_area(r, c).map(|m| m.start), area.map(|m| m.start));
            }
        }
    }
}

use calamine::{Reader, open_workbook_auto};
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let mut wb = open_workbook_auto(&p).unwrap();
    for s in wb.sheet_names() {
        let r = wb.worksheet_range(&s).unwrap();
        println!("{s} start={:?} end={:?}", r.start(), r.end());
        for (i, row) in r.rows().take(6).enumerate() {
            println!("{i}: {:?}", &row[..row.len().min(8)]);
        }
    }
}

//! The bench's table, printed once every case has run, with the ratios each run is judged by.

use crate::measure::Case;

/// Prints the table of every case, then the ratios and the notes the runs left.
pub(crate) fn print_table(cases: &[Case], n: usize) {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::ASCII_MARKDOWN);
    t.set_header([
        "case",
        "tool",
        "median s",
        "min s",
        "max s",
        "peak RSS MiB (median)",
        "CPU s (median)",
        "note",
    ]);
    for c in cases {
        let (s, smin, smax) = c.seconds();
        let (m, _, _) = c.rss();
        t.add_row([
            c.case.clone(),
            c.tool.clone(),
            format!("{s:.3}"),
            format!("{smin:.3}"),
            format!("{smax:.3}"),
            format!("{m:.1}"),
            format!("{:.3}", c.cpu().0),
            c.note.clone(),
        ]);
    }
    println!("{n} runs per case, side by side in one run\n{t}");
    for line in crate::read::NOTES.lock().unwrap().iter() {
        println!("{line}");
    }
    let med = |case: &str, tool: &str| {
        cases
            .iter()
            .find(|c| c.case.starts_with(case) && c.tool.starts_with(tool))
            .map(|c| c.seconds().0)
    };
    let rss = |case: &str| {
        cases
            .iter()
            .find(|c| c.case.starts_with(case) && c.tool == "liaison")
            .map(|c| c.rss().0)
    };
    let month = "一个月审核";
    if let (Some(a), Some(b)) = (med(month, "liaison"), med("一个月读取", "python-calamine")) {
        println!(
            "a month of 18 returns: liaison check is {:.1}× the python-calamine script",
            b / a
        );
    }
    for size in [20, 200, 1000, 2000] {
        let case = format!("读取 {size} 份");
        if let (Some(a), Some(b)) = (med(&case, "liaison"), med(&case, "pandas")) {
            println!(
                "reading {size} returns: liaison is {:.1}× the pandas+openpyxl reference",
                b / a
            );
        }
        let cpu = |tool: &str| {
            cases
                .iter()
                .find(|c| c.case.starts_with(&case) && c.tool.starts_with(tool))
                .map(|c| c.cpu().0 / size as f64 * 1e6)
        };
        if let (Some(a), Some(b)) = (cpu("liaison, one thread"), cpu("floor")) {
            println!(
                "reading {size} returns, one thread: liaison {a:.0} µs CPU per return, the floor {b:.0} µs: {:.1}× the floor",
                a / b
            );
        }
        if let (Some(a), Some(b)) = (cpu("calamine alone"), cpu("floor")) {
            println!(
                "reading {size} returns, one thread: calamine alone (open, read every sheet) {a:.0} µs CPU per return: {:.1}× the floor",
                a / b
            );
        }
        if let (Some(a), Some(b)) = (med(&case, "liaison"), med(&case, "python-calamine")) {
            println!(
                "reading {size} returns: liaison is {:.1}× the python-calamine script",
                b / a
            );
        }
    }
    if let (Some(a), Some(b)) = (rss("读取 200 份"), rss("读取 2000 份")) {
        println!(
            "peak RSS 200 → 2,000 returns: {a:.1} → {b:.1} MiB ({:+.0} %)",
            (b / a - 1.0) * 100.0
        );
    }
    if let (Some(a), Some(b)) = (med("全省十年", "liaison"), med("全省十年", "DuckDB")) {
        println!("province scale: DuckDB / liaison wall time = {:.2}", b / a);
    }
    for c in cases
        .iter()
        .filter(|c| c.case.starts_with("全省年度汇总") && c.tool == "liaison")
    {
        if let Some(b) = med(&c.case, "DuckDB") {
            let (a, r) = (c.seconds().0, c.rss().0);
            println!(
                "{}: liaison / DuckDB wall time = {:.2}, liaison peak RSS {r:.1} MiB",
                c.case,
                a / b
            );
        }
    }
    if let (Some(a), Some(b)) = (
        med("全省汇总历史", "liaison"),
        med("全省汇总历史", "DuckDB"),
    ) {
        println!(
            "province roll-up history: DuckDB / liaison wall time = {:.2}",
            b / a
        );
    }
    if let (Some(a), Some(b)) = (med("全省台账", "liaison"), med("全省台账", "DuckDB")) {
        println!(
            "province ledger: liaison / DuckDB wall time = {:.2} (liaison reads the .xlsx, DuckDB the exported rows)",
            a / b
        );
    }
}

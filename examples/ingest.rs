fn main() {
    let p = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let c = liaison::config::Config::embedded();
    let o = liaison::ingest::ingest_entry(
        p.parent().unwrap(),
        &p.file_name().unwrap().to_string_lossy(),
        &c,
    );
    if let Some(r) = &o.ret {
        println!(
            "sheet={} unit={:?} period={:?} layout={:?} stations={} total={:?}",
            r.sheet,
            r.unit,
            r.period,
            r.layout,
            r.stations.len(),
            r.total
        );
    }
    for f in &o.findings {
        println!("{:?}", f);
    }
}

//! Byte mutations of real fixtures (flips, truncations, splices): never a panic, always an
//! outcome with its findings, in bounded time.

mod common;

use std::time::{Duration, Instant};

use liaison::config::Config;
use liaison::ingest::{Disposition, ingest_entry};
use proptest::prelude::*;

const SOURCES: &[&str] = &[
    "tests/fixtures/returns/tidy.xlsx",
    "tests/fixtures/returns/tidy_xlwt.xls",
    "tests/fixtures/returns/tidy_libreoffice.ods",
    "tests/fixtures/returns/tidy_libreoffice.xls",
    "tests/fixtures/returns/header_two_row_merged.xlsx",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(Vec<(usize, u8)>),
    Truncate(usize),
    Splice {
        at: usize,
        from: usize,
        other: usize,
        len: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        prop::collection::vec((any::<usize>(), any::<u8>()), 1..16).prop_map(Mutation::Flip),
        any::<usize>().prop_map(Mutation::Truncate),
        (
            any::<usize>(),
            any::<usize>(),
            0..SOURCES.len(),
            1usize..4096
        )
            .prop_map(|(at, from, other, len)| Mutation::Splice {
                at,
                from,
                other,
                len
            }),
    ]
}

fn apply(mut bytes: Vec<u8>, m: &Mutation, sources: &[Vec<u8>]) -> Vec<u8> {
    let n = bytes.len();
    match m {
        Mutation::Flip(flips) => {
            for (i, b) in flips {
                bytes[i % n] ^= b | 1;
            }
        }
        Mutation::Truncate(at) => bytes.truncate(at % n),
        Mutation::Splice {
            at,
            from,
            other,
            len,
        } => {
            let o = &sources[*other];
            let from = from % o.len();
            let piece = &o[from..(from + len).min(o.len())];
            let at = at % n;
            bytes.splice(at..(at + piece.len()).min(n), piece.iter().copied());
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_returns_never_panic(src in 0..SOURCES.len(), m in mutation()) {
        let sources: Vec<Vec<u8>> = SOURCES.iter().map(|s| std::fs::read(common::root().join(s)).unwrap()).collect();
        let bytes = apply(sources[src].clone(), &m, &sources);
        let name = format!("变异{}", &SOURCES[src][SOURCES[src].rfind('.').unwrap()..]);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(&name), &bytes).unwrap();
        let t = Instant::now();
        let o = ingest_entry(dir.path(), &name, &Config::embedded());
        prop_assert!(t.elapsed() < Duration::from_secs(10), "took {:?}", t.elapsed());
        prop_assert!(!o.findings.iter().any(|f| f.message.contains("内部错误")), "a reader panicked: {:?}", m);
        // Refused files always say why; read ones carry a return.
        match o.disposition {
            Disposition::Refused => prop_assert!(o.findings.iter().any(|f| f.is_error())),
            Disposition::Read => prop_assert!(o.ret.is_some()),
            Disposition::Ignored => prop_assert!(false, "a spreadsheet name is never ignored"),
        }
    }
}

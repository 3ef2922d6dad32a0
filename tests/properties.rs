//! Properties of the small parsers every figure goes through: cell addresses both ways, months
//! found in free text, and cell values read as counts (never a different number than written).

use calamine::Data;
use liaison::config::Config;
use liaison::core::findings::Code;
use liaison::core::text::{Period, a1, a1_position, find_period, fold};
use liaison::forms::monthly::values::{Value, coerce};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(20220515),
        ..ProptestConfig::default()
    }
}

fn grouped(n: u64, sep: char) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap(),
            ',' => '，',
            other => other,
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    /// Folding skips the normalizer only where NFKC would change nothing: any text, Chinese,
    /// full-width, compatibility forms (豈, 〶, 〸, U+2F800) and combining marks among it, folds as
    /// NFKC does.
    #[test]
    fn folding_equals_nfkc(s in "[a-zA-Z0-9 \t　星沙街道镇（）()：:０-９ｱ-ﾝ㈱①ﬁ\u{0301}\u{3099}e、。《》【】〔〕“”‘’〶〸豈\u{2F800}\u{4E00}\u{9FFF}\u{3003}\u{3012}]{0,16}") {
        use unicode_normalization::UnicodeNormalization;
        let nfkc: String = s.nfkc().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(fold(&s), nfkc);
    }

    #[test]
    fn a1_names_read_back(r in 0u32..1_048_576, c in 0u32..16_384) {
        prop_assert_eq!(a1_position(&a1(r, c)), Some((u64::from(r), u64::from(c))));
        prop_assert_eq!(a1_position(&a1(r, c).to_lowercase()), Some((u64::from(r), u64::from(c))));
    }

    #[test]
    fn months_are_found_in_any_spelling_among_other_text(
        year in 2000i32..2100,
        month in 1u32..=12,
        form in 0usize..7,
        before in "[\u{4e00}-\u{4e2f} ]{0,6}",
        after in "[\u{4e00}-\u{4e2f} ]{0,6}",
    ) {
        let m = month;
        let written = match form {
            0 => format!("{year}-{m:02}"),
            1 => format!("{year}.{m}"),
            2 => format!("{year}年{m}月"),
            3 => format!("{year}年{m:02}月"),
            4 => format!("{year}年{m}月份"),
            5 => format!("{year}/{m}/15"),
            _ => format!("{year}-{m:02}-15"),
        };
        let text = format!("{before}{written}{after}");
        prop_assert_eq!(find_period(&text), Period::new(year, month), "{}", text);
    }

    #[test]
    fn counts_read_as_written(n in 0u64..2_000_000_000, word in prop::sample::select(vec!["", "人", "人次", "场", "条", "个", "次"])) {
        let m = Config::embedded().matching;
        prop_assert_eq!(coerce(&Data::Float(n as f64), None, &m), Value::Count(n));
        prop_assert_eq!(coerce(&Data::Int(n as i64), None, &m), Value::Count(n));
        for text in [
            format!("{n}{word}"),
            format!("{}{word}", grouped(n, ',')),
            format!("{}{word}", grouped(n, ' ')),
            fullwidth(&format!("{}{word}", grouped(n, ','))),
        ] {
            prop_assert!(
                matches!(coerce(&Data::String(text.clone()), None, &m), Value::Coerced(v, _) if v == n),
                "{} → {:?}", text, coerce(&Data::String(text.clone()), None, &m)
            );
        }
        if n > 0 {
            prop_assert!(matches!(coerce(&Data::Float(-(n as f64)), None, &m), Value::Refused(Code::NegativeValue, _)));
            prop_assert!(matches!(coerce(&Data::Float(n as f64 + 0.5), None, &m), Value::Refused(Code::FractionValue, _)));
        }
    }

    /// Whatever text a clerk types, a count read from it has exactly the digits written: a
    /// separator is never dropped to make a different number ("12,5" is not 125).
    #[test]
    fn text_never_becomes_another_number(text in "[0-9０-９,， ]{1,12}(人|人次|个)?") {
        let m = Config::embedded().matching;
        if let Value::Coerced(v, _) | Value::Count(v) = coerce(&Data::String(text.clone()), None, &m) {
            let digits: String = fold(&text).chars().filter(char::is_ascii_digit).collect();
            if !digits.is_empty() {
                prop_assert_eq!(digits.parse::<u64>().ok(), Some(v), "{}", text);
                let folded = fold(&text);
                let groups: Vec<&str> = folded
                    .trim_end_matches(['人', '次', '个'])
                    .split([',', ' '])
                    .collect();
                prop_assert!(
                    groups.len() == 1 || groups[1..].iter().all(|g| g.len() == 3),
                    "{} read as {} though not grouped by threes", text, v
                );
            }
        }
    }
}

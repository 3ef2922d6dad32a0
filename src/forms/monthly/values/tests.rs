//! Tests of a cell's value read as a count: what is taken, coerced with a warning, or refused.

use super::*;
use crate::config::Config;

fn c(s: &str) -> Value {
    coerce(&Data::String(s.into()), None, &Config::embedded().matching)
}

#[test]
fn coercions() {
    for (s, n) in [
        ("12", 12),
        ("１２", 12),
        ("12人", 12),
        ("3场", 3),
        ("1,234", 1234),
        ("1 234", 1234),
        ("1,234,567", 1_234_567),
        ("１，２３４", 1234),
        ("1,234人次", 1234),
        ("12 人", 12),
        ("５人次", 5),
        ("12.0", 12),
        ("12.00", 12),
        ("1234.000", 1234),
    ] {
        assert!(
            matches!(c(s), Value::Coerced(v, _) if v == n),
            "{s}: {:?}",
            c(s)
        );
    }
    for p in ["无", "-", "—", "/", "－"] {
        assert!(matches!(c(p), Value::Coerced(0, _)), "{p}");
    }
    assert_eq!(c("  "), Value::Count(0));
}

#[test]
fn refusals() {
    assert!(matches!(c("十二"), Value::Refused(Code::InvalidValue, _)));
    // A letter typed for a digit: the letter named, and the digit it looks like.
    let why = |s: &str| match c(s) {
        Value::Refused(Code::InvalidValue, why) => why,
        other => panic!("{s}: {other:?}"),
    };
    assert_eq!(
        why("1O"),
        "“1O”含有字母“O”，可能把数字0打成了字母O，不是数字：请填写阿拉伯数字整数"
    );
    assert_eq!(
        why("2l人"),
        "“2l人”含有字母“l”，可能把数字1打成了字母l，不是数字：请填写阿拉伯数字整数"
    );
    assert_eq!(
        why("１２a"),
        "“１２a”含有字母“a”，不是数字：请填写阿拉伯数字整数"
    );
    assert_eq!(
        why("1O0o"),
        "“1O0o”含有字母“O”“o”，可能把数字0打成了字母O或o，不是数字：请填写阿拉伯数字整数"
    );
    // Letters without digits, or beside other words, keep the plain refusal.
    assert!(!why("abc").contains("字母"));
    assert!(!why("约10人左右").contains("字母"));
    assert_eq!(
        why("lO"),
        "“lO”含有字母“l”“O”，可能把数字0打成了字母O，可能把数字1打成了字母l，不是数字：请填写阿拉伯数字整数"
    );
    assert!(matches!(c("若干"), Value::Refused(Code::InvalidValue, _)));
    assert!(matches!(c("-3"), Value::Refused(Code::NegativeValue, _)));
    assert!(matches!(c("12.5"), Value::Refused(Code::FractionValue, _)));
    for s in [
        "12,5",
        "1,2,3",
        "1,23,456",
        "12 5",
        "1,234 567",
        ",123",
        "1,234,",
        "1,2345",
        "1.000",
        "12.000",
        "１．０００",
        "2.000人次",
    ] {
        assert!(
            matches!(c(s), Value::Refused(Code::InvalidValue, _)),
            "{s}: {:?}",
            c(s)
        );
    }
    let m = Config::embedded().matching;
    assert!(matches!(
        coerce(&Data::Float(-1.0), None, &m),
        Value::Refused(Code::NegativeValue, _)
    ));
    assert!(matches!(
        coerce(&Data::Float(2.5), None, &m),
        Value::Refused(Code::FractionValue, _)
    ));
    // Float noise a formula leaves is the whole number Excel shows; a real fraction is not.
    for (f, n) in [
        (56.00000000000001, 56),
        (28.999999999999996, 29),
        (0.1 + 0.2 - 0.3, 0),
        (0.3 - 0.1 - 0.2, 0),
    ] {
        assert_eq!(coerce(&Data::Float(f), None, &m), Value::Count(n), "{f}");
    }
    for f in [56.000001, 28.9999, 0.5] {
        assert!(
            matches!(
                coerce(&Data::Float(f), None, &m),
                Value::Refused(Code::FractionValue, _)
            ),
            "{f}"
        );
    }
    assert!(matches!(
        coerce(&Data::Empty, Some("2+3"), &m),
        Value::Refused(Code::FormulaWithoutValue, _)
    ));
}

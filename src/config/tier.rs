//! The five tiers of people's congresses (全国、省、市、县、乡镇) every deputy level names, so that
//! counties with different level sets (五级, 四级) are compared by tier, never by position.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Config, Invalid};

/// The tier of a people's congress a deputy level belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// 全国人民代表大会.
    National,
    /// 省(自治区、直辖市)人大.
    Provincial,
    /// 设区的市(自治州)人大.
    Municipal,
    /// 县(区、县级市)人大: a county's 县 and a district's 区 alike.
    County,
    /// 乡(镇)人大.
    Township,
}

/// The five tiers, from the top.
pub const TIERS: [Tier; 5] = [
    Tier::National,
    Tier::Provincial,
    Tier::Municipal,
    Tier::County,
    Tier::Township,
];

impl Tier {
    /// The word written in a config: `national`, `provincial`, `municipal`, `county`, `township`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::National => "national",
            Tier::Provincial => "provincial",
            Tier::Municipal => "municipal",
            Tier::County => "county",
            Tier::Township => "township",
        }
    }

    /// The Chinese name of the tier: 全国, 省, 市, 县, 乡镇.
    pub fn label(self) -> &'static str {
        match self {
            Tier::National => "全国",
            Tier::Provincial => "省",
            Tier::Municipal => "市",
            Tier::County => "县",
            Tier::Township => "乡镇",
        }
    }

    /// The tier written as `word`, if it is one.
    pub fn parse(word: &str) -> Option<Tier> {
        TIERS.into_iter().find(|t| t.as_str() == word)
    }

    /// The tier a level's Chinese label most likely means (全国 → national, 区 → county …);
    /// only to suggest what to write, never to decide.
    pub fn guess(label: &str) -> Option<Tier> {
        let has = |w: &str| label.contains(w);
        if has("全国") {
            Some(Tier::National)
        } else if has("省") || has("自治区") {
            Some(Tier::Provincial)
        } else if has("县") || has("区") {
            Some(Tier::County)
        } else if has("市") || has("州") {
            Some(Tier::Municipal)
        } else if has("乡") || has("镇") || has("街道") {
            Some(Tier::Township)
        } else {
            None
        }
    }

    /// The column of this tier in a roll-up: `deputies_county` …
    pub fn column(self) -> String {
        format!("deputies_{}", self.as_str())
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a config may write for a tier, said in the error of a wrong word.
pub const CHOICES: &str = "national（全国）、provincial（省）、municipal（市）、county（县、区、县级市）、township（乡、镇）";

impl Serialize for Tier {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Tier {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tier, D::Error> {
        let word = String::deserialize(d)?;
        Tier::parse(&word).ok_or_else(|| {
            serde::de::Error::custom(format!("tier 只能是 {CHOICES} 之一，不能是“{word}”"))
        })
    }
}

/// Every level names its tier; said level by level, with the line to add.
pub fn check(c: &Config) -> Result<(), Invalid> {
    for l in &c.levels {
        if l.tier.is_some() {
            continue;
        }
        let line = Tier::guess(&l.label)
            .map_or_else(|| "tier = \"…\"".to_string(), |t| format!("tier = \"{t}\""));
        return Err(Invalid(format!(
            "层级 {}（{}）没有写 tier（这一级代表属于哪一级人大）：请在配置文件中该 [[levels]] 下加一行 {line}。tier 可写 {CHOICES}；县的“县”和区的“区”都写 county，各县市区的数字按它比较",
            l.id, l.label
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_follow_the_labels() {
        assert_eq!(Tier::guess("全国"), Some(Tier::National));
        assert_eq!(Tier::guess("省"), Some(Tier::Provincial));
        assert_eq!(Tier::guess("市"), Some(Tier::Municipal));
        assert_eq!(Tier::guess("区"), Some(Tier::County));
        assert_eq!(Tier::guess("县级市"), Some(Tier::County));
        assert_eq!(Tier::guess("镇"), Some(Tier::Township));
        assert_eq!(Tier::guess("其他"), None);
    }

    #[test]
    fn words_round_trip() {
        for t in TIERS {
            assert_eq!(Tier::parse(t.as_str()), Some(t));
        }
        assert_eq!(Tier::parse("district"), None);
    }
}

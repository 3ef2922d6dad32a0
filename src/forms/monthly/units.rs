//! The configured units' names and aliases, folded once per folder, so that matching a
//! return's texts against them costs the same for 18 units as for 2,000.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::config::{Config, Unit};
use crate::core::text::{char_distance, fold};

/// Unit names of a config, prepared for matching.
pub struct UnitNames<'c> {
    config: &'c Config,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    /// Folded official name of each unit, in config order.
    official: Vec<String>,
    /// Name or alias core (folded, affixes stripped) → first unit in config order.
    by_core: HashMap<String, usize>,
    /// Every folded name and alias, for finding one inside a text.
    finder: Option<AhoCorasick>,
    /// Per pattern of `finder`: its length and the unit.
    patterns: Vec<(usize, usize)>,
}

impl<'c> UnitNames<'c> {
    /// Folds every name and alias of `config`.
    pub fn new(config: &'c Config) -> UnitNames<'c> {
        let folded = |v: &[String]| v.iter().map(|s| fold(s)).collect::<Vec<_>>();
        let mut names = UnitNames {
            config,
            prefixes: folded(&config.matching.unit_prefixes),
            suffixes: folded(&config.matching.unit_suffixes),
            official: config.units.iter().map(|u| fold(&u.name)).collect(),
            by_core: HashMap::new(),
            finder: None,
            patterns: Vec::new(),
        };
        // The same text may name two units; then the later one wins, as the longest-match
        // rule has always broken ties.
        let mut texts: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, u) in config.units.iter().enumerate() {
            for n in std::iter::once(&u.name).chain(&u.aliases) {
                let f = fold(n);
                let core = names.strip_affixes(&f);
                names.by_core.entry(core).or_insert(i);
                if f.is_empty() {
                    continue;
                }
                match index.get(&f) {
                    Some(&p) => names.patterns[p].1 = i,
                    None => {
                        index.insert(f.clone(), texts.len());
                        names.patterns.push((f.len(), i));
                        texts.push(f);
                    }
                }
            }
        }
        // A contiguous NFA takes memory in proportion to the names' total length (a DFA may
        // take hundreds of times more); the config bounds that length.
        names.finder = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&texts)
            .ok();
        names
    }

    /// The config the names come from.
    pub fn config(&self) -> &'c Config {
        self.config
    }

    /// The unit a written name means (trim, width-fold, affixes, aliases).
    pub fn resolve(&self, text: &str) -> Option<&'c Unit> {
        let core = self.strip_affixes(&fold(text));
        if core.is_empty() {
            return None;
        }
        self.by_core.get(&core).map(|&i| &self.config.units[i])
    }

    /// The unit whose official name is inside `text`; none when two units' names are
    /// ("北山镇、金井镇": which one sent it cannot be known).
    pub fn official_inside(&self, text: &str) -> Option<&'c Unit> {
        let t = fold(text);
        let mut hits = self
            .official
            .iter()
            .enumerate()
            .filter(|(_, n)| t.contains(n.as_str()))
            .map(|(i, _)| i);
        match (hits.next(), hits.next()) {
            (Some(i), None) => Some(&self.config.units[i]),
            _ => None,
        }
    }

    /// The unit named inside free text (a title, a sheet or file name): the longest name found.
    pub fn inside(&self, text: &str) -> Option<&'c Unit> {
        let t = fold(text);
        self.finder
            .as_ref()?
            .find_overlapping_iter(&t)
            .map(|m| self.patterns[m.pattern().as_usize()])
            .max()
            .map(|(_, i)| &self.config.units[i])
    }

    /// The unit whose name is nearest to a text (for "did you mean").
    pub fn nearest(&self, text: &str) -> Option<&'c Unit> {
        let core = self.strip_affixes(&fold(text));
        (0..self.official.len())
            .min_by_key(|&i| char_distance(&core, &self.official[i]))
            .map(|i| &self.config.units[i])
    }

    fn strip_affixes(&self, s: &str) -> String {
        let mut s = s.to_string();
        loop {
            let before = s.len();
            for p in &self.prefixes {
                if s.starts_with(p.as_str()) && s.len() > p.len() {
                    s = s[p.len()..].to_string();
                }
            }
            for x in &self.suffixes {
                if s.ends_with(x.as_str()) && s.len() > x.len() {
                    s.truncate(s.len() - x.len());
                }
            }
            if s.len() == before {
                return s;
            }
        }
    }
}

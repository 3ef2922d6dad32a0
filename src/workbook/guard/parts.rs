//! Which part each sheet of an .xlsx package is, resolved as calamine resolves it (the
//! package's relationships), and the merged areas the guard found in each sheet part.

use std::collections::{HashMap, HashSet};

use calamine::Dimensions;

/// A relationship of a `.rels` part: id, type, target, as written.
#[derive(Debug, Clone)]
pub(super) struct Rel {
    pub id: String,
    pub typ: String,
    pub target: String,
}

/// What the guard's pass learnt of an .xlsx package's parts, so that the reading takes each
/// sheet's merged areas from that pass instead of parsing the sheet a second time.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    /// Relationships of every `.rels` part, by part name as calamine looks it up.
    rels: HashMap<String, Vec<Rel>>,
    /// Sheets (name, relationship id) of the workbook part, by part name.
    workbooks: HashMap<String, Vec<(String, String)>>,
    /// Merged areas of each sheet part read; `None` where they could not be read for certain.
    merges: HashMap<String, Option<Vec<Dimensions>>>,
    /// Part names seen, to notice two parts that calamine could not tell apart.
    seen: HashSet<String>,
    /// Two parts have the same name once normalized: resolve nothing.
    ambiguous: bool,
}

/// A zip entry's name as calamine's lookup cache keys it.
pub(super) fn key(entry_name: &str) -> String {
    entry_name.replace('\\', "/").to_ascii_lowercase()
}

impl Parts {
    /// Notes a part of the package (every entry, in zip order).
    pub(super) fn saw(&mut self, entry_name: &str) {
        if !self.seen.insert(key(entry_name)) {
            self.ambiguous = true;
        }
    }

    pub(super) fn add_rels(&mut self, entry_name: &str, rels: Vec<Rel>) {
        self.rels.insert(key(entry_name), rels);
    }

    pub(super) fn add_workbook(&mut self, entry_name: &str, sheets: Vec<(String, String)>) {
        self.workbooks.insert(key(entry_name), sheets);
    }

    pub(super) fn add_merges(&mut self, entry_name: &str, merges: Option<Vec<Dimensions>>) {
        self.merges.insert(key(entry_name), merges);
    }

    /// The merged areas of each sheet (by name) whose part the guard read for certain; a
    /// sheet not in the map is left to calamine.
    pub fn sheet_merges(&self) -> HashMap<String, Vec<Dimensions>> {
        let mut out = HashMap::new();
        if self.ambiguous {
            return out;
        }
        // calamine: the last officeDocument relationship of `_rels/.rels` names the workbook.
        let Some(doc) = self.rels.get("_rels/.rels").and_then(|r| {
            r.iter()
                .rev()
                .find(|r| r.typ.ends_with("/relationships/officeDocument"))
        }) else {
            return out;
        };
        let Ok(target) = quick_xml::escape::unescape(&doc.target) else {
            return out;
        };
        let (dir, name) = target.split_at(target.rfind('/').map_or(0, |i| i + 1));
        let xl = dir.strip_prefix('/').unwrap_or(dir);
        let name = if name.is_empty() {
            "workbook.xml"
        } else {
            name
        };
        let wb = self
            .workbooks
            .get(&format!("{xl}{name}").to_ascii_lowercase());
        let rels = self
            .rels
            .get(&format!("{xl}_rels/{name}.rels").to_ascii_lowercase());
        let (Some(sheets), Some(rels)) = (wb, rels) else {
            return out;
        };
        // calamine keeps the last relationship of an id, and the first sheet of a name.
        let targets: HashMap<&str, &str> = rels
            .iter()
            .map(|r| (r.id.as_str(), r.target.as_str()))
            .collect();
        let mut named = HashSet::new();
        for (sheet, id) in sheets {
            if !named.insert(sheet.as_str()) {
                continue;
            }
            let Some(t) = targets.get(id.as_str()) else {
                continue;
            };
            let path = match t.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("{xl}{t}"),
            };
            if let Some(Some(m)) = self.merges.get(&path.to_ascii_lowercase()) {
                out.insert(sheet.clone(), m.clone());
            }
        }
        out
    }
}

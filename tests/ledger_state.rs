//! Two months of ledgers through the month-end state (SPEC §8), as a pure function: per-unit
//! item states, overdue sets and 办结率 against figures worked out by hand below.
//!
//! Units: 甲 sends the month's items plus its open ones; 乙 sends its whole cumulative ledger
//! in May and nothing in June; 丙 sends nothing in May and its first ledger in June; 丁 sends
//! an empty ledger in May and nothing in June. due_days = 60.

use liaison::core::text::Period;
use liaison::forms::ledger::state::{Figures, ItemState, MonthState, UnitLedger, update};
use liaison::forms::ledger::{ItemCells, LedgerItem, NaiveDate, Status};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn item(id: &str, collected: &str, status: Status, settled: Option<&str>) -> LedgerItem {
    LedgerItem {
        id: id.into(),
        collected: d(collected),
        station: format!("{id}站"),
        deputies: vec!["张丽".into()],
        content: format!("{id}的意见"),
        category: "城乡建设".into(),
        handler: String::new(),
        status,
        settled: settled.map(d),
        cells: ItemCells::default(),
    }
}

use Status::{Answered as A, InProgress as P, NotStarted as N, Solved as S};

fn units() -> Vec<String> {
    ["jia", "yi", "bing", "ding"].map(String::from).to_vec()
}

fn may() -> MonthState {
    let jia = vec![
        item("J-1", "2022-03-10", P, None),
        item("J-2", "2022-05-02", S, Some("2022-05-20")),
        item("J-3", "2022-05-10", N, None),
        item("J-4", "2022-04-05", A, Some("2022-05-15")),
    ];
    let yi = vec![
        item("Y-1", "2022-01-20", S, Some("2022-02-10")),
        item("Y-2", "2022-03-31", P, None), // 61 days to 05-31: overdue
        item("Y-3", "2022-04-01", N, None), // 60 days: not yet
        item("Y-4", "2022-05-25", P, None),
    ];
    let sent = [
        UnitLedger {
            unit_id: "jia",
            sha256: "jia-05",
            items: &jia,
        },
        UnitLedger {
            unit_id: "yi",
            sha256: "yi-05",
            items: &yi,
        },
        UnitLedger {
            unit_id: "ding",
            sha256: "ding-05",
            items: &[],
        },
    ];
    update(&[], &sent, Period::new(2022, 5).unwrap(), &units(), 60)
}

fn june(previous: &[ItemState]) -> MonthState {
    let jia = vec![
        item("J-1", "2022-03-10", S, Some("2022-06-10")),
        item("J-3", "2022-05-10", N, None),
        item("J-4", "2022-04-05", P, None), // reopened: the return's word stands
        item("J-5", "2022-06-05", P, None),
    ];
    let bing = vec![
        item("B-1", "2022-04-01", P, None),
        item("B-2", "2022-06-12", A, Some("2022-06-20")),
    ];
    let sent = [
        UnitLedger {
            unit_id: "jia",
            sha256: "jia-06",
            items: &jia,
        },
        UnitLedger {
            unit_id: "bing",
            sha256: "bing-06",
            items: &bing,
        },
    ];
    update(previous, &sent, Period::new(2022, 6).unwrap(), &units(), 60)
}

/// (本月收集, 累计收集, 已解决, 已答复, 正在办理, 未办理, 超期未办结)
fn f(v: [u64; 7]) -> Figures {
    Figures {
        collected_month: v[0],
        collected_total: v[1],
        solved: v[2],
        answered: v[3],
        in_progress: v[4],
        not_started: v[5],
        overdue: v[6],
    }
}

fn unit<'a>(s: &'a MonthState, id: &str) -> (bool, Option<&'a Figures>) {
    let u = s.units.iter().find(|u| u.unit_id == id).unwrap();
    (u.sent, u.figures.as_ref())
}

fn find<'a>(s: &'a MonthState, unit: &str, id: &str) -> &'a ItemState {
    s.items
        .iter()
        .find(|i| i.unit_id == unit && i.item_id == id)
        .unwrap_or_else(|| panic!("{unit}/{id}"))
}

fn overdue_ids(s: &MonthState) -> Vec<(String, i64)> {
    s.overdue()
        .iter()
        .map(|i| (i.item_id.clone(), i.days_open(s.period)))
        .collect()
}

#[test]
fn may_figures_by_unit_and_county() {
    let s = may();
    assert_eq!(s.items.len(), 8);
    assert_eq!(unit(&s, "jia"), (true, Some(&f([2, 4, 1, 1, 1, 1, 1]))));
    assert_eq!(unit(&s, "yi"), (true, Some(&f([1, 4, 1, 0, 2, 1, 1]))));
    // 丙 sent nothing and never has: 未报送台账, not zeros.
    assert_eq!(unit(&s, "bing"), (false, None));
    // 丁 sent an empty ledger: real zeros, and no 办结率.
    assert_eq!(unit(&s, "ding"), (true, Some(&f([0; 7]))));
    assert_eq!(unit(&s, "ding").1.unwrap().rate(), None);
    assert_eq!(s.total, f([3, 8, 2, 1, 3, 2, 2]));
    assert_eq!(unit(&s, "jia").1.unwrap().rate(), Some(2.0 / 4.0));
    assert_eq!(unit(&s, "yi").1.unwrap().rate(), Some(1.0 / 4.0));
    assert_eq!(s.total.rate(), Some(3.0 / 8.0));
    assert_eq!(
        overdue_ids(&s),
        vec![("J-1".to_string(), 82), ("Y-2".to_string(), 61)]
    );
    assert_eq!(find(&s, "jia", "J-2").days_open(s.period), 18);
}

#[test]
fn june_updates_last_months_state() {
    let m = may();
    let s = june(&m.items);
    assert_eq!(s.items.len(), 11);
    let jun = Period::new(2022, 6).unwrap();
    let may = Period::new(2022, 5).unwrap();
    // Sent this month: the return's state, first seen in May, from June's return.
    let j1 = find(&s, "jia", "J-1");
    assert_eq!(
        (
            j1.status,
            j1.settled,
            j1.first_period,
            j1.source_sha256.as_str()
        ),
        (S, Some(d("2022-06-10")), may, "jia-06")
    );
    let j4 = find(&s, "jia", "J-4");
    assert_eq!((j4.status, j4.settled), (P, None));
    let j5 = find(&s, "jia", "J-5");
    assert_eq!(
        (j5.first_period, j5.source_sha256.as_str()),
        (jun, "jia-06")
    );
    // Settled and not sent again: kept as it was, from May's return.
    let j2 = find(&s, "jia", "J-2");
    assert_eq!(
        (j2.status, j2.settled, j2.source_sha256.as_str()),
        (S, Some(d("2022-05-20")), "jia-05")
    );
    // 乙 sent nothing: every item keeps its May state.
    for id in ["Y-1", "Y-2", "Y-3", "Y-4"] {
        assert_eq!(find(&s, "yi", id), find(&m, "yi", id), "{id}");
    }
    let b1 = find(&s, "bing", "B-1");
    assert_eq!((b1.first_period, b1.status), (jun, P));
}

#[test]
fn june_figures_overdue_and_rates() {
    let s = june(&may().items);
    assert_eq!(unit(&s, "jia"), (true, Some(&f([1, 5, 2, 0, 2, 1, 1]))));
    // 乙 sent no ledger in June: marked, its items' last states still counted.
    assert_eq!(unit(&s, "yi"), (false, Some(&f([0, 4, 1, 0, 2, 1, 2]))));
    assert_eq!(unit(&s, "bing"), (true, Some(&f([1, 2, 0, 1, 1, 0, 1]))));
    // 丁's May ledger was empty and June brought none: nothing known, so 未报送台账.
    assert_eq!(unit(&s, "ding"), (false, None));
    assert_eq!(s.total, f([2, 11, 3, 1, 5, 2, 4]));
    assert_eq!(s.total.rate(), Some(4.0 / 11.0));
    assert_eq!(unit(&s, "jia").1.unwrap().rate(), Some(2.0 / 5.0));
    assert_eq!(unit(&s, "bing").1.unwrap().rate(), Some(1.0 / 2.0));
    // Longest open first; ties by unit then 编号.
    let want: Vec<(String, i64)> = [("Y-2", 91), ("B-1", 90), ("Y-3", 90), ("J-4", 86)]
        .iter()
        .map(|(i, n)| (i.to_string(), *n))
        .collect();
    assert_eq!(overdue_ids(&s), want);
    // The county's overdue figure is the overdue list's length.
    assert_eq!(s.total.overdue as usize, s.overdue().len());
    // What next month's reopened check compares against.
    assert_eq!(s.statuses("jia").get("J-4"), Some(&P));
}

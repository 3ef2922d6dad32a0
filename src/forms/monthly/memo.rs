//! Answers of the header matcher kept per thread: every town's copy of the template repeats
//! the same header texts, so a question asked of one return is asked again of the next.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use foldhash::HashMap;

use super::split::Part;

/// A header text as the search reads it: cleaned, its part word, the metric it names alone.
pub(super) type HeaderText = (Box<str>, Part, Option<usize>);

/// Answers kept at most for one question (station names and notes are one-off; header words
/// come first).
const MAX: usize = 8192;

/// The questions whose answers are kept.
#[derive(Clone, Copy)]
pub(super) enum Question {
    /// The metric a text names part of, under a group's text (`Matcher::partial`).
    Partial = 0,
    /// The metric of a column name split over two rows (`Matcher::metric_of_joined`).
    Joined = 1,
}

/// One thread's answers, for one matcher at a time.
#[derive(Default)]
struct Kept {
    matcher: u64,
    key: String,
    answers: [HashMap<Box<str>, Option<usize>>; 2],
    /// Header texts as read (`cleaned`), by their text as written.
    texts: HashMap<Box<str>, HeaderText>,
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::default();
}

/// A number no other matcher of this process has: answers kept for one are never another's.
pub(super) fn new_matcher_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// `f` of header text `raw` as `matcher` reads it (`work()`): worked out the first time this
/// thread reads the text, then kept. `f` must not read another text through this memo.
pub(super) fn cleaned<R>(
    matcher: u64,
    raw: &str,
    work: impl FnOnce() -> HeaderText,
    f: impl FnOnce(&str, Part, Option<usize>) -> R,
) -> R {
    let mut f = Some(f);
    let found = KEPT.with_borrow_mut(|k| {
        if k.matcher != matcher {
            *k = Kept {
                matcher,
                ..Kept::default()
            };
        }
        let (clean, part, metric) = k.texts.get(raw)?;
        f.take().map(|f| f(clean, *part, *metric))
    });
    if let Some(out) = found {
        return out;
    }
    let (clean, part, metric) = work();
    let out = f.take().map(|f| f(&clean, part, metric));
    KEPT.with_borrow_mut(|k| {
        if k.matcher == matcher && k.texts.len() < MAX {
            k.texts.insert(raw.into(), (clean, part, metric));
        }
    });
    out.expect("f is called once: the text was not found, so it was not called")
}

/// `answer()`, the answer of `matcher` to question `q` of texts `a` and `b`: worked out the
/// first time this thread asks, then kept. `answer` must depend on the two texts only.
pub(super) fn ask(
    matcher: u64,
    q: Question,
    a: &str,
    b: &str,
    answer: impl FnOnce() -> Option<usize>,
) -> Option<usize> {
    let found = KEPT.with_borrow_mut(|k| {
        if k.matcher != matcher {
            *k = Kept {
                matcher,
                ..Kept::default()
            };
        }
        k.key.clear();
        k.key.push_str(a);
        // No cell text holds U+0000 where the two texts meet: XML cannot carry it.
        k.key.push('\0');
        k.key.push_str(b);
        k.answers[q as usize].get(k.key.as_str()).copied()
    });
    if let Some(found) = found {
        return found;
    }
    // Worked out with nothing borrowed: the answer may ask another question.
    let got = answer();
    KEPT.with_borrow_mut(|k| {
        let map = &mut k.answers[q as usize];
        if k.matcher == matcher && map.len() < MAX {
            let key = format!("{a}\0{b}").into_boxed_str();
            map.insert(key, got);
        }
    });
    got
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_worked_out_once_per_matcher_and_texts() {
        let (m1, m2) = (new_matcher_id(), new_matcher_id());
        let mut asked = 0;
        for _ in 0..3 {
            let got = ask(m1, Question::Partial, "走访", "活动方式", || {
                asked += 1;
                Some(3)
            });
            assert_eq!(got, Some(3));
        }
        assert_eq!(asked, 1);
        // Another question, other texts, another matcher: asked again.
        assert_eq!(ask(m1, Question::Joined, "走访", "活动方式", || None), None);
        assert_eq!(
            ask(m1, Question::Partial, "走访活", "动方式", || Some(1)),
            Some(1)
        );
        assert_eq!(
            ask(m2, Question::Partial, "走访", "活动方式", || None),
            None
        );
    }

    #[test]
    fn a_text_is_read_once_per_matcher() {
        let m = new_matcher_id();
        let mut worked = 0;
        for _ in 0..3 {
            let work = || {
                worked += 1;
                ("接待走访选民".into(), Part::Month, Some(4))
            };
            let got = cleaned(m, "接待走访选民（本月）", work, |c, p, i| {
                (c.to_string(), p, i)
            });
            assert_eq!(got, ("接待走访选民".to_string(), Part::Month, Some(4)));
        }
        assert_eq!(worked, 1);
    }
}

//! What the header matcher worked out, kept per thread for as long as the matcher lives: every
//! town's copy of the template repeats the same header texts, from one return to the next.

use std::cell::RefCell;

use foldhash::HashMap;
use thread_local::ThreadLocal;

/// Entries kept at most for one question (station names and notes are one-off; header words
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

/// One thread's entries: `T` is a header text as the matcher reads it.
struct Kept<T> {
    key: Vec<u8>,
    answers: [HashMap<Box<[u8]>, Option<usize>>; 2],
    /// Header texts as read (`cleaned`), by their text as written.
    texts: HashMap<Box<str>, T>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            key: Vec::new(),
            answers: Default::default(),
            texts: HashMap::default(),
        }
    }
}

/// A matcher's entries, one set per thread that reads with it (no lock per cell), dropped with
/// the matcher.
pub(super) struct Memo<T: Send>(ThreadLocal<RefCell<Kept<T>>>);

impl<T: Send> Default for Memo<T> {
    fn default() -> Self {
        Memo(ThreadLocal::new())
    }
}

impl<T: Send> Memo<T> {
    fn kept(&self) -> &RefCell<Kept<T>> {
        self.0.get_or_default()
    }

    /// `f` of header text `raw` as the matcher reads it (`work()`): worked out the first time
    /// this thread reads the text, then kept. `f` must not read a text through this memo.
    pub(super) fn cleaned<R>(
        &self,
        raw: &str,
        work: impl FnOnce() -> T,
        f: impl FnOnce(&T) -> R,
    ) -> R {
        let mut f = Some(f);
        let found = {
            let k = self.kept().borrow();
            k.texts.get(raw).and_then(|t| f.take().map(|f| f(t)))
        };
        if let Some(out) = found {
            return out;
        }
        let text = work();
        let out = f.take().map(|f| f(&text));
        let mut k = self.kept().borrow_mut();
        if k.texts.len() < MAX {
            k.texts.insert(raw.into(), text);
        }
        out.expect("f is called once: the text was not found, so it was not called")
    }

    /// `answer()`, the answer to question `q` of texts `a` and `b`: worked out the first time
    /// this thread asks, then kept. `answer` must depend on the two texts only.
    pub(super) fn ask(
        &self,
        q: Question,
        a: &str,
        b: &str,
        answer: impl FnOnce() -> Option<usize>,
    ) -> Option<usize> {
        let found = {
            let k = &mut *self.kept().borrow_mut();
            pair_key(&mut k.key, a, b);
            k.answers[q as usize].get(k.key.as_slice()).copied()
        };
        if let Some(found) = found {
            return found;
        }
        // Worked out with nothing borrowed: the answer may ask another question.
        let got = answer();
        let k = &mut *self.kept().borrow_mut();
        if k.answers[q as usize].len() < MAX {
            pair_key(&mut k.key, a, b);
            k.answers[q as usize].insert(k.key.as_slice().into(), got);
        }
        got
    }
}

/// The key of a pair of texts: the first one's length, then both (no two pairs share one).
fn pair_key(key: &mut Vec<u8>, a: &str, b: &str) {
    key.clear();
    key.extend_from_slice(&a.len().to_le_bytes());
    key.extend_from_slice(a.as_bytes());
    key.extend_from_slice(b.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_worked_out_once_per_question_and_texts() {
        let m = Memo::<()>::default();
        let mut asked = 0;
        for _ in 0..3 {
            let got = m.ask(Question::Partial, "走访", "活动方式", || {
                asked += 1;
                Some(3)
            });
            assert_eq!(got, Some(3));
        }
        assert_eq!(asked, 1);
        // Another question, other texts, another matcher's memo: asked again.
        assert_eq!(m.ask(Question::Joined, "走访", "活动方式", || None), None);
        assert_eq!(
            m.ask(Question::Partial, "走访活", "动方式", || Some(1)),
            Some(1)
        );
        // Texts that meet at another place are another question.
        assert_eq!(
            m.ask(Question::Partial, "走访\0活", "动方式", || Some(2)),
            Some(2)
        );
        assert_eq!(
            m.ask(Question::Partial, "走访", "\0活动方式", || Some(5)),
            Some(5)
        );
        let other = Memo::<()>::default();
        assert_eq!(
            other.ask(Question::Partial, "走访", "活动方式", || None),
            None
        );
    }

    #[test]
    fn a_text_is_read_once_per_memo_and_thread() {
        let m = Memo::<(String, u8)>::default();
        let worked = std::sync::atomic::AtomicUsize::new(0);
        let read = || {
            let work = || {
                worked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                ("接待走访选民".to_string(), 4)
            };
            m.cleaned("接待走访选民（本月）", work, |t| t.clone())
        };
        for _ in 0..3 {
            assert_eq!(read(), ("接待走访选民".to_string(), 4));
        }
        assert_eq!(worked.load(std::sync::atomic::Ordering::Relaxed), 1);
        // Another thread works it out for itself.
        std::thread::scope(|s| {
            s.spawn(read);
        });
        assert_eq!(worked.load(std::sync::atomic::Ordering::Relaxed), 2);
    }
}

//! Small bounded memories the buttons point into (a question being paged,
//! a scanned supplier bag waiting for its box). Lost on restart: a button
//! pointing at a forgotten entry says so and asks again.

use std::collections::VecDeque;
use std::sync::Mutex;

/// The newest `capacity` entries, by number.
#[derive(Debug)]
pub struct Memo<T> {
    inner: Mutex<(u64, VecDeque<(u64, T)>)>,
    capacity: usize,
}

impl<T: Clone> Memo<T> {
    pub fn new(capacity: usize) -> Memo<T> {
        Memo {
            inner: Mutex::new((0, VecDeque::new())),
            capacity: capacity.max(1),
        }
    }

    /// Keeps `value`; returns its number.
    pub fn put(&self, value: T) -> u64 {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (next, entries) = &mut *guard;
        *next += 1;
        entries.push_back((*next, value));
        while entries.len() > self.capacity {
            entries.pop_front();
        }
        *next
    }

    pub fn get(&self, key: u64) -> Option<T> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .1
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }

    /// Takes the entry out (a proposal is used once).
    pub fn take(&self, key: u64) -> Option<T> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let at = guard.1.iter().position(|(k, _)| *k == key)?;
        guard.1.remove(at).map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest() {
        let memo = Memo::new(2);
        let a = memo.put("a");
        let b = memo.put("b");
        let c = memo.put("c");
        assert_eq!(memo.get(a), None);
        assert_eq!(memo.get(b), Some("b"));
        assert_eq!(memo.take(c), Some("c"));
        assert_eq!(memo.take(c), None);
    }
}

//! The reactor's timers: a min-heap of deadlines. Cancelling is left to
//! handlers, which ignore tokens they no longer expect.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

use super::Key;

#[derive(Debug, Default)]
pub struct Timers {
    heap: BinaryHeap<Reverse<(Instant, u64, u64, u64)>>,
    seq: u64,
}

impl Timers {
    /// Adds a timer; true if it is now the earliest.
    pub fn add(&mut self, at: Instant, key: Key, token: u64) -> bool {
        self.seq += 1;
        let earliest = self.next().is_none_or(|first| at < first);
        self.heap.push(Reverse((at, self.seq, key.0, token)));
        earliest
    }

    /// The earliest deadline.
    pub fn next(&self) -> Option<Instant> {
        self.heap.peek().map(|Reverse((at, ..))| *at)
    }

    /// Removes and returns every timer due by `now`, earliest first.
    pub fn take_due(&mut self, now: Instant) -> Vec<(Key, u64)> {
        let mut due = Vec::new();
        while let Some(Reverse((at, _, key, token))) = self.heap.peek().copied() {
            if at > now {
                break;
            }
            self.heap.pop();
            due.push((Key(key), token));
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn earliest_first() {
        let mut t = Timers::default();
        let now = Instant::now();
        assert!(t.add(now + Duration::from_millis(20), Key(1), 1));
        assert!(t.add(now + Duration::from_millis(10), Key(2), 2));
        assert!(!t.add(now + Duration::from_millis(30), Key(3), 3));
        assert_eq!(t.take_due(now + Duration::from_millis(25)), vec![(Key(2), 2), (Key(1), 1)]);
        assert_eq!(t.next(), Some(now + Duration::from_millis(30)));
    }
}

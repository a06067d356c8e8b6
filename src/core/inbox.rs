//! A socket's receive queue: messages ready for `nn_recv`, bounded in bytes
//! by NN_RCVBUF. A message always fits in an empty queue, so one larger
//! than the bound still gets through.
//!
//! It is also the fair queue of NN_RCVPRIO: one queue per priority (1 is
//! the highest, 16 the lowest), the best non-empty one served first, each
//! in arrival order, so pipes of equal priority share by arrival.

use std::collections::VecDeque;

use super::msg::Msg;

/// Number of receive priorities.
const PRIORITIES: usize = 16;

/// Received messages waiting for the user.
#[derive(Debug, Default)]
pub struct Inbox {
    queues: [VecDeque<Msg>; PRIORITIES],
    /// Bit `p - 1` is set while the queue of priority `p` has messages.
    filled: u16,
    bytes: usize,
}

impl Inbox {
    /// Whether a message of `len` bytes fits under `limit`.
    pub fn has_room(&self, len: usize, limit: usize) -> bool {
        self.is_empty() || self.bytes + len <= limit
    }

    /// Queues a message that came from a pipe of `priority` (1 to 16).
    pub fn push(&mut self, msg: Msg, priority: u8) {
        let level = Self::level(priority);
        self.bytes += msg.body.len();
        self.queues[level].push_back(msg);
        self.filled |= 1 << level;
    }

    /// Queues a batch of messages, `bytes` in all, that came from a pipe
    /// of `priority`, leaving `msgs` empty. Into an empty queue the batch
    /// goes whole (the two swap buffers): nothing is moved.
    pub fn push_all(&mut self, msgs: &mut VecDeque<Msg>, bytes: usize, priority: u8) {
        if msgs.is_empty() {
            return;
        }
        let level = Self::level(priority);
        let queue = &mut self.queues[level];
        if queue.is_empty() {
            std::mem::swap(queue, msgs);
        } else {
            queue.append(msgs);
        }
        self.bytes += bytes;
        self.filled |= 1 << level;
    }

    /// The queue of a priority (1 to 16; others are clamped).
    fn level(priority: u8) -> usize {
        usize::from(priority.clamp(1, PRIORITIES as u8) - 1)
    }

    /// Takes the oldest message of the best priority.
    pub fn pop(&mut self) -> Option<Msg> {
        let level = self.filled.trailing_zeros() as usize;
        let queue = self.queues.get_mut(level)?;
        let msg = queue.pop_front()?;
        if queue.is_empty() {
            self.filled &= !(1 << level);
        }
        self.bytes -= msg.body.len();
        Some(msg)
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.filled == 0
    }

    /// Bytes waiting.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::msg::Body;

    fn msg(len: usize) -> Msg {
        Msg::new(Body::copy_from(&vec![0; len], 0).unwrap())
    }

    #[test]
    fn bounded_in_bytes_but_never_empty_and_full() {
        let mut inbox = Inbox::default();
        assert!(inbox.has_room(100, 10));
        inbox.push(msg(100), 8);
        assert!(!inbox.has_room(1, 10));
        assert!(inbox.has_room(1, 101));
        assert_eq!(inbox.bytes(), 100);
        assert_eq!(inbox.pop().map(|m| m.body.len()), Some(100));
        assert!(inbox.is_empty() && inbox.pop().is_none());
    }

    #[test]
    fn a_batch_is_queued_whole_after_what_waits() {
        let mut inbox = Inbox::default();
        let mut batch: VecDeque<Msg> = [1, 2].into_iter().map(msg).collect();
        inbox.push_all(&mut batch, 3, 4);
        assert!(batch.is_empty());
        inbox.push_all(&mut batch, 0, 4);
        batch.extend([3, 4].into_iter().map(msg));
        inbox.push_all(&mut batch, 7, 4);
        inbox.push(msg(5), 1);
        assert_eq!(inbox.bytes(), 15);
        let order: Vec<usize> = std::iter::from_fn(|| inbox.pop()).map(|m| m.body.len()).collect();
        assert_eq!(order, [5, 1, 2, 3, 4]);
        assert!(inbox.is_empty() && inbox.bytes() == 0);
    }

    #[test]
    fn the_best_priority_first_then_arrival_order() {
        let mut inbox = Inbox::default();
        for (len, priority) in [(1, 8), (2, 16), (3, 1), (4, 8), (5, 0), (6, 200)] {
            inbox.push(msg(len), priority);
        }
        let order: Vec<usize> = std::iter::from_fn(|| inbox.pop()).map(|m| m.body.len()).collect();
        assert_eq!(order, [3, 5, 1, 4, 2, 6]);
        assert_eq!(inbox.bytes(), 0);
    }
}

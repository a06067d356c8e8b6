//! A socket's receive queue: messages ready for `nn_recv`, bounded in bytes
//! by NN_RCVBUF. A message always fits in an empty queue, so one larger
//! than the bound still gets through.

use std::collections::VecDeque;

use super::msg::Msg;

/// Received messages waiting for the user.
#[derive(Debug, Default)]
pub struct Inbox {
    queue: VecDeque<Msg>,
    bytes: usize,
}

impl Inbox {
    /// Whether a message of `len` bytes fits under `limit`.
    pub fn has_room(&self, len: usize, limit: usize) -> bool {
        self.queue.is_empty() || self.bytes + len <= limit
    }

    /// Queues a message.
    pub fn push(&mut self, msg: Msg) {
        self.bytes += msg.body.len();
        self.queue.push_back(msg);
    }

    /// Takes the oldest message.
    pub fn pop(&mut self) -> Option<Msg> {
        let msg = self.queue.pop_front()?;
        self.bytes -= msg.body.len();
        Some(msg)
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
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

    #[test]
    fn bounded_in_bytes_but_never_empty_and_full() {
        let mut inbox = Inbox::default();
        let big = Msg::new(Body::copy_from(&[0; 100], 0).unwrap());
        assert!(inbox.has_room(100, 10));
        inbox.push(big);
        assert!(!inbox.has_room(1, 10));
        assert!(inbox.has_room(1, 101));
        assert_eq!(inbox.bytes(), 100);
        assert_eq!(inbox.pop().map(|m| m.body.len()), Some(100));
        assert!(inbox.is_empty() && inbox.pop().is_none());
    }
}

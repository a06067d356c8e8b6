//! Per-socket statistics for `nn_get_statistic`: atomic counters the
//! engine bumps as connections come and go, and the message counters
//! (`Traffic`), which sends and receives bump under the socket's lock they
//! hold anyway: an atomic add costs a send a measurable part of its time.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// One statistic of the NN_STAT_* list, in the order of its counter slot.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stat {
    EstablishedConnections,
    AcceptedConnections,
    DroppedConnections,
    BrokenConnections,
    ConnectErrors,
    BindErrors,
    AcceptErrors,
    CurrentConnections,
    InProgressConnections,
    CurrentEndpointErrors,
    MessagesSent,
    MessagesReceived,
    BytesSent,
    BytesReceived,
    CurrentSendPriority,
    /// Not in nanomsg: messages dropped as malformed (a bad SP header, a
    /// backtrace deeper than NN_MAXTTL) or stale (a reply or an answer to
    /// nothing outstanding). Number 390, NNRS_STAT_DROPPED_MESSAGES.
    DroppedMessages,
}

/// Every statistic with its NN_STAT_* number.
const NUMBERS: [(Stat, i32); 16] = [
    (Stat::EstablishedConnections, 101),
    (Stat::AcceptedConnections, 102),
    (Stat::DroppedConnections, 103),
    (Stat::BrokenConnections, 104),
    (Stat::ConnectErrors, 105),
    (Stat::BindErrors, 106),
    (Stat::AcceptErrors, 107),
    (Stat::CurrentConnections, 201),
    (Stat::InProgressConnections, 202),
    (Stat::CurrentEndpointErrors, 203),
    (Stat::MessagesSent, 301),
    (Stat::MessagesReceived, 302),
    (Stat::BytesSent, 303),
    (Stat::BytesReceived, 304),
    (Stat::CurrentSendPriority, 401),
    (Stat::DroppedMessages, 390),
];

impl Stat {
    /// The statistic with NN_STAT_* number `number`, if there is one.
    pub fn from_number(number: i32) -> Option<Stat> {
        NUMBERS.iter().find(|(_, n)| *n == number).map(|(s, _)| *s)
    }
}

/// The counters of one socket; all start at 0.
#[derive(Debug, Default)]
pub struct Stats {
    counters: [AtomicU64; NUMBERS.len()],
}

impl Stats {
    /// The current value of `stat`.
    pub fn get(&self, stat: Stat) -> u64 {
        self.counters[stat as usize].load(Relaxed)
    }

    /// Adds `n` to a counter.
    pub fn add(&self, stat: Stat, n: u64) {
        self.counters[stat as usize].fetch_add(n, Relaxed);
    }

    /// Takes `n` from a gauge such as the current connections.
    pub fn sub(&self, stat: Stat, n: u64) {
        self.counters[stat as usize].fetch_sub(n, Relaxed);
    }

    /// Sets a gauge such as the current send priority.
    pub fn set(&self, stat: Stat, value: u64) {
        self.counters[stat as usize].store(value, Relaxed);
    }
}

/// Messages and bytes sent and received, kept behind the socket's lock.
#[derive(Debug, Default)]
pub struct Traffic {
    messages_sent: u64,
    bytes_sent: u64,
    messages_received: u64,
    bytes_received: u64,
}

impl Traffic {
    /// A message of `bytes` was handed to the pipes.
    pub fn sent(&mut self, bytes: usize) {
        self.messages_sent += 1;
        self.bytes_sent += bytes as u64;
    }

    /// A message counted as sent was refused after all.
    pub fn unsent(&mut self, bytes: usize) {
        self.messages_sent -= 1;
        self.bytes_sent -= bytes as u64;
    }

    /// A message of `bytes` was received.
    pub fn received(&mut self, bytes: usize) {
        self.messages_received += 1;
        self.bytes_received += bytes as u64;
    }

    /// The value of `stat`, if it is one of these counters.
    pub fn get(&self, stat: Stat) -> Option<u64> {
        match stat {
            Stat::MessagesSent => Some(self.messages_sent),
            Stat::BytesSent => Some(self.bytes_sent),
            Stat::MessagesReceived => Some(self.messages_received),
            Stat::BytesReceived => Some(self.bytes_received),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_map_to_distinct_slots() {
        for (i, (stat, number)) in NUMBERS.iter().enumerate() {
            assert_eq!(*stat as usize, i);
            assert_eq!(Stat::from_number(*number), Some(*stat));
        }
        assert_eq!(Stat::from_number(300), None);
    }

    #[test]
    fn counters_move() {
        let s = Stats::default();
        s.add(Stat::MessagesSent, 3);
        s.sub(Stat::MessagesSent, 1);
        assert_eq!(s.get(Stat::MessagesSent), 2);
        s.set(Stat::CurrentSendPriority, 8);
        assert_eq!(s.get(Stat::CurrentSendPriority), 8);
    }

    #[test]
    fn traffic_counts_messages_and_bytes() {
        let mut t = Traffic::default();
        t.sent(10);
        t.sent(5);
        t.unsent(5);
        t.received(7);
        assert_eq!(t.get(Stat::MessagesSent), Some(1));
        assert_eq!(t.get(Stat::BytesSent), Some(10));
        assert_eq!(t.get(Stat::MessagesReceived), Some(1));
        assert_eq!(t.get(Stat::BytesReceived), Some(7));
        assert_eq!(t.get(Stat::CurrentConnections), None);
    }
}

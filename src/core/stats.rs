//! Per-socket statistics for `nn_get_statistic`: plain atomic counters the
//! engine bumps as connections come and go and messages move.

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
}

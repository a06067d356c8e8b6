//! A receiver that has caught up with a stream of messages naps before it
//! reads its pipes again, so that it finds a batch there, not one or two
//! messages. Taking each message as it comes makes the sender and the
//! receiver fight over the same cache lines for every message, which on
//! two cores costs more than both threads' own work; napping lets the
//! sender fill a batch alone, and hand it over with one wake-up.
//!
//! Only a receiver of a stream naps: one whose last call on the socket
//! was a receive that returned a message. One that sends between its
//! receives (a ping-pong, a request and its reply) never naps, and keeps
//! its latency. Only inproc pipes are napped on: they hand a full batch
//! to the socket themselves, which ends the nap at once; other pipes
//! would not.

use std::sync::MutexGuard;
use std::time::{Duration, Instant};

use super::socket::{Socket, State};

/// How long a nap lasts at most: a message that comes alone while a
/// receiver naps waits this long at most.
const NAP: Duration = Duration::from_micros(10);

impl Socket {
    /// Whether a receiver that finds nothing queued should nap first.
    pub(super) fn should_nap(&self, state: &State) -> bool {
        state.streaming && state.batched && !state.io_reads
    }

    /// Naps until a batch is delivered, `NAP` passes or the deadline
    /// comes, whichever is first.
    // Releases the socket lock, and takes it again.
    pub(super) fn nap<'a>(&'a self, mut state: MutexGuard<'a, State>, deadline: Option<Instant>) -> MutexGuard<'a, State> {
        let now = Instant::now();
        let until = deadline.map_or(now + NAP, |d| d.min(now + NAP));
        if until <= now {
            return state;
        }
        // Counted as a waiter, so that a delivery wakes it.
        state.recv_waiters += 1;
        let mut state = self.can_recv.wait_timeout(state, until - now).unwrap_or_else(|e| e.into_inner()).0;
        state.recv_waiters -= 1;
        state
    }
}

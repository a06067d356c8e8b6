//! A receiver about to sleep first spins a little while, watching for a
//! message, when messages have lately come that soon. A sleeping thread
//! takes tens of microseconds to wake, most of a ping-pong's latency; a
//! spinning one notices at once, and its sender need not wake anybody.
//! It spins only with more than one CPU, for at most `SPIN`, and only
//! while it pays: after a spin in vain it does not spin for the next
//! `BACKOFF` waits, then again once a wait ends within `SPIN`.

use std::sync::atomic::Ordering;
use std::sync::MutexGuard;
use std::time::{Duration, Instant};

use super::socket::{Socket, State};

/// How long a receiver spins before it sleeps.
const SPIN: Duration = Duration::from_micros(50);
/// Waits without spinning after a spin in vain.
const BACKOFF: u8 = 16;

/// A socket's spinning state, behind its lock.
#[derive(Debug, Default)]
pub(super) struct SpinState {
    /// The last wait ended within `SPIN`.
    quick: bool,
    /// Waits left before spinning is tried again.
    backoff: u8,
}

impl SpinState {
    /// Whether the next wait should spin first.
    fn worth_a_try(&self) -> bool {
        self.quick && self.backoff == 0
    }

    /// A spin ended in vain: rest for `BACKOFF` waits.
    fn in_vain(&mut self) {
        *self = SpinState { quick: false, backoff: BACKOFF };
    }

    /// A wait ended with a message after `waited`: spin next time if it
    /// came within the spin (and no backoff runs).
    pub(super) fn ended_after(&mut self, waited: Duration) {
        if self.backoff > 0 {
            self.backoff -= 1;
        } else {
            self.quick = waited <= SPIN;
        }
    }
}

/// Whether spinning can help at all: with one CPU it only delays the
/// thread that would send.
fn worth_spinning() -> bool {
    static CPUS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CPUS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get())) > 1
}

impl Socket {
    /// Whether a receiver with nothing to take should spin before it
    /// sleeps: only where nothing but the senders and itself is needed
    /// for a message to arrive (inproc pipes, or pipes its receivers read
    /// themselves), not where it would take the CPU from the I/O thread
    /// that reads for it.
    pub(super) fn should_spin(&self, state: &State) -> bool {
        let receivers_read = !state.io_reads || state.pipes.values().all(|e| !e.pipe.ops.pulls());
        state.spin.worth_a_try() && receivers_read && worth_spinning()
    }

    /// Spins, with the lock released, until something arrives or `SPIN`
    /// passes, reading the pipes that can be read on this thread.
    // Releases the socket lock, and takes it again.
    pub(super) fn spin<'a>(&'a self, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        let mut state = self.spin_for_arrival(state);
        if !state.inbox.is_empty() {
            return state;
        }
        // In vain (or what came was not for the queue).
        state.spin.in_vain();
        state
    }

    /// The spin itself: until the arrivals count moves, or `SPIN` passes.
    // Releases the socket lock, and takes it again.
    fn spin_for_arrival<'a>(&'a self, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        let seen = self.arrivals.load(Ordering::Acquire);
        let pipes = state.pullable.clone();
        drop(state);
        let until = Instant::now() + SPIN;
        while self.arrivals.load(Ordering::Acquire) == seen && Instant::now() < until {
            for pipe in pipes.iter() {
                pipe.pull();
            }
            if pipes.is_empty() {
                for _ in 0..64 {
                    std::hint::spin_loop();
                }
            }
        }
        self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spins_after_quick_waits_and_rests_after_a_spin_in_vain() {
        let mut spin = SpinState::default();
        assert!(!spin.worth_a_try(), "not before any wait");
        spin.ended_after(SPIN * 2);
        assert!(!spin.worth_a_try(), "a slow wait");
        spin.ended_after(SPIN / 2);
        assert!(spin.worth_a_try(), "a quick wait");
        spin.in_vain();
        for _ in 0..BACKOFF {
            assert!(!spin.worth_a_try(), "resting");
            spin.ended_after(Duration::ZERO);
        }
        assert!(!spin.worth_a_try(), "rested, but no quick wait seen since");
        spin.ended_after(Duration::ZERO);
        assert!(spin.worth_a_try());
    }
}

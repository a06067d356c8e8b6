//! A receiver about to sleep first spins a little while, watching for a
//! message, when messages have lately come that soon. A sleeping thread
//! takes tens of microseconds to wake, most of a ping-pong's latency; a
//! spinning one notices at once, and its sender need not wake anybody.
//! It spins only with more than one CPU, for at most `SPIN`, and only
//! while it pays: a wait that outlasts the spin stops the spinning until
//! a wait ends within it again.

use std::sync::atomic::Ordering;
use std::sync::MutexGuard;
use std::time::{Duration, Instant};

use super::socket::{Socket, State};

/// How long a receiver spins before it sleeps.
pub(super) const SPIN: Duration = Duration::from_micros(50);

/// Whether spinning can help at all: with one CPU it only delays the
/// thread that would send.
fn worth_spinning() -> bool {
    static CPUS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CPUS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get())) > 1
}

impl Socket {
    /// Whether a receiver with nothing to take should spin before it
    /// sleeps.
    pub(super) fn should_spin(&self, state: &State) -> bool {
        state.spin && worth_spinning()
    }

    /// Spins, with the lock released, until something arrives or `SPIN`
    /// passes; pipes that can be read on this thread are read meanwhile.
    // Releases the socket lock, and takes it again.
    pub(super) fn spin<'a>(&'a self, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        let seen = self.arrivals.load(Ordering::Acquire);
        let pipes: Vec<_> = state.pipes.values().map(|e| e.pipe.ops.clone()).filter(|p| p.pulls()).collect();
        drop(state);
        let until = Instant::now() + SPIN;
        while self.arrivals.load(Ordering::Acquire) == seen && Instant::now() < until {
            for pipe in &pipes {
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

    /// A receiver that began to wait at `began` got a message now: spin
    /// next time if this one came within the spin.
    pub(super) fn waited(&self, state: &mut State, began: Instant) {
        state.spin = began.elapsed() <= SPIN;
    }
}

//! A receiver that would sleep watches its connections' fds itself when
//! it can: bytes arriving wake it directly, and it reads them on its own
//! thread. Otherwise the reactor reads them and wakes the receiver: two
//! thread wake-ups per message instead of one, which is most of a
//! message's latency.
//!
//! Anything else that a sleeping receiver must hear of (a delivery by the
//! reactor or an inproc peer, a close, a new pipe, a protocol timer)
//! raises the socket's kick fd, which the watcher polls too.

use std::sync::{Arc, MutexGuard};
use std::time::Instant;

use rustix::event::{PollFd, PollFlags, Timespec};

use super::error::{Error, Result};
use super::ready::ReadySignal;
use super::socket::{Socket, State};
use crate::transport::pipe::{PipeId, PipeOps};

/// Most pipes a receiver watches itself; with more it sleeps on the
/// condition variable and the reactor reads.
const MAX_WATCHED: usize = 16;

/// Who sleeps waiting to receive, as counted under the socket's lock.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sleepers {
    waiters: bool,
    watchers: bool,
}

impl Sleepers {
    pub(super) fn of(state: &State) -> Sleepers {
        Sleepers { waiters: state.recv_waiters > 0, watchers: state.recv_watchers > 0 }
    }
}

/// Whether a receiver can poll every pipe of the socket itself: a few,
/// each with an fd.
fn watchable(state: &State) -> bool {
    !state.pipes.is_empty()
        && state.pipes.len() <= MAX_WATCHED
        && state.pipes.values().all(|e| e.pipe.ops.fd().is_some())
}

/// Whether every pipe is one that buffers what arrives until a receiver
/// pulls it and has no fd (inproc): a receiver sleeps on the condition
/// variable, and such pipes deliver at once while it does.
fn pulled_without_fds(state: &State) -> bool {
    !state.pipes.is_empty() && state.pipes.values().all(|e| e.pipe.ops.fd().is_none() && e.pipe.ops.pulls())
}

/// Brings `State::pullable` and `State::batched` up to date, as pipes
/// come or go.
pub(super) fn note_pipes(state: &mut State) {
    state.pullable = state.pipes.values().map(|e| e.pipe.ops.clone()).filter(|p| p.pulls()).collect();
    state.batched = pulled_without_fds(state);
}

impl Socket {
    /// Wakes whoever waits to receive (one waiter, or `all`).
    pub(super) fn wake_receivers(&self, state: &State, all: bool) {
        self.wake(Sleepers::of(state), all);
    }

    /// Wakes the receivers counted in `sleepers`; the lock need not be held.
    pub(super) fn wake(&self, sleepers: Sleepers, all: bool) {
        if sleepers.waiters {
            if all {
                self.can_recv.notify_all();
            } else {
                self.can_recv.notify_one();
            }
        }
        if sleepers.watchers {
            if let Some(kick) = self.kick.get() {
                kick.set(true);
            }
        }
    }

    /// Waits, polling the pipes' fds, until one is readable, the socket
    /// is kicked or `deadline` passes (ETIMEDOUT then). `Ok(None)`, with
    /// the state given back, when the pipes cannot be watched.
    // Releases the socket lock while polling.
    pub(super) fn watch<'a>(
        &'a self,
        state: MutexGuard<'a, State>,
        deadline: Option<Instant>,
    ) -> Result<std::result::Result<MutexGuard<'a, State>, MutexGuard<'a, State>>> {
        if !watchable(&state) {
            return Ok(Err(state));
        }
        let Some(kick) = self.kick_signal() else { return Ok(Err(state)) };
        let pipes: Vec<Arc<dyn PipeOps>> = state.pipes.values().map(|e| e.pipe.ops.clone()).collect();
        let timeout = match deadline {
            Some(d) => match d.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Some(Timespec::try_from(left).map_err(|_| Error::Invalid)?),
                _ => return Err(Error::TimedOut),
            },
            None => None,
        };
        let reads_readable = !state.io_reads;
        let mut state = state;
        state.recv_watchers += 1;
        drop(state);
        for p in &pipes {
            p.set_watched(true);
        }
        let mut fds: Vec<PollFd<'_>> = pipes.iter().filter_map(|p| p.fd()).map(|fd| PollFd::from_borrowed_fd(fd, PollFlags::IN)).collect();
        fds.push(PollFd::new(kick, PollFlags::IN));
        let polled = rustix::event::poll(&mut fds, timeout.as_ref());
        for p in &pipes {
            p.set_watched(false);
        }
        kick.set(false);
        // No longer a watcher before reading: a delivery then kicks nobody.
        self.lock().recv_watchers -= 1;
        if polled == Err(rustix::io::Errno::INTR) {
            // A signal: the call returns EINTR, as nanomsg's does.
            for p in &pipes {
                p.pull();
            }
            return Err(Error::Interrupted);
        }
        if reads_readable {
            // Read every pipe, as a pull after the wait would: an edge the
            // I/O thread left to this watcher (a WebSocket pipe's) may
            // have come after the poll. Those the poll found readable are
            // read without asking the kernel again.
            for (p, fd) in pipes.iter().zip(&fds) {
                if fd.revents().is_empty() {
                    p.pull();
                } else {
                    p.pull_readable();
                }
            }
        }
        let state = self.lock();
        if polled == Ok(0) && deadline.is_some() {
            // Nothing came before the deadline (poll returns 0 only then).
            return Err(Error::TimedOut);
        }
        Ok(Ok(state))
    }

    /// Decides who reads the pipes as bytes arrive: the receivers
    /// themselves (`pull`, and `watch` when they would sleep) once the
    /// socket is received from, while they can watch every pipe (or all
    /// are inproc) and nothing else waits on readiness (no NN_RCVFD handed out, no
    /// nn_poll, no nn_device); else the I/O thread. Receivers reading
    /// spare the I/O thread a wake-up per arrival, and the sender the
    /// cost of waking it. A socket nobody receives from still reads at
    /// once, so a bad frame drops its connection then. Call when the
    /// pipes (after `note_pipes`), the readiness fds or `received` change;
    /// `added` is a pipe just attached.
    pub(super) fn update_io_reads(&self, state: &mut State, added: Option<PipeId>) {
        let receivers_read = state.received
            && self.signals.get().is_none()
            && (state.batched || (watchable(state) && self.kick_signal().is_some()));
        let io_reads = !receivers_read;
        if io_reads != state.io_reads {
            state.io_reads = io_reads;
            let pipes: Vec<(PipeId, u8, Arc<dyn PipeOps>)> =
                state.pipes.iter().map(|(id, e)| (*id, e.pipe.recv_priority, e.pipe.ops.clone())).collect();
            for (id, priority, pipe) in pipes {
                pipe.set_io_reads(io_reads);
                // What waited for a receiver's pull must show now.
                for msg in pipe.take_buffered() {
                    self.queue_arrival(state, id, msg, priority);
                }
            }
        } else if let Some(entry) = added.and_then(|id| state.pipes.get(&id)) {
            entry.pipe.ops.set_io_reads(io_reads);
        }
    }

    /// The kick fd, made on first use.
    fn kick_signal(&self) -> Option<&ReadySignal> {
        if self.kick.get().is_none() {
            let _ = self.kick.set(ReadySignal::new().ok()?);
        }
        self.kick.get()
    }
}

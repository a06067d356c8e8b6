//! Sending and receiving on a socket: routing through the protocol, pipes
//! that refuse (full or closed), blocking with NN_SNDTIMEO / NN_RCVTIMEO,
//! NN_DONTWAIT, and waking pipes paused by a full receive queue. A receiver
//! that finds nothing reads its pipes itself once before it sleeps: a
//! thread wake-up costs more than the read.

use std::sync::{Condvar, MutexGuard};
use std::time::{Duration, Instant};

use super::error::{Error, Result};
use super::msg::Msg;
use super::socket::{Socket, State};
use super::stats::Stat;
use crate::transport::pipe::SendError;

/// How long a blocking call may wait.
#[derive(Debug, Clone, Copy)]
enum Wait {
    /// NN_DONTWAIT.
    No,
    /// Until then (`None`: for ever).
    Until(Option<Instant>),
}

impl Wait {
    fn new(dontwait: bool, timeout_ms: i32) -> Wait {
        match (dontwait, u64::try_from(timeout_ms)) {
            (true, _) => Wait::No,
            (false, Ok(ms)) => Wait::Until(Some(Instant::now() + Duration::from_millis(ms))),
            (false, Err(_)) => Wait::Until(None),
        }
    }
}

impl Socket {
    /// Waits on `cond` once, counting the waiter in `waiters`; returns the
    /// error that ends the call (EAGAIN, ETIMEDOUT) if it must not wait.
    // Releases and retakes the socket lock.
    fn wait_once<'a>(
        &'a self,
        state: MutexGuard<'a, State>,
        cond: &Condvar,
        wait: Wait,
        waiters: fn(&mut State) -> &mut usize,
    ) -> std::result::Result<MutexGuard<'a, State>, Error> {
        let deadline = match wait {
            Wait::No => return Err(Error::WouldBlock),
            Wait::Until(d) => d,
        };
        let mut state = state;
        *waiters(&mut state) += 1;
        let mut state = match deadline {
            None => cond.wait(state).unwrap_or_else(|e| e.into_inner()),
            Some(d) => {
                let now = Instant::now();
                if now >= d {
                    *waiters(&mut state) -= 1;
                    return Err(Error::TimedOut);
                }
                cond.wait_timeout(state, d - now).unwrap_or_else(|e| e.into_inner()).0
            }
        };
        *waiters(&mut state) -= 1;
        Ok(state)
    }

    /// Sends one message (`nn_send`). On failure the message comes back to
    /// the caller, who still owns it.
    pub fn send(&self, mut msg: Msg, dontwait: bool) -> std::result::Result<(), (Msg, Error)> {
        let mut state = match self.open_state() {
            Ok(s) => s,
            Err(e) => return Err((msg, e)),
        };
        if !self.kind().can_send() {
            return Err((msg, Error::NotSupported));
        }
        let wait = Wait::new(dontwait, state.options.sndtimeo);
        loop {
            if let Some(reason) = state.closed {
                return Err((msg, reason));
            }
            let pipe = match state.routing.send_pipe(&mut msg) {
                Ok(p) => p,
                Err(e) => return Err((msg, e)),
            };
            let Some(pipe) = pipe else {
                state = match self.wait_once(state, &self.can_send, wait, |s| &mut s.send_waiters) {
                    Ok(s) => s,
                    Err(e) => return Err((msg, e)),
                };
                continue;
            };
            drop(state);
            let bytes = msg.body.len() as u64;
            let refused = match pipe.ops.send(msg) {
                Ok(()) => {
                    self.stats.add(Stat::MessagesSent, 1);
                    self.stats.add(Stat::BytesSent, bytes);
                    return Ok(());
                }
                Err(SendError::Full(m, epoch)) => (m, Some(epoch)),
                Err(SendError::Closed(m)) => (m, None),
            };
            msg = refused.0;
            state = self.lock();
            // A `writable` newer than the refusal means it has room again.
            let stale = match (refused.1, state.pipes.get(&pipe.id)) {
                (Some(epoch), Some(entry)) => entry.epoch > epoch,
                _ => false,
            };
            if !stale {
                state.routing.set_writable(pipe.id, false);
                self.refresh_signals(&state);
            }
        }
    }

    /// Receives one message (`nn_recv`).
    pub fn recv(&self, dontwait: bool) -> Result<Msg> {
        let mut state = self.open_state()?;
        if !self.kind().can_recv() {
            return Err(Error::NotSupported);
        }
        state.routing.check_recv()?;
        let wait = Wait::new(dontwait, state.options.rcvtimeo);
        let mut pulled = false;
        loop {
            if let Some(reason) = state.closed {
                return Err(reason);
            }
            if state.inbox.is_empty() && !pulled && state.pipes.values().any(|e| e.pipe.ops.pulls()) {
                // Read what has arrived on this thread rather than sleep
                // until the reactor has read it and wakes us.
                pulled = true;
                let pipes: Vec<_> = state.pipes.values().map(|e| e.pipe.ops.clone()).filter(|p| p.pulls()).collect();
                drop(state);
                for pipe in pipes {
                    pipe.pull();
                }
                state = self.lock();
                continue;
            }
            if let Some(msg) = state.inbox.pop() {
                let rcvbuf = state.options.rcvbuf as usize;
                let resume = if !state.paused.is_empty() && state.inbox.bytes() < rcvbuf {
                    std::mem::take(&mut state.paused)
                } else {
                    Vec::new()
                };
                if state.inbox.is_empty() {
                    self.refresh_signals(&state);
                }
                drop(state);
                for pipe in resume {
                    pipe.resume();
                }
                self.stats.add(Stat::MessagesReceived, 1);
                self.stats.add(Stat::BytesReceived, msg.body.len() as u64);
                return Ok(msg);
            }
            state = self.wait_once(state, &self.can_recv, wait, |s| &mut s.recv_waiters)?;
        }
    }
}

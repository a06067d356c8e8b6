//! Sending and receiving on a socket: routing through the protocol, pipes
//! that refuse (full or closed), blocking with NN_SNDTIMEO / NN_RCVTIMEO,
//! NN_DONTWAIT, and waking pipes paused by a full receive queue. A receiver
//! that finds nothing reads its pipes itself once before it sleeps: a
//! thread wake-up costs more than the read.

use std::sync::{Arc, Condvar, MutexGuard};
use std::time::{Duration, Instant};

use super::error::{Error, Result};
use super::msg::Msg;
use super::socket::{Socket, State};
use super::stats::Stat;
use crate::protocol::Route;
use crate::transport::pipe::{Offer, Pipe, PipeId, PipeOps};

/// How long a blocking call may wait.
#[derive(Debug, Clone, Copy)]
enum Wait {
    /// NN_DONTWAIT.
    No,
    /// Until then (`None`: for ever).
    Until(Option<Instant>),
}

/// What is left of a message going to many pipes once the socket's lock
/// is released: pipes to flush, and copies the pipes declined.
struct EachLeft {
    batched: bool,
    flush: Vec<Arc<dyn PipeOps>>,
    send: Vec<(Pipe, Msg)>,
}

/// A call's `Wait`, made when the call first has to wait: most calls
/// never do, and the deadline costs a read of the clock.
#[derive(Debug, Clone, Copy)]
struct LazyWait {
    dontwait: bool,
    timeout_ms: i32,
    wait: Option<Wait>,
}

impl LazyWait {
    fn new(dontwait: bool, timeout_ms: i32) -> LazyWait {
        LazyWait { dontwait, timeout_ms, wait: None }
    }

    /// The wait, its deadline counted from the first time it is asked for.
    fn get(&mut self) -> Wait {
        let (dontwait, timeout_ms) = (self.dontwait, self.timeout_ms);
        *self.wait.get_or_insert_with(|| match (dontwait, u64::try_from(timeout_ms)) {
            (true, _) => Wait::No,
            (false, Ok(ms)) => Wait::Until(Some(Instant::now() + Duration::from_millis(ms))),
            (false, Err(_)) => Wait::Until(None),
        })
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

    /// Sleeps until a delivery wakes the receiver. Pipes that keep what
    /// arrives for a receiver's `pull` (inproc) are told that one sleeps,
    /// so that they deliver at once, and are read once more first: a
    /// message may have come before they knew.
    // Releases and retakes the socket lock.
    fn sleep_for_arrival<'a>(&'a self, state: MutexGuard<'a, State>, wait: Wait) -> std::result::Result<MutexGuard<'a, State>, Error> {
        let pipes = match wait {
            Wait::Until(_) if !state.io_reads => state.pullable.clone(),
            _ => Arc::new([]),
        };
        if pipes.is_empty() {
            return self.wait_once(state, &self.can_recv, wait, |s| &mut s.recv_waiters);
        }
        for pipe in pipes.iter() {
            pipe.set_watched(true);
        }
        drop(state);
        for pipe in pipes.iter() {
            pipe.pull();
        }
        let state = self.lock();
        let woken = if state.inbox.is_empty() && state.closed.is_none() {
            self.wait_once(state, &self.can_recv, wait, |s| &mut s.recv_waiters)
        } else {
            Ok(state)
        };
        for pipe in pipes.iter() {
            pipe.set_watched(false);
        }
        woken
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
        let mut wait = LazyWait::new(dontwait, state.options.sndtimeo);
        state.streaming = false;
        let bytes = msg.body.len();
        loop {
            if let Some(reason) = state.closed {
                return Err((msg, reason));
            }
            // The fields apart, so that the route can borrow the pipe it
            // chose from the protocol while the counters change.
            let st = &mut *state;
            let route = match st.routing.route(&mut msg) {
                Ok(r) => r,
                Err(e) => return Err((msg, e)),
            };
            let pipe = match route {
                Route::One(pipe) => pipe,
                Route::Wait => {
                    state = match self.wait_once(state, &self.can_send, wait.get(), |s| &mut s.send_waiters) {
                        Ok(s) => s,
                        Err(e) => return Err((msg, e)),
                    };
                    continue;
                }
                Route::Each(pipes) => {
                    let after = Self::offer_each(pipes, msg);
                    self.arm_timer(&mut state);
                    state.traffic.sent(bytes);
                    drop(state);
                    self.finish_each(after);
                    return Ok(());
                }
                Route::Kept => {
                    state.traffic.sent(bytes);
                    self.drive(state);
                    return Ok(());
                }
            };
            // Counted while the lock is held, and taken back if refused.
            st.traffic.sent(bytes);
            let pipe = match pipe.ops.offer(msg) {
                Offer::Taken { flush } => {
                    let flusher = flush.then(|| pipe.ops.clone());
                    drop(state);
                    if let Some(pipe) = flusher {
                        pipe.flush();
                    }
                    return Ok(());
                }
                Offer::Declined(m) => {
                    msg = m;
                    pipe.clone()
                }
            };
            drop(state);
            let epoch = match pipe.ops.send(msg) {
                Ok(()) => return Ok(()),
                Err(refusal) => {
                    let (m, epoch) = refusal.into_parts();
                    msg = m;
                    epoch
                }
            };
            state = self.lock();
            state.traffic.unsent(bytes);
            self.refused(&mut state, pipe.id, epoch);
        }
    }

    /// Offers a copy of `msg` to each pipe, with the socket's lock held
    /// (see `PipeOps::offer`). The copies share one body, and copies to
    /// many pipes are batched (see `PipeOps::send_batched`). Returns what
    /// is left for `finish_each`, once the lock is released.
    fn offer_each(pipes: Vec<&Pipe>, mut msg: Msg) -> EachLeft {
        let batched = pipes.len() > 1;
        let mut left = EachLeft { batched, flush: Vec::new(), send: Vec::new() };
        let last = pipes.len().saturating_sub(1);
        for (i, pipe) in pipes.into_iter().enumerate() {
            let copied = if batched { pipe.ops.offer_batched_copy(&msg) } else { None };
            let offered = match copied {
                Some(flush) => Offer::Taken { flush },
                None => {
                    let copy = if i == last { std::mem::take(&mut msg) } else { msg.share() };
                    if batched {
                        pipe.ops.offer_batched(copy)
                    } else {
                        pipe.ops.offer(copy)
                    }
                }
            };
            match offered {
                Offer::Taken { flush: false } => {}
                Offer::Taken { flush: true } => left.flush.push(pipe.ops.clone()),
                Offer::Declined(copy) => left.send.push((pipe.clone(), copy)),
            }
        }
        left
    }

    /// Flushes and sends what `offer_each` left; a pipe that refuses
    /// misses its copy.
    // Takes the socket lock for each refusal.
    fn finish_each(&self, left: EachLeft) {
        for pipe in left.flush {
            pipe.flush();
        }
        for (pipe, msg) in left.send {
            let sent = if left.batched { pipe.ops.send_batched(msg) } else { pipe.ops.send(msg) };
            if let Err(refusal) = sent {
                self.refused(&mut self.lock(), pipe.id, refusal.into_parts().1);
            }
        }
    }

    /// Pipe `id` refused a message: full (with its writable-epoch then) or
    /// closed (`None`). The protocol stops choosing it, unless a `writable`
    /// newer than the refusal says it has room again.
    pub(super) fn refused(&self, state: &mut State, id: PipeId, epoch: Option<u64>) {
        let stale = match (epoch, state.pipes.get(&id)) {
            (Some(epoch), Some(entry)) => entry.epoch > epoch,
            _ => false,
        };
        if !stale {
            state.routing.set_writable(id, false);
            self.refresh_signals(state);
        }
    }

    /// Receives one message (`nn_recv`).
    pub fn recv(&self, dontwait: bool) -> Result<Msg> {
        let mut state = self.open_state()?;
        if !self.kind().can_recv() {
            return Err(Error::NotSupported);
        }
        let mut wait = LazyWait::new(dontwait, state.options.rcvtimeo);
        if !state.received {
            state.received = true;
            self.update_io_reads(&mut state, None);
        }
        let mut pulled = false;
        let mut napped = false;
        // When this call began to wait, and whether it spun then.
        let mut began: Option<Instant> = None;
        let mut spun = false;
        loop {
            if let Some(reason) = state.closed {
                return Err(reason);
            }
            if state.inbox.is_empty() && !napped && self.should_nap(&state) {
                if let Wait::Until(deadline) = wait.get() {
                    napped = true;
                    state = self.nap(state, deadline);
                    continue;
                }
            }
            // Pulled before the protocol's check: what has arrived counts
            // (a late reply is dropped) even when the call fails.
            if state.inbox.is_empty() && !pulled && !state.pullable.is_empty() {
                // Read what has arrived on this thread rather than sleep
                // until the reactor has read it and wakes us.
                pulled = true;
                let pipes = state.pullable.clone();
                drop(state);
                for pipe in pipes.iter() {
                    pipe.pull();
                }
                state = self.lock();
                continue;
            }
            state.routing.check_recv()?;
            if let Some(mut msg) = state.inbox.pop() {
                if let Some(began) = began.take() {
                    state.spin.ended_after(began.elapsed());
                }
                let fresh = state.routing.hand_out(&mut msg);
                // Paused pipes resume once half the queue is free, not at
                // the first byte: one wake-up of their sender per half
                // queue instead of one per message.
                let low_water = state.options.rcvbuf as usize / 2;
                let resume = if !state.paused.is_empty() && state.inbox.bytes() <= low_water {
                    std::mem::take(&mut state.paused)
                } else {
                    Vec::new()
                };
                self.refresh_signals(&state);
                state.streaming = true;
                if fresh {
                    state.traffic.received(msg.body.len());
                }
                drop(state);
                for pipe in resume {
                    pipe.resume();
                }
                if !fresh {
                    self.stats.add(Stat::DroppedMessages, 1);
                    state = self.lock();
                    continue;
                }
                return Ok(msg);
            }
            let wait = wait.get();
            if let Wait::Until(_) = wait {
                began.get_or_insert_with(Instant::now);
                if !spun && self.should_spin(&state) {
                    spun = true;
                    pulled = true;
                    state = self.spin(state);
                    continue;
                }
            }
            // A protocol deadline (a survey's) ends the wait early; the
            // next round's `check_recv` says what that means.
            let until = state.routing.recv_deadline();
            let wait = match (wait, until) {
                (Wait::Until(user), Some(d)) if user.is_none_or(|u| d < u) => Wait::Until(Some(d)),
                _ => wait,
            };
            let watched = match wait {
                Wait::Until(deadline) => self.watch(state, deadline),
                Wait::No => Ok(Err(state)),
            };
            let protocol_deadline_passed = || until.is_some_and(|d| Instant::now() >= d);
            state = match watched {
                Ok(Ok(woken)) => {
                    // What woke us is read on this thread: by the watch
                    // itself, or by the next round's pull.
                    pulled = !woken.io_reads;
                    woken
                }
                Ok(Err(unwatched)) => match self.sleep_for_arrival(unwatched, wait) {
                    Ok(s) => s,
                    Err(Error::TimedOut) if protocol_deadline_passed() => self.lock(),
                    Err(e) => return Err(e),
                },
                Err(Error::TimedOut) if protocol_deadline_passed() => self.lock(),
                Err(e) => return Err(e),
            };
        }
    }
}

//! What pipes tell their socket (`PipeOwner`): a pipe came up or went away,
//! messages arrived, a pipe can take messages again. Each takes the socket's
//! lock briefly and wakes blocked calls once, not once per message.

use std::collections::VecDeque;

use super::msg::Msg;
use super::socket::{PipeEntry, Socket, State};
use super::watch::{note_pipes, Sleepers};
use super::stats::Stat;
use crate::protocol::Arrival;
use crate::transport::pipe::{Pipe, PipeId, PipeOwner};

impl Socket {
    /// Hands a message that came on pipe `id` to the protocol, and queues
    /// it if the protocol keeps it.
    pub(super) fn queue_arrival(&self, state: &mut State, id: PipeId, msg: Msg, priority: u8) {
        match state.routing.received(id, msg) {
            Arrival::Queue(msg) => state.inbox.push(msg, priority),
            Arrival::Filtered => {}
            Arrival::Dropped => self.stats.add(Stat::DroppedMessages, 1),
        }
    }
}

impl PipeOwner for Socket {
    fn attach(&self, pipe: Pipe) -> bool {
        let mut state = self.lock();
        if state.closed.is_some() || !state.routing.add_pipe(&pipe) {
            return false;
        }
        let id = pipe.id;
        state.pipes.insert(id, PipeEntry { pipe, epoch: 0 });
        note_pipes(&mut state);
        self.update_io_reads(&mut state, Some(id));
        self.refresh_signals(&state);
        // A watching receiver starts again with the new pipe among its fds.
        self.wake_receivers(&state, true);
        if state.send_waiters > 0 {
            self.can_send.notify_all();
        }
        self.drive(state);
        true
    }

    fn deliver(&self, id: PipeId, msgs: &mut VecDeque<Msg>) -> bool {
        let mut state = self.lock();
        if state.closed.is_some() {
            msgs.clear();
            return true;
        }
        let was_empty = state.inbox.is_empty();
        let limit = state.options.rcvbuf as usize;
        let priority = state.pipes.get(&id).map_or(8, |e| e.pipe.recv_priority);
        // Queued whole if the protocol takes every message as it is and
        // the whole batch fits: the receiver waiting for the lock then
        // waits for a swap, not for a move of every message.
        if state.routing.queues_as_received() {
            let bytes: usize = msgs.iter().map(|m| m.body.len()).sum();
            if state.inbox.bytes() + bytes <= limit {
                state.inbox.push_all(msgs, bytes, priority);
            }
        }
        let mut all_taken = true;
        while let Some(len) = msgs.front().map(|m| m.body.len()) {
            // A pipe not attached yet (an inproc peer's half is attached
            // to its socket a moment before ours) cannot be paused, as
            // nothing could resume it: what it sends is taken regardless.
            if !state.inbox.has_room(len, limit) {
                if let Some(entry) = state.pipes.get(&id) {
                    let ops = entry.pipe.ops.clone();
                    if !state.paused.iter().any(|p| std::sync::Arc::ptr_eq(p, &ops)) {
                        state.paused.push(ops);
                    }
                    all_taken = false;
                    break;
                }
            }
            let msg = msgs.pop_front().expect("front exists");
            self.queue_arrival(&mut state, id, msg, priority);
        }
        if !state.inbox.is_empty() {
            self.arrivals.fetch_add(1, std::sync::atomic::Ordering::Release);
        }
        if was_empty && !state.inbox.is_empty() {
            self.refresh_signals(&state);
            // Woken after the lock is released, so that the receiver does
            // not wake only to wait for it.
            let sleepers = Sleepers::of(&state);
            drop(state);
            self.wake(sleepers, false);
        }
        all_taken
    }

    fn writable(&self, id: PipeId, epoch: u64) {
        let mut state = self.lock();
        let Some(entry) = state.pipes.get_mut(&id) else { return };
        entry.epoch = entry.epoch.max(epoch);
        state.routing.set_writable(id, true);
        self.refresh_signals(&state);
        if state.send_waiters > 0 {
            self.can_send.notify_all();
        }
        self.drive(state);
    }

    fn detach(&self, id: PipeId) {
        let mut state = self.lock();
        if let Some(entry) = state.pipes.remove(&id) {
            note_pipes(&mut state);
            state.routing.remove_pipe(id);
            state.paused.retain(|p| !std::sync::Arc::ptr_eq(p, &entry.pipe.ops));
            self.update_io_reads(&mut state, None);
            self.refresh_signals(&state);
            self.wake_receivers(&state, true);
            self.drive(state);
        }
    }

    fn count(&self, stat: Stat, delta: i64) {
        if delta >= 0 {
            self.stats.add(stat, delta as u64);
        } else {
            self.stats.sub(stat, delta.unsigned_abs());
        }
    }
}

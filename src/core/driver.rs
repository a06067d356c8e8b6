//! What a protocol does by itself, outside the user's calls: messages it
//! sends on its own (REQ sends a request when a pipe comes up, and again
//! when its pipe dies or its resend interval passes) and the timers it
//! needs for that (or to end a survey). The socket arms one reactor timer
//! at a time, for the protocol's earliest wish.

use std::sync::{MutexGuard, Weak};
use std::time::Instant;

use super::socket::{Socket, State};
use crate::reactor::{Handler, Key, Reactor, Ready};

/// A socket's reactor timer.
#[derive(Debug, Default)]
pub(super) struct ProtocolTimer {
    /// The socket's timer registration, made on first use.
    key: Option<Key>,
    /// When the armed timer fires, if one is armed.
    armed: Option<Instant>,
}

impl ProtocolTimer {
    /// Drops the registration: nothing fires after this.
    pub fn cancel(&mut self) {
        if let (Some(key), Ok(reactor)) = (self.key.take(), Reactor::global()) {
            reactor.forget(key);
        }
        self.armed = None;
    }
}

impl Socket {
    /// Sends what the protocol wants sent, then arms its timer. Call after
    /// anything that may have changed the protocol's state.
    // Releases the socket lock for each send.
    pub(super) fn drive<'a>(&'a self, mut state: MutexGuard<'a, State>) {
        while let Some((pipe, msg)) = state.routing.take_outgoing() {
            drop(state);
            let refused = pipe.ops.send(msg).err().map(|refusal| refusal.into_parts().1);
            state = self.lock();
            if let Some(epoch) = refused {
                self.refused(&mut state, pipe.id, epoch);
                state.routing.not_sent(pipe.id);
            }
        }
        self.arm_timer(&mut state);
    }

    /// Arms the reactor timer for the protocol's next wish, unless an
    /// earlier one is armed (it re-arms when it fires) or the wish is not
    /// in the future.
    pub(super) fn arm_timer(&self, state: &mut State) {
        let Some(at) = state.routing.next_timer() else { return };
        if at <= Instant::now() || state.timer.armed.is_some_and(|armed| armed <= at) {
            return;
        }
        let Ok(reactor) = Reactor::global() else { return };
        let me: Weak<dyn Handler> = self.me.clone();
        let key = *state.timer.key.get_or_insert_with(|| reactor.register_timer_only(me));
        reactor.add_timer(at, key, 0);
        state.timer.armed = Some(at);
    }
}

impl Handler for Socket {
    fn on_ready(&self, _ready: Ready) {}

    fn on_timer(&self, _token: u64) {
        let mut state = self.lock();
        if state.closed.is_some() {
            return;
        }
        let now = Instant::now();
        if state.timer.armed.is_some_and(|at| at <= now) {
            state.timer.armed = None;
        }
        state.routing.on_timer(now);
        self.refresh_signals(&state);
        // A survey's deadline ends a receiver's wait.
        self.wake_receivers(&state, true);
        self.drive(state);
    }
}

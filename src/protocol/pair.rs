//! PAIR: one peer at a time, messages both ways. A second pipe is refused
//! while the first lives.

use super::{Arrival, Protocol, Route};
use crate::core::error::Result;
use crate::core::msg::Msg;
use crate::transport::pipe::{Pipe, PipeId};

/// The PAIR state machine (cooked and raw alike).
#[derive(Debug, Default)]
pub struct Pair {
    peer: Option<Pipe>,
    writable: bool,
}

impl Protocol for Pair {
    fn add_pipe(&mut self, pipe: &Pipe) -> bool {
        if self.peer.is_some() {
            return false;
        }
        self.peer = Some(pipe.clone());
        self.writable = true;
        true
    }

    fn remove_pipe(&mut self, id: PipeId) {
        if self.peer.as_ref().is_some_and(|p| p.id == id) {
            self.peer = None;
            self.writable = false;
        }
    }

    fn route(&mut self, msg: &mut Msg) -> Result<Route<'_>> {
        msg.header.clear();
        Ok(self.peer.as_ref().filter(|_| self.writable).map_or(Route::Wait, Route::One))
    }

    fn set_writable(&mut self, id: PipeId, writable: bool) {
        if self.peer.as_ref().is_some_and(|p| p.id == id) {
            self.writable = writable;
        }
    }

    fn can_send(&self) -> bool {
        self.peer.is_some() && self.writable
    }

    fn received(&mut self, _id: PipeId, msg: Msg) -> Arrival {
        Arrival::Queue(msg)
    }

    fn queues_as_received(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::{fake_pipe, routed};

    #[test]
    fn one_peer_at_a_time() {
        let mut p = Pair::default();
        assert!(!p.can_send());
        assert_eq!(routed(&mut p), Some(vec![]));
        assert!(p.add_pipe(&fake_pipe(1, 8)));
        assert!(!p.add_pipe(&fake_pipe(2, 8)));
        assert_eq!(routed(&mut p), Some(vec![1]));
        p.set_writable(1, false);
        assert!(!p.can_send());
        assert_eq!(routed(&mut p), Some(vec![]));
        p.set_writable(1, true);
        p.remove_pipe(2);
        assert!(p.can_send());
        p.remove_pipe(1);
        assert!(p.add_pipe(&fake_pipe(2, 8)));
        assert_eq!(p.received(2, Msg::default()), Arrival::Queue(Msg::default()));
    }
}

//! PUB: every message to every SUB peer that can take it now. A slow
//! subscriber misses messages; the publisher never blocks. The wire has no
//! subscriptions: subscribers filter. Nothing is received.

use super::util::fanout::Fanout;
use super::{PipeSet, Arrival, Protocol, Route};
use crate::core::error::Result;
use crate::core::msg::Msg;
use crate::transport::pipe::PipeId;

/// The PUB state machine (cooked and raw alike).
#[derive(Debug, Default)]
pub struct Pub {
    peers: Fanout,
}

impl Protocol for Pub {
    fn pipe_set(&mut self) -> Option<&mut dyn PipeSet> {
        Some(&mut self.peers)
    }

    fn route(&mut self, msg: &mut Msg) -> Result<Route<'_>> {
        msg.header.clear();
        Ok(Route::Each(self.peers.targets(None)))
    }

    fn can_send(&self) -> bool {
        true
    }

    fn received(&mut self, _id: PipeId, _msg: Msg) -> Arrival {
        Arrival::Filtered
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::{fake_pipe, routed};

    #[test]
    fn to_every_writable_subscriber_never_waiting() {
        let mut p = Pub::default();
        assert_eq!(routed(&mut p), Some(vec![]), "no subscriber: dropped");
        p.add_pipe(&fake_pipe(1, 8));
        p.add_pipe(&fake_pipe(2, 8));
        p.set_writable(1, false);
        assert!(p.can_send());
        assert_eq!(routed(&mut p), Some(vec![2]));
        p.remove_pipe(2);
        assert_eq!(routed(&mut p), Some(vec![]));
    }
}

//! PUSH: each message to one PULL peer, spread by the load balancer.
//! Nothing is received.

use super::util::lb::LoadBalancer;
use super::{PipeSet, Arrival, Protocol, Route};
use crate::core::error::Result;
use crate::core::msg::Msg;
use crate::transport::pipe::PipeId;

/// The PUSH state machine (cooked and raw alike).
#[derive(Debug, Default)]
pub struct Push {
    peers: LoadBalancer,
}

impl Protocol for Push {
    fn pipe_set(&mut self) -> Option<&mut dyn PipeSet> {
        Some(&mut self.peers)
    }

    fn route(&mut self, msg: &mut Msg) -> Result<Route<'_>> {
        msg.header.clear();
        Ok(self.peers.pick().map_or(Route::Wait, Route::One))
    }

    fn can_send(&self) -> bool {
        self.peers.can_send()
    }

    fn received(&mut self, _id: PipeId, _msg: Msg) -> Arrival {
        Arrival::Filtered
    }
}

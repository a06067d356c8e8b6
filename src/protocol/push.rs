//! PUSH: each message to one PULL peer, spread by the load balancer.
//! Nothing is received.

use super::util::lb::LoadBalancer;
use super::{Arrival, Protocol, Route};
use crate::core::error::Result;
use crate::core::msg::Msg;
use crate::transport::pipe::{Pipe, PipeId};

/// The PUSH state machine (cooked and raw alike).
#[derive(Debug, Default)]
pub struct Push {
    peers: LoadBalancer,
}

impl Protocol for Push {
    fn add_pipe(&mut self, pipe: &Pipe) -> bool {
        self.peers.add(pipe);
        true
    }

    fn remove_pipe(&mut self, id: PipeId) {
        self.peers.remove(id);
    }

    fn route(&mut self, msg: &mut Msg) -> Result<Route> {
        msg.header.clear();
        Ok(self.peers.pick().map_or(Route::Wait, Route::One))
    }

    fn set_writable(&mut self, id: PipeId, writable: bool) {
        self.peers.set_writable(id, writable);
    }

    fn can_send(&self) -> bool {
        self.peers.can_send()
    }

    fn received(&mut self, _id: PipeId, _msg: Msg) -> Arrival {
        Arrival::Filtered
    }
}

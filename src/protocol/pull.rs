//! PULL: receives from every PUSH peer; the receive queue serves the pipes
//! of the best NN_RCVPRIO first. Nothing is sent.

use super::{Arrival, Protocol};
use crate::core::msg::Msg;
use crate::transport::pipe::PipeId;

/// The PULL state machine (cooked and raw alike).
#[derive(Debug, Default)]
pub struct Pull;

impl Protocol for Pull {
    fn received(&mut self, _id: PipeId, msg: Msg) -> Arrival {
        Arrival::Queue(msg)
    }

    fn queues_as_received(&self) -> bool {
        true
    }
}

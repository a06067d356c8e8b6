//! PULL: receives from every PUSH peer, in arrival order. Nothing is sent.
//! (Arrival order is fair between peers; NN_RCVPRIO ordering comes with
//! the fair queue.)

use super::Protocol;
use crate::core::error::Result;
use crate::core::msg::Msg;
use crate::transport::pipe::{Pipe, PipeId};

/// The PULL state machine (cooked and raw alike).
#[derive(Debug, Default)]
pub struct Pull;

impl Protocol for Pull {
    fn add_pipe(&mut self, _pipe: &Pipe) -> bool {
        true
    }

    fn remove_pipe(&mut self, _id: PipeId) {}

    fn send_pipe(&mut self, _msg: &mut Msg) -> Result<Option<Pipe>> {
        Ok(None)
    }

    fn set_writable(&mut self, _id: PipeId, _writable: bool) {}

    fn can_send(&self) -> bool {
        false
    }

    fn received(&mut self, _id: PipeId, msg: Msg) -> Option<Msg> {
        Some(msg)
    }
}

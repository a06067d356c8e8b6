//! PULL: receives from every PUSH peer; the receive queue serves the pipes
//! of the best NN_RCVPRIO first. Nothing is sent.

use super::{Arrival, Protocol, Route};
use crate::core::error::{Error, Result};
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

    fn route(&mut self, _msg: &mut Msg) -> Result<Route> {
        Err(Error::NotSupported)
    }

    fn set_writable(&mut self, _id: PipeId, _writable: bool) {}

    fn can_send(&self) -> bool {
        false
    }

    fn received(&mut self, _id: PipeId, msg: Msg) -> Arrival {
        Arrival::Queue(msg)
    }
}

//! Socket types whose routing is not built yet: they refuse every pipe (so
//! their endpoints are refused with EPROTONOSUPPORT before any is made) and
//! keep the rules that hold with no peer at all.

use super::{Protocol, SocketType};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::transport::pipe::{Pipe, PipeId};

/// A socket type without routing.
#[derive(Debug)]
pub struct Pending {
    kind: SocketType,
    raw: bool,
}

impl Pending {
    /// The placeholder for `kind`.
    pub fn new(kind: SocketType, raw: bool) -> Pending {
        Pending { kind, raw }
    }
}

impl Protocol for Pending {
    fn add_pipe(&mut self, _pipe: &Pipe) -> bool {
        false
    }

    fn remove_pipe(&mut self, _id: PipeId) {}

    fn send_pipe(&mut self, _msg: &mut Msg) -> Result<Option<Pipe>> {
        if !self.raw && matches!(self.kind, SocketType::Rep | SocketType::Respondent) {
            // No request has arrived that this could answer.
            return Err(Error::WrongState);
        }
        Ok(None)
    }

    fn set_writable(&mut self, _id: PipeId, _writable: bool) {}

    fn can_send(&self) -> bool {
        false
    }

    fn check_recv(&self) -> Result<()> {
        if !self.raw && matches!(self.kind, SocketType::Req | SocketType::Surveyor) {
            // No request or survey is outstanding.
            return Err(Error::WrongState);
        }
        Ok(())
    }

    fn received(&mut self, _id: PipeId, _msg: Msg) -> Option<Msg> {
        None
    }
}

//! For the protocol state machines' unit tests: pipes that are only named,
//! never written to.

use std::sync::Arc;

use crate::core::msg::Msg;
use crate::transport::pipe::{Pipe, PipeId, PipeOps, SendError};

struct FakePipe;

impl PipeOps for FakePipe {
    fn send(&self, msg: Msg) -> Result<(), SendError> {
        Err(SendError::Closed(msg))
    }
    fn resume(&self) {}
    fn unsent(&self) -> usize {
        0
    }
    fn close(&self) {}
}

/// A pipe with this id and send priority.
pub fn fake_pipe(id: PipeId, send_priority: u8) -> Pipe {
    Pipe { id, ops: Arc::new(FakePipe), send_priority, recv_priority: 8 }
}

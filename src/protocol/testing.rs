//! For the protocol state machines' unit tests: pipes that are only named,
//! never written to, and short ways to ask where a message goes.

use std::sync::Arc;

use super::{Protocol, Route};
use crate::core::msg::{Body, Msg};
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

/// A message with this header and body, as it would arrive.
pub fn msg(header: &[u8], body: &[u8]) -> Msg {
    Msg { header: header.to_vec(), body: Body::copy_from(body, 0).expect("small"), ws_type: 0 }
}

/// The pipes an empty message is routed to: `Some([])` to wait or drop,
/// `None` when the protocol keeps it or refuses.
pub fn routed(p: &mut dyn Protocol) -> Option<Vec<PipeId>> {
    route_ids(p, &mut Msg::default())
}

/// The pipes `m` is routed to, as `routed` says.
pub fn route_ids(p: &mut dyn Protocol, m: &mut Msg) -> Option<Vec<PipeId>> {
    match p.route(m).ok()? {
        Route::Wait => Some(vec![]),
        Route::One(pipe) => Some(vec![pipe.id]),
        Route::Each(pipes) => Some(pipes.iter().map(|p| p.id).collect()),
        Route::Kept => None,
    }
}

//! BUS: every message to every connected peer that can take it now, never
//! back to the one it came from. A raw socket hands each message up with
//! the id of the pipe it came in on as the header, and a message sent with
//! such a header skips that pipe: `nn_device` relays between peers without
//! echoing. The header never goes on the wire.

use super::util::backtrace::first_word;
use super::util::fanout::Fanout;
use super::{PipeSet, Arrival, Protocol, Route};
use crate::core::error::Result;
use crate::core::msg::Msg;
use crate::transport::pipe::PipeId;

/// The BUS state machine.
#[derive(Debug)]
pub struct Bus {
    raw: bool,
    peers: Fanout,
}

impl Bus {
    /// A fresh BUS socket's state.
    pub fn new(raw: bool) -> Bus {
        Bus { raw, peers: Fanout::default() }
    }
}

impl Protocol for Bus {
    fn pipe_set(&mut self) -> Option<&mut dyn PipeSet> {
        Some(&mut self.peers)
    }

    fn route(&mut self, msg: &mut Msg) -> Result<Route<'_>> {
        let origin = if self.raw { first_word(&msg.header) } else { None };
        msg.header.clear();
        Ok(Route::Each(self.peers.targets(origin)))
    }

    fn can_send(&self) -> bool {
        true
    }

    fn received(&mut self, id: PipeId, mut msg: Msg) -> Arrival {
        msg.header = id.to_be_bytes().to_vec();
        Arrival::Queue(msg)
    }

    fn hand_out(&mut self, msg: &mut Msg) -> bool {
        if !self.raw {
            msg.header.clear();
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::{fake_pipe, msg, route_ids};

    #[test]
    fn to_everyone_but_the_origin() {
        for raw in [false, true] {
            let mut b = Bus::new(raw);
            for id in 1..=3 {
                b.add_pipe(&fake_pipe(id, 8));
            }
            let Arrival::Queue(mut m) = b.received(2, msg(&[], b"hi")) else { panic!() };
            assert!(b.hand_out(&mut m));
            let expect = if raw { vec![1, 3] } else { vec![1, 2, 3] };
            assert_eq!(route_ids(&mut b, &mut m), Some(expect));
            assert!(m.header.is_empty(), "no header on the wire");
        }
    }
}

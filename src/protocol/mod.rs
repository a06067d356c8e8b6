//! Socket types (the scalability protocols): which types exist, which talk
//! to which, what each can do, the options each keeps, and the state machine
//! that routes each type's messages (`Protocol`).

pub mod options;
pub mod pair;
pub mod pending;
pub mod pull;
pub mod push;
pub mod subscriptions;
#[cfg(test)]
mod testing;
pub mod util;

use crate::core::error::Result;
use crate::core::msg::Msg;
use crate::transport::pipe::{Pipe, PipeId};

/// The routing of one socket type: which pipe a message goes to, what a
/// received message becomes. Called with the socket's lock held; it never
/// sends itself, it names the pipe and the socket sends.
pub trait Protocol: Send {
    /// A pipe finished its handshake; false refuses it.
    fn add_pipe(&mut self, pipe: &Pipe) -> bool;
    /// A pipe is gone.
    fn remove_pipe(&mut self, id: PipeId);
    /// The pipe for the next message (`None`: no pipe can take it now), or
    /// the error the send fails with.
    fn send_pipe(&mut self, msg: &mut Msg) -> Result<Option<Pipe>>;
    /// A pipe refused a message (`false`) or can take more (`true`).
    fn set_writable(&mut self, id: PipeId, writable: bool);
    /// Whether a message could be sent now (NN_SNDFD).
    fn can_send(&self) -> bool;
    /// Fails a receive the protocol's state does not allow now.
    fn check_recv(&self) -> Result<()> {
        Ok(())
    }
    /// A message arrived on `id`: what the user receives, if anything.
    fn received(&mut self, id: PipeId, msg: Msg) -> Option<Msg>;
}

/// The state machine for a new socket of this type.
pub fn new_protocol(kind: SocketType, raw: bool) -> Box<dyn Protocol> {
    match kind {
        SocketType::Pair => Box::new(pair::Pair::default()),
        SocketType::Push => Box::new(push::Push::default()),
        SocketType::Pull => Box::new(pull::Pull),
        _ => Box::new(pending::Pending::new(kind, raw)),
    }
}

/// Whether sockets of this type can have endpoints yet.
pub fn has_routing(kind: SocketType) -> bool {
    matches!(kind, SocketType::Pair | SocketType::Push | SocketType::Pull)
}

/// One of the ten nanomsg socket types.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketType {
    Pair,
    Pub,
    Sub,
    Req,
    Rep,
    Push,
    Pull,
    Surveyor,
    Respondent,
    Bus,
}

/// Every socket type with its protocol number (NN_PAIR …) and the name
/// its WebSocket subprotocol uses.
const TYPES: [(SocketType, i32, &str); 10] = [
    (SocketType::Pair, 16, "pair"),
    (SocketType::Pub, 32, "pub"),
    (SocketType::Sub, 33, "sub"),
    (SocketType::Req, 48, "req"),
    (SocketType::Rep, 49, "rep"),
    (SocketType::Push, 80, "push"),
    (SocketType::Pull, 81, "pull"),
    (SocketType::Surveyor, 98, "surveyor"),
    (SocketType::Respondent, 99, "respondent"),
    (SocketType::Bus, 112, "bus"),
];

impl SocketType {
    /// The type with protocol number `number`, if there is one.
    pub fn from_number(number: i32) -> Option<SocketType> {
        TYPES.iter().find(|t| t.1 == number).map(|t| t.0)
    }

    fn row(self) -> &'static (SocketType, i32, &'static str) {
        // Every variant has exactly one row, in declaration order.
        &TYPES[self as usize]
    }

    /// The protocol number: NN_PAIR, NN_PUB, …
    pub fn number(self) -> i32 {
        self.row().1
    }

    /// The lower-case name ("pair", "pub", …).
    pub fn name(self) -> &'static str {
        self.row().2
    }

    /// The type a peer must have to talk to this one.
    pub fn peer(self) -> SocketType {
        use SocketType::*;
        match self {
            Pair => Pair,
            Pub => Sub,
            Sub => Pub,
            Req => Rep,
            Rep => Req,
            Push => Pull,
            Pull => Push,
            Surveyor => Respondent,
            Respondent => Surveyor,
            Bus => Bus,
        }
    }

    /// Whether sockets of this type send at all (SUB and PULL do not).
    pub fn can_send(self) -> bool {
        !matches!(self, SocketType::Sub | SocketType::Pull)
    }

    /// Whether sockets of this type receive at all (PUB and PUSH do not).
    pub fn can_recv(self) -> bool {
        !matches!(self, SocketType::Pub | SocketType::Push)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_names_and_peers() {
        for (t, n, name) in TYPES {
            assert_eq!(SocketType::from_number(n), Some(t));
            assert_eq!((t.number(), t.name()), (n, name));
            assert_eq!(t.peer().peer(), t);
        }
        assert_eq!(SocketType::from_number(17), None);
        assert!(!SocketType::Sub.can_send() && !SocketType::Push.can_recv());
    }
}

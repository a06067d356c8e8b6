//! Socket types (the scalability protocols): which types exist, which talk
//! to which, what each can do, and the state machine that routes each
//! type's messages and keeps its options (`Protocol`).

pub mod bus;
pub mod interval;
pub mod pair;
pub mod pub_;
pub mod pull;
pub mod push;
pub mod replier;
pub mod req;
pub mod sub;
pub mod subscriptions;
pub mod surveyor;
#[cfg(test)]
mod testing;
pub mod util;

use std::time::Instant;

use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::optval::OptionValue;
use crate::transport::pipe::{Pipe, PipeId};

/// Where a message the user sends goes.
#[derive(Debug)]
pub enum Route<'a> {
    /// No pipe can take it now: the sender waits (or gets EAGAIN).
    Wait,
    /// To this pipe. If it turns out full, the protocol is told and asked
    /// again.
    One(&'a Pipe),
    /// To each of these pipes that can take it now; a full one misses it.
    /// None at all: the message is dropped, and the send still succeeds.
    Each(Vec<&'a Pipe>),
    /// The protocol took the message and sends it itself, through
    /// `take_outgoing`, now or later.
    Kept,
}

/// What becomes of a message that arrived on a pipe.
#[derive(Debug, PartialEq, Eq)]
pub enum Arrival {
    /// It goes to the receive queue.
    Queue(Msg),
    /// It is not for this socket by design (a SUB topic not subscribed).
    Filtered,
    /// It is malformed, too deep or answers nothing outstanding: dropped
    /// and counted.
    Dropped,
}

/// A set of pipes a protocol routes over (a load balancer, a fan-out).
pub trait PipeSet {
    /// Adds a pipe, writable.
    fn add(&mut self, pipe: &Pipe);
    /// Removes a pipe.
    fn remove(&mut self, id: PipeId);
    /// Records whether a pipe can take messages.
    fn set_writable(&mut self, id: PipeId, writable: bool);
}

/// The routing of one socket type. Called with the socket's lock held; it
/// never touches a pipe itself: it names pipes and the socket sends.
///
/// The defaults fit a type that keeps its pipes in one `PipeSet` (or none
/// at all) and only receives.
pub trait Protocol: Send {
    /// The set that keeps this protocol's pipes, if it keeps them so.
    fn pipe_set(&mut self) -> Option<&mut dyn PipeSet> {
        None
    }
    /// A pipe finished its handshake; false refuses it.
    fn add_pipe(&mut self, pipe: &Pipe) -> bool {
        if let Some(set) = self.pipe_set() {
            set.add(pipe);
        }
        true
    }
    /// A pipe is gone.
    fn remove_pipe(&mut self, id: PipeId) {
        if let Some(set) = self.pipe_set() {
            set.remove(id);
        }
    }
    /// Where a message goes, or the error the send fails with. The
    /// protocol may set the message's SP header.
    fn route(&mut self, msg: &mut Msg) -> Result<Route<'_>> {
        let _ = msg;
        Err(Error::NotSupported)
    }
    /// A pipe refused a message (`false`) or can take more (`true`).
    fn set_writable(&mut self, id: PipeId, writable: bool) {
        if let Some(set) = self.pipe_set() {
            set.set_writable(id, writable);
        }
    }
    /// Whether a send would not block now (NN_SNDFD).
    fn can_send(&self) -> bool {
        false
    }
    /// A message arrived on pipe `id`.
    fn received(&mut self, id: PipeId, msg: Msg) -> Arrival;
    /// Whether `received` queues every message as it is (PAIR, PULL): a
    /// batch from a pipe may then be queued whole, without a look at each.
    fn queues_as_received(&self) -> bool {
        false
    }
    /// Fails a receive the protocol's state does not allow now; called
    /// before each attempt of `nn_recv`.
    fn check_recv(&mut self) -> Result<()> {
        Ok(())
    }
    /// When a blocked receive must stop waiting and call `check_recv`
    /// again (a survey's deadline).
    fn recv_deadline(&self) -> Option<Instant> {
        None
    }
    /// Whether a receive would return at once with an error (NN_RCVFD
    /// turns readable for it, as for a message).
    fn recv_fails_now(&self) -> bool {
        false
    }
    /// The user is about to get `msg` from the receive queue: the protocol
    /// takes what it needs from the header and strips it for a cooked
    /// socket. False: the message went stale while queued; it is dropped.
    fn hand_out(&mut self, msg: &mut Msg) -> bool {
        let _ = msg;
        true
    }
    /// A message the protocol sends by itself (a request, sent again), and
    /// the pipe for it.
    fn take_outgoing(&mut self) -> Option<(Pipe, Msg)> {
        None
    }
    /// The message `take_outgoing` gave for pipe `id` was not sent.
    fn not_sent(&mut self, id: PipeId) {
        let _ = id;
    }
    /// When the protocol next wants `on_timer`.
    fn next_timer(&self) -> Option<Instant> {
        None
    }
    /// A timer set for `next_timer` is due.
    fn on_timer(&mut self, now: Instant) {
        let _ = now;
    }
    /// NN_MAXTTL changed: the deepest backtrace accepted, in hops.
    fn set_max_hops(&mut self, hops: usize) {
        let _ = hops;
    }
    /// Sets an option at this protocol's level: ENOPROTOOPT unless the
    /// protocol has it.
    fn set_option(&mut self, option: i32, value: &[u8]) -> Result<()> {
        let _ = (option, value);
        Err(Error::NoSuchOption)
    }
    /// Reads an option at this protocol's level.
    fn get_option(&self, option: i32) -> Result<OptionValue> {
        let _ = option;
        Err(Error::NoSuchOption)
    }
}

/// The state machine for a new socket of this type.
pub fn new_protocol(kind: SocketType, raw: bool) -> Box<dyn Protocol> {
    use SocketType::*;
    match kind {
        Pair => Box::new(pair::Pair::default()),
        Pub => Box::new(pub_::Pub::default()),
        Sub => Box::new(sub::Sub::default()),
        Req => Box::new(req::Req::new(raw)),
        Rep | Respondent => Box::new(replier::Replier::new(raw)),
        Push => Box::new(push::Push::default()),
        Pull => Box::new(pull::Pull),
        Surveyor => Box::new(surveyor::Surveyor::new(raw)),
        Bus => Box::new(bus::Bus::new(raw)),
    }
}

/// A request or survey id to start counting from: ids need not be
/// unpredictable, only unlikely to repeat what a restarted process used.
pub fn first_id() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.finish() as u32
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

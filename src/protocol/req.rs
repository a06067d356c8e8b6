//! REQ: each request to one REP peer, chosen by the load balancer. Without
//! a reply it is sent again after NN_REQ_RESEND_IVL, and at once, on
//! another pipe, when the connection carrying it dies. A new request
//! abandons the old one: a late reply to it is dropped. A request made
//! while no peer can take it waits for one; the send still succeeds.
//!
//! Raw REQ load-balances what the caller gives, SP header and all, and
//! hands every reply up with its first word as the header.

use std::time::Instant;

use super::util::backtrace::{first_word, split_word, END_OF_TRACE};
use super::interval::Interval;
use super::util::lb::LoadBalancer;
use super::{PipeSet, first_id, Arrival, Protocol, Route};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::optval::OptionValue;
use crate::transport::pipe::{Pipe, PipeId};

/// NN_REQ_RESEND_IVL at level NN_REQ.
pub const NN_REQ_RESEND_IVL: i32 = 1;

/// The request waiting for its reply.
#[derive(Debug)]
struct Request {
    id: u32,
    /// The request as sent, kept to send again.
    msg: Msg,
    /// The pipe it was last sent on, and when it is sent again if no
    /// reply has come; `None`: to be sent (again).
    sent: Option<(PipeId, Instant)>,
}

/// The REQ state machine.
#[derive(Debug)]
pub struct Req {
    raw: bool,
    peers: LoadBalancer,
    /// NN_REQ_RESEND_IVL.
    resend_ivl: Interval,
    last_id: u32,
    request: Option<Request>,
    /// The id of the request whose reply waits in the receive queue.
    answered: Option<u32>,
}

impl Req {
    /// A fresh REQ socket's state; raw sockets keep no request.
    pub fn new(raw: bool) -> Req {
        Req {
            raw,
            peers: LoadBalancer::default(),
            resend_ivl: Interval::new(NN_REQ_RESEND_IVL, 60_000, raw),
            last_id: first_id(),
            request: None,
            answered: None,
        }
    }

    fn next_id(&mut self) -> u32 {
        self.last_id = self.last_id.wrapping_add(1);
        self.last_id | END_OF_TRACE
    }
}

impl Protocol for Req {
    fn pipe_set(&mut self) -> Option<&mut dyn PipeSet> {
        Some(&mut self.peers)
    }

    fn remove_pipe(&mut self, id: PipeId) {
        self.peers.remove(id);
        self.not_sent(id);
    }

    fn route(&mut self, msg: &mut Msg) -> Result<Route<'_>> {
        if self.raw {
            return Ok(self.peers.pick().map_or(Route::Wait, Route::One));
        }
        let id = self.next_id();
        msg.header = id.to_be_bytes().to_vec();
        let msg = std::mem::take(msg);
        self.request = Some(Request { id, msg, sent: None });
        self.answered = None;
        Ok(Route::Kept)
    }

    fn can_send(&self) -> bool {
        !self.raw || self.peers.can_send()
    }

    fn received(&mut self, _id: PipeId, mut msg: Msg) -> Arrival {
        let Some(id) = split_word(&mut msg) else { return Arrival::Dropped };
        if self.raw {
            return Arrival::Queue(msg);
        }
        if self.request.as_ref().is_some_and(|r| r.id == id) {
            self.request = None;
            self.answered = Some(id);
            return Arrival::Queue(msg);
        }
        Arrival::Dropped
    }

    fn check_recv(&mut self) -> Result<()> {
        if self.raw || self.request.is_some() || self.answered.is_some() {
            Ok(())
        } else {
            Err(Error::WrongState)
        }
    }

    fn hand_out(&mut self, msg: &mut Msg) -> bool {
        if self.raw {
            return true;
        }
        if self.answered.is_none() || first_word(&msg.header) != self.answered {
            return false;
        }
        self.answered = None;
        msg.header.clear();
        true
    }

    fn take_outgoing(&mut self) -> Option<(Pipe, Msg)> {
        let request = self.request.as_mut().filter(|r| r.sent.is_none())?;
        let pipe = self.peers.pick()?;
        request.sent = Some((pipe.id, Instant::now() + self.resend_ivl.duration()));
        Some((pipe.clone(), request.msg.share()))
    }

    fn not_sent(&mut self, id: PipeId) {
        if let Some(r) = self.request.as_mut().filter(|r| r.sent.is_some_and(|(on, _)| on == id)) {
            r.sent = None;
        }
    }

    fn next_timer(&self) -> Option<Instant> {
        self.request.as_ref().and_then(|r| r.sent).map(|(_, at)| at)
    }

    fn on_timer(&mut self, now: Instant) {
        if let Some(r) = self.request.as_mut().filter(|r| r.sent.is_some_and(|(_, at)| at <= now)) {
            r.sent = None;
        }
    }

    fn set_option(&mut self, option: i32, value: &[u8]) -> Result<()> {
        self.resend_ivl.set(option, value)
    }

    fn get_option(&self, option: i32) -> Result<OptionValue> {
        self.resend_ivl.get(option)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use crate::protocol::testing::{fake_pipe, msg, routed};

    fn outgoing(r: &mut Req) -> Option<(PipeId, Vec<u8>)> {
        r.take_outgoing().map(|(p, m)| (p.id, m.header))
    }

    #[test]
    fn a_request_waits_for_a_pipe_and_goes_again_when_its_pipe_dies() {
        let mut r = Req::new(false);
        assert_eq!(r.check_recv(), Err(Error::WrongState));
        assert_eq!(routed(&mut r), None, "kept, even with no peer");
        assert_eq!(r.check_recv(), Ok(()));
        assert!(r.can_send() && outgoing(&mut r).is_none());
        r.add_pipe(&fake_pipe(1, 8));
        r.add_pipe(&fake_pipe(2, 8));
        let (first, header) = outgoing(&mut r).unwrap();
        assert_eq!(first, 1);
        assert!(outgoing(&mut r).is_none(), "sent once until something happens");
        r.remove_pipe(1);
        assert_eq!(outgoing(&mut r), Some((2, header.clone())), "at once on the other pipe");
        r.not_sent(2);
        r.set_writable(2, false);
        assert!(outgoing(&mut r).is_none());
        r.set_writable(2, true);
        assert_eq!(outgoing(&mut r), Some((2, header)));
    }

    #[test]
    fn resent_after_the_interval() {
        let mut r = Req::new(false);
        r.set_option(NN_REQ_RESEND_IVL, &100i32.to_ne_bytes()).unwrap();
        assert_eq!(r.get_option(NN_REQ_RESEND_IVL), Ok(OptionValue::Int(100)));
        r.add_pipe(&fake_pipe(1, 8));
        routed(&mut r);
        assert!(outgoing(&mut r).is_some());
        let due = r.next_timer().unwrap();
        r.on_timer(due - Duration::from_millis(1));
        assert!(outgoing(&mut r).is_none(), "not yet");
        r.on_timer(due);
        assert!(outgoing(&mut r).is_some());
    }

    #[test]
    fn only_the_reply_to_the_newest_request_is_kept() {
        let mut r = Req::new(false);
        r.add_pipe(&fake_pipe(1, 8));
        routed(&mut r);
        let (_, old) = outgoing(&mut r).unwrap();
        routed(&mut r);
        let (_, new) = outgoing(&mut r).unwrap();
        assert_ne!(old, new);
        assert_eq!(r.received(1, msg(&[], &[old.clone(), b"x".to_vec()].concat())), Arrival::Dropped);
        assert_eq!(r.received(1, msg(&[], &[0x80])), Arrival::Dropped, "too short");
        let Arrival::Queue(mut reply) = r.received(1, msg(&[], &[new.clone(), b"y".to_vec()].concat())) else {
            panic!("the reply is queued")
        };
        assert!(r.next_timer().is_none(), "answered: no more resends");
        assert_eq!(r.received(1, msg(&new, b"y")), Arrival::Dropped, "a second reply");
        assert!(r.hand_out(&mut reply));
        assert!(reply.header.is_empty() && reply.body.as_slice() == b"y");
        assert_eq!(r.check_recv(), Err(Error::WrongState));
    }

    #[test]
    fn a_queued_reply_goes_stale_with_a_new_request() {
        let mut r = Req::new(false);
        r.add_pipe(&fake_pipe(1, 8));
        routed(&mut r);
        let (_, id) = outgoing(&mut r).unwrap();
        let Arrival::Queue(mut reply) = r.received(1, msg(&id, b"")) else { panic!("queued") };
        routed(&mut r);
        assert!(!r.hand_out(&mut reply));
    }

    #[test]
    fn raw_requests_pass_through() {
        let mut r = Req::new(true);
        assert_eq!(r.set_option(NN_REQ_RESEND_IVL, &1i32.to_ne_bytes()), Err(Error::NoSuchOption));
        assert!(!r.can_send() && r.check_recv().is_ok());
        assert_eq!(routed(&mut r), Some(vec![]));
        r.add_pipe(&fake_pipe(3, 8));
        assert_eq!(routed(&mut r), Some(vec![3]));
        let Arrival::Queue(mut m) = r.received(3, msg(&[], &[0, 0, 0, 4, 0x80, 0, 0, 1])) else { panic!() };
        assert!(r.hand_out(&mut m));
        assert_eq!((&m.header[..], m.body.as_slice()), (&[0, 0, 0, 4][..], &[0x80, 0, 0, 1][..]));
    }
}

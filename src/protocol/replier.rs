//! REP and RESPONDENT, which route alike: a request (or survey) arrives
//! with its backtrace; the reply goes back on the pipe it came from with
//! that backtrace in front. Routers push the id of the pipe a message came
//! in on, so the backtrace grows a word per hop; one deeper than NN_MAXTTL
//! is dropped.
//!
//! A cooked socket keeps the backtrace of the last request handed out and
//! answers with it (EFSM without one). A raw socket hands the header out
//! (pipe id first) and takes it back from the caller. A reply whose pipe
//! is gone or full is dropped: the requester asks again, and one client
//! that stops reading cannot stall the server.

use std::collections::HashMap;

use super::util::backtrace::{first_word, split_backtrace, WORD};
use super::{Arrival, Protocol, Route};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::transport::pipe::{Pipe, PipeId};

/// NN_MAXTTL's default.
const DEFAULT_MAX_HOPS: usize = 8;

/// The REP / RESPONDENT state machine.
#[derive(Debug)]
pub struct Replier {
    raw: bool,
    /// Every pipe, and whether it can take a reply now.
    pipes: HashMap<PipeId, (Pipe, bool)>,
    max_hops: usize,
    /// The header of the request being answered (cooked sockets).
    backtrace: Option<Vec<u8>>,
}

impl Replier {
    /// A fresh socket's state.
    pub fn new(raw: bool) -> Replier {
        Replier { raw, pipes: HashMap::new(), max_hops: DEFAULT_MAX_HOPS, backtrace: None }
    }
}

impl Protocol for Replier {
    fn add_pipe(&mut self, pipe: &Pipe) -> bool {
        self.pipes.insert(pipe.id, (pipe.clone(), true));
        true
    }

    fn remove_pipe(&mut self, id: PipeId) {
        self.pipes.remove(&id);
    }

    fn route(&mut self, msg: &mut Msg) -> Result<Route<'_>> {
        if !self.raw {
            msg.header = self.backtrace.take().ok_or(Error::WrongState)?;
        }
        let Some(id) = first_word(&msg.header) else { return Ok(Route::Each(Vec::new())) };
        msg.header.drain(..WORD);
        let pipe = self.pipes.get(&id).filter(|(_, writable)| *writable).map(|(p, _)| p);
        Ok(Route::Each(pipe.into_iter().collect()))
    }

    fn set_writable(&mut self, id: PipeId, writable: bool) {
        if let Some(entry) = self.pipes.get_mut(&id) {
            entry.1 = writable;
        }
    }

    fn can_send(&self) -> bool {
        self.raw || self.backtrace.is_some()
    }

    fn received(&mut self, id: PipeId, mut msg: Msg) -> Arrival {
        if !split_backtrace(&mut msg, self.max_hops) {
            return Arrival::Dropped;
        }
        let mut header = id.to_be_bytes().to_vec();
        header.append(&mut msg.header);
        msg.header = header;
        Arrival::Queue(msg)
    }

    fn hand_out(&mut self, msg: &mut Msg) -> bool {
        if !self.raw {
            self.backtrace = Some(std::mem::take(&mut msg.header));
        }
        true
    }

    fn set_max_hops(&mut self, hops: usize) {
        self.max_hops = hops;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::{fake_pipe, msg, route_ids};

    const REQUEST: [u8; 8] = [0, 0, 0, 3, 0x80, 0, 0, 9];

    fn request(r: &mut Replier, pipe: PipeId) -> Msg {
        match r.received(pipe, msg(&[], &[&REQUEST[..], b"ask"].concat())) {
            Arrival::Queue(m) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_reply_goes_back_where_the_request_came_from() {
        let mut r = Replier::new(false);
        for id in 1..=2 {
            r.add_pipe(&fake_pipe(id, 8));
        }
        assert_eq!(r.route(&mut Msg::default()).map(|_| ()), Err(Error::WrongState));
        let mut m = request(&mut r, 2);
        assert_eq!(m.header, [&[0, 0, 0, 2][..], &REQUEST].concat());
        assert!(!r.can_send());
        assert!(r.hand_out(&mut m));
        assert!(m.header.is_empty() && m.body.as_slice() == b"ask");
        assert!(r.can_send());
        let mut reply = msg(&[], b"answer");
        assert_eq!(route_ids(&mut r, &mut reply), Some(vec![2]));
        assert_eq!(reply.header, REQUEST, "the backtrace goes back on the wire");
        assert!(!r.can_send(), "one reply per request");
    }

    #[test]
    fn replies_to_gone_or_full_pipes_are_dropped() {
        let mut r = Replier::new(false);
        r.add_pipe(&fake_pipe(1, 8));
        let mut m = request(&mut r, 1);
        r.hand_out(&mut m);
        r.set_writable(1, false);
        assert_eq!(route_ids(&mut r, &mut Msg::default()), Some(vec![]));
        let mut m = request(&mut r, 1);
        r.hand_out(&mut m);
        r.remove_pipe(1);
        assert_eq!(route_ids(&mut r, &mut Msg::default()), Some(vec![]));
    }

    #[test]
    fn malformed_or_too_deep_requests_are_dropped() {
        let mut r = Replier::new(true);
        assert_eq!(r.received(1, msg(&[], &[0, 0, 0, 1])), Arrival::Dropped, "no request id");
        assert_eq!(r.received(1, msg(&[], b"")), Arrival::Dropped);
        let deep: Vec<u8> = [[0u8, 0, 0, 1]; 8].concat().into_iter().chain([0x80, 0, 0, 1]).collect();
        assert_eq!(r.received(1, msg(&[], &deep)), Arrival::Dropped, "9 hops");
        r.set_max_hops(9);
        assert!(matches!(r.received(1, msg(&[], &deep)), Arrival::Queue(_)));
    }

    #[test]
    fn raw_replies_are_routed_by_their_header() {
        let mut r = Replier::new(true);
        r.add_pipe(&fake_pipe(7, 8));
        let mut m = request(&mut r, 7);
        assert!(r.hand_out(&mut m) && m.header.len() == 12, "the header stays");
        assert!(r.can_send());
        let mut reply = msg(&m.header, b"re");
        assert_eq!(route_ids(&mut r, &mut reply), Some(vec![7]));
        assert_eq!(reply.header, REQUEST);
        assert_eq!(route_ids(&mut r, &mut msg(&[0, 0], b"")), Some(vec![]), "no pipe id: dropped");
    }
}

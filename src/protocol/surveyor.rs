//! SURVEYOR: each survey to every RESPONDENT peer that can take it now,
//! then answers are collected until NN_SURVEYOR_DEADLINE. A receive after
//! the deadline fails with ETIMEDOUT, and after that with EFSM until the
//! next survey. Answers to an older survey, or late ones, are dropped.
//!
//! Raw SURVEYOR sends what the caller gives to every peer and hands every
//! answer up with its first word (the survey id) as the header.

use std::time::Instant;

use super::util::backtrace::{first_word, split_word, END_OF_TRACE};
use super::interval::Interval;
use super::util::fanout::Fanout;
use super::{PipeSet, first_id, Arrival, Protocol, Route};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::optval::OptionValue;
use crate::transport::pipe::PipeId;

/// NN_SURVEYOR_DEADLINE at level NN_SURVEYOR.
pub const NN_SURVEYOR_DEADLINE: i32 = 1;

/// The survey collecting answers.
#[derive(Debug, Clone, Copy)]
struct Survey {
    id: u32,
    deadline: Instant,
}

/// The SURVEYOR state machine.
#[derive(Debug)]
pub struct Surveyor {
    raw: bool,
    peers: Fanout,
    /// NN_SURVEYOR_DEADLINE.
    deadline: Interval,
    last_id: u32,
    survey: Option<Survey>,
}

impl Surveyor {
    /// A fresh SURVEYOR socket's state.
    pub fn new(raw: bool) -> Surveyor {
        let deadline = Interval::new(NN_SURVEYOR_DEADLINE, 1000, raw);
        Surveyor { raw, peers: Fanout::default(), deadline, last_id: first_id(), survey: None }
    }

    /// The running survey, if it is `id` and still collecting.
    fn collecting(&self, id: Option<u32>) -> bool {
        self.survey.is_some_and(|s| Some(s.id) == id && Instant::now() < s.deadline)
    }
}

impl Protocol for Surveyor {
    fn pipe_set(&mut self) -> Option<&mut dyn PipeSet> {
        Some(&mut self.peers)
    }

    fn route(&mut self, msg: &mut Msg) -> Result<Route<'_>> {
        if !self.raw {
            self.last_id = self.last_id.wrapping_add(1);
            let id = self.last_id | END_OF_TRACE;
            msg.header = id.to_be_bytes().to_vec();
            let deadline = Instant::now() + self.deadline.duration();
            self.survey = Some(Survey { id, deadline });
        }
        Ok(Route::Each(self.peers.targets(None)))
    }

    fn can_send(&self) -> bool {
        true
    }

    fn received(&mut self, _id: PipeId, mut msg: Msg) -> Arrival {
        let id = split_word(&mut msg);
        if id.is_none() || !(self.raw || self.collecting(id)) {
            return Arrival::Dropped;
        }
        Arrival::Queue(msg)
    }

    fn check_recv(&mut self) -> Result<()> {
        if self.raw {
            return Ok(());
        }
        match self.survey {
            None => Err(Error::WrongState),
            Some(s) if Instant::now() >= s.deadline => {
                self.survey = None;
                Err(Error::TimedOut)
            }
            Some(_) => Ok(()),
        }
    }

    fn recv_deadline(&self) -> Option<Instant> {
        self.survey.map(|s| s.deadline)
    }

    fn recv_fails_now(&self) -> bool {
        self.survey.is_some_and(|s| Instant::now() >= s.deadline)
    }

    fn hand_out(&mut self, msg: &mut Msg) -> bool {
        if self.raw {
            return true;
        }
        if !self.collecting(first_word(&msg.header)) {
            return false;
        }
        msg.header.clear();
        true
    }

    fn next_timer(&self) -> Option<Instant> {
        self.recv_deadline()
    }

    fn set_option(&mut self, option: i32, value: &[u8]) -> Result<()> {
        self.deadline.set(option, value)
    }

    fn get_option(&self, option: i32) -> Result<OptionValue> {
        self.deadline.get(option)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use crate::protocol::testing::{fake_pipe, msg, route_ids};

    fn survey(s: &mut Surveyor) -> Vec<u8> {
        let mut m = Msg::default();
        route_ids(s, &mut m);
        m.header
    }

    #[test]
    fn answers_until_the_deadline_then_timed_out_then_efsm() {
        let mut s = Surveyor::new(false);
        assert_eq!(s.check_recv(), Err(Error::WrongState));
        s.set_option(NN_SURVEYOR_DEADLINE, &50i32.to_ne_bytes()).unwrap();
        s.add_pipe(&fake_pipe(1, 8));
        s.add_pipe(&fake_pipe(2, 8));
        let mut m = Msg::default();
        assert_eq!(route_ids(&mut s, &mut m), Some(vec![1, 2]));
        let id = m.header;
        assert!(s.check_recv().is_ok() && !s.recv_fails_now());
        let Arrival::Queue(mut answer) = s.received(2, msg(&[], &[&id[..], b"yes"].concat())) else { panic!() };
        assert!(s.hand_out(&mut answer) && answer.body.as_slice() == b"yes" && answer.header.is_empty());
        std::thread::sleep(Duration::from_millis(60));
        assert!(s.recv_fails_now());
        assert_eq!(s.received(1, msg(&id, b"late")), Arrival::Dropped);
        assert_eq!(s.check_recv(), Err(Error::TimedOut));
        assert_eq!(s.check_recv(), Err(Error::WrongState));
    }

    #[test]
    fn answers_to_an_old_survey_are_dropped() {
        let mut s = Surveyor::new(false);
        s.add_pipe(&fake_pipe(1, 8));
        let old = survey(&mut s);
        let Arrival::Queue(mut queued) = s.received(1, msg(&old, b"")) else { panic!() };
        let new = survey(&mut s);
        assert_ne!(old, new);
        assert!(!s.hand_out(&mut queued), "went stale in the queue");
        assert_eq!(s.received(1, msg(&old, b"")), Arrival::Dropped);
        assert_eq!(s.received(1, msg(&[], &[0x80])), Arrival::Dropped);
    }

    #[test]
    fn raw_surveys_pass_through() {
        let mut s = Surveyor::new(true);
        assert_eq!(s.get_option(NN_SURVEYOR_DEADLINE), Err(Error::NoSuchOption));
        s.add_pipe(&fake_pipe(1, 8));
        let mut m = msg(&[0x80, 0, 0, 1], b"q");
        assert_eq!(route_ids(&mut s, &mut m), Some(vec![1]));
        assert_eq!(m.header, [0x80, 0, 0, 1]);
        assert!(s.check_recv().is_ok());
        assert!(matches!(s.received(1, msg(&[], &[0x80, 0, 0, 7])), Arrival::Queue(_)));
    }
}

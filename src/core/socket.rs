//! One nanomsg socket: its type, its options at every level, its blocking
//! calls with their deadlines, its readiness fds and its statistics.
//!
//! Lock order: the table's lock (if held) before `state`. Blocking calls
//! wait on `changed` and are woken by `close` (EBADF, or ETERM from
//! `nn_term`) as well as by the engine.

use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use super::error::{Error, Result};
use super::msg::Msg;
use super::options::{id, SocketOptions, NN_SOL_SOCKET};
use super::optval::OptionValue;
use super::ready::ReadySignal;
use super::stats::{Stat, Stats};
use crate::protocol::options::ProtocolOptions;
use crate::protocol::SocketType;
use crate::transport::addr;
use crate::transport::options::TransportOptions;
use crate::transport::Transport;

/// Domain of cooked sockets: the protocol keeps its state.
pub const AF_SP: i32 = 1;
/// Domain of raw sockets: the caller sees and sets SP headers.
pub const AF_SP_RAW: i32 = 2;

/// The mutable part of a socket, behind its lock.
#[derive(Debug)]
struct State {
    options: SocketOptions,
    protocol: ProtocolOptions,
    transport: TransportOptions,
    /// Why the socket no longer works (EBADF after close, ETERM after
    /// `nn_term`), once it does not.
    closed: Option<Error>,
    /// Ids of live endpoints, from `nn_bind` / `nn_connect`.
    endpoints: Vec<i32>,
}

/// The two readiness fds: "a send would not block", "a recv would not block".
#[derive(Debug)]
struct Signals {
    send: ReadySignal,
    recv: ReadySignal,
}

/// A socket of the table.
#[derive(Debug)]
pub struct Socket {
    kind: SocketType,
    raw: bool,
    state: Mutex<State>,
    changed: Condvar,
    stats: Stats,
    signals: OnceLock<Signals>,
}

/// How long a blocking call may wait: NN_DONTWAIT, a timeout option's
/// milliseconds (-1: for ever).
#[derive(Debug, Clone, Copy)]
enum Wait {
    No,
    Until(Option<Instant>),
}

impl Socket {
    /// A socket of `domain` (AF_SP or AF_SP_RAW) and protocol number
    /// `protocol`, with id `socket_id`: EAFNOSUPPORT for another domain,
    /// EINVAL for an unknown protocol.
    pub fn new(socket_id: usize, domain: i32, protocol: i32) -> Result<Socket> {
        let raw = match domain {
            AF_SP => false,
            AF_SP_RAW => true,
            _ => return Err(Error::AddressFamilyNotSupported),
        };
        let kind = SocketType::from_number(protocol).ok_or(Error::Invalid)?;
        Ok(Socket {
            kind,
            raw,
            state: Mutex::new(State {
                options: SocketOptions::new(socket_id),
                protocol: ProtocolOptions::new(kind, raw),
                transport: TransportOptions::default(),
                closed: None,
                endpoints: Vec::new(),
            }),
            changed: Condvar::new(),
            stats: Stats::default(),
            signals: OnceLock::new(),
        })
    }

    /// The socket's type.
    pub fn kind(&self) -> SocketType {
        self.kind
    }

    /// Whether the socket is raw (AF_SP_RAW).
    pub fn is_raw(&self) -> bool {
        self.raw
    }

    /// The statistics counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Locks the state; fails with the close reason once closed.
    // Takes the socket lock.
    fn open_state(&self) -> Result<MutexGuard<'_, State>> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match state.closed {
            Some(reason) => Err(reason),
            None => Ok(state),
        }
    }

    /// Fails with the close reason once the socket is closed.
    fn check_open(&self) -> Result<()> {
        self.open_state().map(drop)
    }

    /// Marks the socket closed for `reason` and wakes every blocked call,
    /// which returns `reason`. Later calls fail the same way.
    // Takes the socket lock.
    pub fn close(&self, reason: Error) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.closed.is_none() {
            state.closed = Some(reason);
        }
        drop(state);
        self.changed.notify_all();
    }

    /// Sets an option at any level (`nn_setsockopt`).
    pub fn set_option(&self, level: i32, option: i32, value: &[u8]) -> Result<()> {
        let mut state = self.open_state()?;
        if level == NN_SOL_SOCKET {
            if matches!(option, id::DOMAIN | id::PROTOCOL | id::SNDFD | id::RCVFD) {
                return Err(Error::NoSuchOption);
            }
            state.options.set(option, value)
        } else if level == self.kind.number() {
            state.protocol.set(option, value)
        } else if Transport::from_level(level).is_some() {
            state.transport.set(level, option, value)
        } else {
            Err(Error::NoSuchOption)
        }
    }

    /// Reads an option at any level (`nn_getsockopt`).
    pub fn get_option(&self, level: i32, option: i32) -> Result<OptionValue> {
        let state = self.open_state()?;
        if level == NN_SOL_SOCKET {
            match option {
                id::DOMAIN => Ok(OptionValue::Int(if self.raw { AF_SP_RAW } else { AF_SP })),
                id::PROTOCOL => Ok(OptionValue::Int(self.kind.number())),
                id::SNDFD if self.kind.can_send() => Ok(OptionValue::Int(self.signals()?.send.raw_fd())),
                id::RCVFD if self.kind.can_recv() => Ok(OptionValue::Int(self.signals()?.recv.raw_fd())),
                id::SNDFD | id::RCVFD => Err(Error::NoSuchOption),
                _ => state.options.get(option),
            }
        } else if level == self.kind.number() {
            state.protocol.get(option)
        } else if Transport::from_level(level).is_some() {
            state.transport.get(level, option)
        } else {
            Err(Error::NoSuchOption)
        }
    }

    /// The readiness fds, created on first use.
    fn signals(&self) -> Result<&Signals> {
        if let Some(s) = self.signals.get() {
            return Ok(s);
        }
        let fresh = Signals { send: ReadySignal::new()?, recv: ReadySignal::new()? };
        // If another thread won the race, its pair is kept and ours dropped.
        let _ = self.signals.set(fresh);
        self.signals.get().ok_or(Error::Internal)
    }

    /// The fd that polls readable while a send would not block
    /// (`None` for types that never send).
    pub fn send_signal(&self) -> Result<Option<&ReadySignal>> {
        self.check_open()?;
        if !self.kind.can_send() {
            return Ok(None);
        }
        Ok(Some(&self.signals()?.send))
    }

    /// The fd that polls readable while a recv would not block
    /// (`None` for types that never receive).
    pub fn recv_signal(&self) -> Result<Option<&ReadySignal>> {
        self.check_open()?;
        if !self.kind.can_recv() {
            return Ok(None);
        }
        Ok(Some(&self.signals()?.recv))
    }

    /// Adds an endpoint (`nn_bind` / `nn_connect`). The address is checked
    /// (ENAMETOOLONG, EINVAL, EPROTONOSUPPORT); no transport is available
    /// yet, so every well-formed address is EPROTONOSUPPORT too.
    pub fn add_endpoint(&self, address: &str, _bind: bool) -> Result<i32> {
        let _state = self.open_state()?;
        addr::parse(address)?;
        Err(Error::ProtocolNotSupported)
    }

    /// Removes an endpoint (`nn_shutdown`): EINVAL for an unknown id.
    pub fn remove_endpoint(&self, endpoint: i32) -> Result<()> {
        let mut state = self.open_state()?;
        let at = state.endpoints.iter().position(|&e| e == endpoint).ok_or(Error::Invalid)?;
        state.endpoints.remove(at);
        Ok(())
    }

    /// Sends one message (`nn_send`). On failure the message comes back to
    /// the caller, who still owns it.
    pub fn send(&self, msg: Msg, dontwait: bool) -> std::result::Result<(), (Msg, Error)> {
        let state = match self.open_state() {
            Ok(s) => s,
            Err(e) => return Err((msg, e)),
        };
        if !self.kind.can_send() {
            return Err((msg, Error::NotSupported));
        }
        if !self.raw && matches!(self.kind, SocketType::Rep | SocketType::Respondent) {
            // No request has arrived that this could answer.
            return Err((msg, Error::WrongState));
        }
        let wait = Self::wait_for(dontwait, state.options.sndtimeo);
        Err((msg, self.block(state, wait)))
    }

    /// Receives one message (`nn_recv`).
    pub fn recv(&self, dontwait: bool) -> Result<Msg> {
        let state = self.open_state()?;
        if !self.kind.can_recv() {
            return Err(Error::NotSupported);
        }
        if !self.raw && matches!(self.kind, SocketType::Req | SocketType::Surveyor) {
            // No request or survey is outstanding.
            return Err(Error::WrongState);
        }
        let wait = Self::wait_for(dontwait, state.options.rcvtimeo);
        Err(self.block(state, wait))
    }

    fn wait_for(dontwait: bool, timeout_ms: i32) -> Wait {
        if dontwait {
            Wait::No
        } else if timeout_ms < 0 {
            Wait::Until(None)
        } else {
            Wait::Until(Some(Instant::now() + Duration::from_millis(timeout_ms as u64)))
        }
    }

    /// Waits, with no peer to make progress, until the deadline passes
    /// (ETIMEDOUT) or the socket closes (its reason); EAGAIN if it may
    /// not wait at all.
    // Releases and retakes the socket lock while waiting.
    fn block(&self, mut state: MutexGuard<'_, State>, wait: Wait) -> Error {
        let deadline = match wait {
            Wait::No => return Error::WouldBlock,
            Wait::Until(d) => d,
        };
        loop {
            if let Some(reason) = state.closed {
                return reason;
            }
            state = match deadline {
                None => self.changed.wait(state).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Error::TimedOut;
                    }
                    self.changed.wait_timeout(state, d - now).unwrap_or_else(|e| e.into_inner()).0
                }
            };
        }
    }

    /// The value of statistic number `number` (`nn_get_statistic`).
    pub fn statistic(&self, number: i32) -> Result<u64> {
        self.check_open()?;
        let stat = Stat::from_number(number).ok_or(Error::Invalid)?;
        Ok(self.stats.get(stat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::msg::Body;
    use std::sync::Arc;

    fn int(v: i32) -> [u8; 4] {
        v.to_ne_bytes()
    }

    #[test]
    fn domain_and_protocol_are_checked() {
        assert_eq!(Socket::new(0, 3, 16).err(), Some(Error::AddressFamilyNotSupported));
        assert_eq!(Socket::new(0, AF_SP, 17).err(), Some(Error::Invalid));
        let s = Socket::new(0, AF_SP_RAW, 49).unwrap();
        assert_eq!(s.get_option(0, id::DOMAIN), Ok(OptionValue::Int(AF_SP_RAW)));
        assert_eq!(s.set_option(0, id::PROTOCOL, &int(16)), Err(Error::NoSuchOption));
    }

    #[test]
    fn options_dispatch_by_level() {
        let s = Socket::new(0, AF_SP, 48).unwrap();
        assert_eq!(s.get_option(48, 1), Ok(OptionValue::Int(60_000)));
        assert_eq!(s.get_option(98, 1), Err(Error::NoSuchOption));
        assert_eq!(s.set_option(-3, 1, &int(1)), Ok(()));
        assert_eq!(s.get_option(-3, 1), Ok(OptionValue::Int(1)));
        assert_eq!(s.get_option(7, 1), Err(Error::NoSuchOption));
        assert_eq!(s.get_option(0, id::RCVFD).map(|_| ()), Ok(()));
        let sub = Socket::new(1, AF_SP, 33).unwrap();
        assert_eq!(sub.get_option(0, id::SNDFD), Err(Error::NoSuchOption));
    }

    #[test]
    fn blocking_calls_time_out_or_end_with_close() {
        let s = Arc::new(Socket::new(0, AF_SP, 16).unwrap());
        let msg = Msg::new(Body::copy_from(b"x", 0).unwrap());
        assert_eq!(s.send(msg.clone(), true).unwrap_err().1, Error::WouldBlock);
        s.set_option(0, id::RCVTIMEO, &int(20)).unwrap();
        assert_eq!(s.recv(false).err(), Some(Error::TimedOut));
        let s2 = s.clone();
        let waiter = std::thread::spawn(move || s2.send(msg, false).unwrap_err());
        std::thread::sleep(Duration::from_millis(20));
        s.close(Error::Terminated);
        let (back, err) = waiter.join().unwrap();
        assert_eq!((back.body.as_slice(), err), (&b"x"[..], Error::Terminated));
        assert_eq!(s.recv(true).err(), Some(Error::Terminated));
    }

    #[test]
    fn protocol_rules_before_any_peer() {
        let pubs = Socket::new(0, AF_SP, 32).unwrap();
        assert_eq!(pubs.recv(true).err(), Some(Error::NotSupported));
        let req = Socket::new(1, AF_SP, 48).unwrap();
        assert_eq!(req.recv(true).err(), Some(Error::WrongState));
        let rep = Socket::new(2, AF_SP, 49).unwrap();
        let m = Msg::default();
        assert_eq!(rep.send(m, true).unwrap_err().1, Error::WrongState);
    }

    #[test]
    fn endpoints_are_refused_until_transports_exist() {
        let s = Socket::new(0, AF_SP, 16).unwrap();
        assert_eq!(s.add_endpoint("tcp://127.0.0.1:5555", true), Err(Error::ProtocolNotSupported));
        assert_eq!(s.add_endpoint("nonsense", false), Err(Error::Invalid));
        assert_eq!(s.remove_endpoint(1), Err(Error::Invalid));
    }
}

//! One nanomsg socket: its type and routing, its options at every level,
//! its endpoints, its receive queue, its readiness fds and statistics.
//! Sending and receiving are in `io.rs`; what pipes report is in
//! `owner.rs`.
//!
//! Lock order: the table's lock before `state`; `state` before a pipe's
//! locks, but pipes are sent on, resumed and closed with `state` released
//! (an inproc pipe reaches into the other socket's `state`).

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use super::error::{Error, Result};
use super::driver::ProtocolTimer;
use super::spin::SpinState;
use super::inbox::Inbox;
use super::options::{id, SocketOptions, NN_SOL_SOCKET};
use super::optval::OptionValue;
use super::ready::ReadySignal;
use super::stats::{Stat, Stats, Traffic};
use crate::protocol::{self, Protocol, SocketType};
use crate::transport::addr;
use crate::transport::endpoint::{Endpoint, EndpointOptions};
use crate::transport::options::TransportOptions;
use crate::transport::pipe::{Pipe, PipeId, PipeOps, PipeOwner};
use crate::transport::{self, Transport};

/// Domain of cooked sockets: the protocol keeps its state.
pub const AF_SP: i32 = 1;
/// Domain of raw sockets: the caller sees and sets SP headers.
pub const AF_SP_RAW: i32 = 2;

/// A live pipe and the newest writable-epoch it reported.
pub(super) struct PipeEntry {
    pub pipe: Pipe,
    pub epoch: u64,
}

/// The mutable part of a socket, behind its lock.
pub(super) struct State {
    pub options: SocketOptions,
    pub transport: TransportOptions,
    /// Why the socket no longer works (EBADF after close, ETERM after
    /// `nn_term`), once it does not.
    pub closed: Option<Error>,
    pub endpoints: Vec<(i32, Arc<dyn Endpoint>)>,
    pub next_endpoint: i32,
    pub routing: Box<dyn Protocol>,
    pub pipes: HashMap<PipeId, PipeEntry>,
    /// The pipes a receiver can read itself (`watch::note_pipes`), kept as
    /// pipes come and go: a receiver takes them for every read.
    pub pullable: Arc<[Arc<dyn PipeOps>]>,
    /// Every pipe hands what arrives to the socket in batches, and has no
    /// fd (inproc): a receiver may nap (see `nap.rs`).
    pub batched: bool,
    pub inbox: Inbox,
    /// Pipes that stopped reading because the inbox was full.
    pub paused: Vec<Arc<dyn PipeOps>>,
    pub send_waiters: usize,
    pub recv_waiters: usize,
    /// Receivers polling their pipes' fds (see `watch.rs`).
    pub recv_watchers: usize,
    /// The I/O thread reads the pipes as bytes arrive (else receivers
    /// read them: see `update_io_reads`).
    pub io_reads: bool,
    /// `nn_recv` has been called on the socket.
    pub received: bool,
    /// Whether a receiver spins before it sleeps.
    pub spin: SpinState,
    /// The last call was a receive that returned a message: a receiver
    /// of a stream (see `nap.rs`).
    pub streaming: bool,
    /// Messages and bytes sent and received (`nn_get_statistic`).
    pub traffic: Traffic,
    pub timer: ProtocolTimer,
}

/// The two readiness fds: "a send would not block", "a recv would not block".
#[derive(Debug)]
pub(super) struct Signals {
    pub send: ReadySignal,
    pub recv: ReadySignal,
}

/// A socket of the table.
pub struct Socket {
    kind: SocketType,
    raw: bool,
    pub(super) state: Mutex<State>,
    pub(super) can_send: Condvar,
    pub(super) can_recv: Condvar,
    pub(super) stats: Stats,
    pub(super) signals: OnceLock<Signals>,
    /// Raised to wake receivers that watch their pipes' fds.
    pub(super) kick: OnceLock<ReadySignal>,
    /// Counts deliveries that queued something, for spinning receivers.
    pub(super) arrivals: AtomicU64,
    pub(super) me: Weak<Socket>,
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket").field("kind", &self.kind).field("raw", &self.raw).finish()
    }
}

impl Socket {
    /// A socket of `domain` (AF_SP or AF_SP_RAW) and protocol number
    /// `protocol`, with id `socket_id`: EAFNOSUPPORT for another domain,
    /// EINVAL for an unknown protocol.
    pub fn new(socket_id: usize, domain: i32, protocol: i32) -> Result<Arc<Socket>> {
        let raw = match domain {
            AF_SP => false,
            AF_SP_RAW => true,
            _ => return Err(Error::AddressFamilyNotSupported),
        };
        let kind = SocketType::from_number(protocol).ok_or(Error::Invalid)?;
        Ok(Arc::new_cyclic(|me| Socket {
            kind,
            raw,
            state: Mutex::new(State {
                options: SocketOptions::new(socket_id),
                transport: TransportOptions::default(),
                closed: None,
                endpoints: Vec::new(),
                next_endpoint: 1,
                routing: protocol::new_protocol(kind, raw),
                pipes: HashMap::new(),
                pullable: Arc::new([]),
                batched: false,
                inbox: Inbox::default(),
                paused: Vec::new(),
                send_waiters: 0,
                recv_waiters: 0,
                recv_watchers: 0,
                io_reads: true,
                received: false,
                spin: SpinState::default(),
                streaming: false,
                traffic: Traffic::default(),
                timer: ProtocolTimer::default(),
            }),
            can_send: Condvar::new(),
            can_recv: Condvar::new(),
            stats: Stats::default(),
            signals: OnceLock::new(),
            kick: OnceLock::new(),
            arrivals: AtomicU64::new(0),
            me: me.clone(),
        }))
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

    /// Locks the state, whatever it holds.
    // Takes the socket lock.
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Locks the state; fails with the close reason once closed.
    // Takes the socket lock.
    pub(super) fn open_state(&self) -> Result<MutexGuard<'_, State>> {
        let state = self.lock();
        match state.closed {
            Some(reason) => Err(reason),
            None => Ok(state),
        }
    }

    /// Fails with the close reason once the socket is closed.
    pub fn check_open(&self) -> Result<()> {
        self.open_state().map(drop)
    }

    /// Closes the socket for `reason`: blocked calls return `reason`, later
    /// calls fail the same way. With EBADF (`nn_close`) it first waits up to
    /// NN_LINGER for queued messages to leave; then every endpoint and pipe
    /// is shut down.
    // Takes the socket lock, then releases it before touching endpoints.
    pub fn close(&self, reason: Error) {
        let (endpoints, pipes, linger) = {
            let mut state = self.lock();
            if state.closed.is_some() {
                return;
            }
            state.closed = Some(reason);
            state.timer.cancel();
            let endpoints = std::mem::take(&mut state.endpoints);
            let pipes: Vec<Arc<dyn PipeOps>> = state.pipes.values().map(|e| e.pipe.ops.clone()).collect();
            (endpoints, pipes, state.options.linger)
        };
        self.can_send.notify_all();
        self.can_recv.notify_all();
        if let Some(kick) = self.kick.get() {
            kick.set(true);
        }
        if let Some(s) = self.signals.get() {
            // Both calls now return at once (with the close reason), so
            // the fds say so: a poll or nn_device waiting on them wakes.
            s.send.set(true);
            s.recv.set(true);
        }
        if reason == Error::BadSocket && linger != 0 {
            let deadline = u64::try_from(linger).ok().map(|ms| Instant::now() + Duration::from_millis(ms));
            while pipes.iter().any(|p| p.unsent() > 0) && deadline.is_none_or(|d| Instant::now() < d) {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        for (_, endpoint) in endpoints {
            endpoint.shutdown();
        }
        for pipe in pipes {
            pipe.close();
        }
    }

    /// Sets an option at any level (`nn_setsockopt`).
    pub fn set_option(&self, level: i32, option: i32, value: &[u8]) -> Result<()> {
        let mut state = self.open_state()?;
        if level == NN_SOL_SOCKET {
            if matches!(option, id::DOMAIN | id::PROTOCOL | id::SNDFD | id::RCVFD) {
                return Err(Error::NoSuchOption);
            }
            state.options.set(option, value)?;
            if option == id::MAXTTL {
                let hops = state.options.maxttl as usize;
                state.routing.set_max_hops(hops);
            }
            Ok(())
        } else if level == self.kind.number() {
            state.routing.set_option(option, value)
        } else if Transport::from_level(level).is_some() {
            state.transport.set(level, option, value)
        } else {
            Err(Error::NoSuchOption)
        }
    }

    /// Reads an option at any level (`nn_getsockopt`).
    pub fn get_option(&self, level: i32, option: i32) -> Result<OptionValue> {
        let mut state = self.open_state()?;
        if level == NN_SOL_SOCKET {
            match option {
                id::DOMAIN => Ok(OptionValue::Int(if self.raw { AF_SP_RAW } else { AF_SP })),
                id::PROTOCOL => Ok(OptionValue::Int(self.kind.number())),
                id::SNDFD if self.kind.can_send() => Ok(OptionValue::Int(self.signals(&mut state)?.send.raw_fd())),
                id::RCVFD if self.kind.can_recv() => Ok(OptionValue::Int(self.signals(&mut state)?.recv.raw_fd())),
                id::SNDFD | id::RCVFD => Err(Error::NoSuchOption),
                _ => state.options.get(option),
            }
        } else if level == self.kind.number() {
            state.routing.get_option(option)
        } else if Transport::from_level(level).is_some() {
            state.transport.get(level, option)
        } else {
            Err(Error::NoSuchOption)
        }
    }

    /// The readiness fds, created on first use and set to the state now.
    /// From then on the I/O thread reads every pipe as bytes arrive, so
    /// that the fds tell of them.
    fn signals(&self, state: &mut State) -> Result<&Signals> {
        if let Some(s) = self.signals.get() {
            return Ok(s);
        }
        let fresh = Signals { send: ReadySignal::new()?, recv: ReadySignal::new()? };
        // If another thread won the race, its pair is kept and ours dropped.
        let _ = self.signals.set(fresh);
        let signals = self.signals.get().ok_or(Error::Internal)?;
        self.update_io_reads(state, None);
        self.refresh_signals(state);
        Ok(signals)
    }

    /// Brings NN_SNDFD / NN_RCVFD in line with the state (if they exist).
    pub(super) fn refresh_signals(&self, state: &State) {
        if state.closed.is_some() {
            return;
        }
        if let Some(s) = self.signals.get() {
            s.send.set(state.routing.can_send());
            s.recv.set(!state.inbox.is_empty() || state.routing.recv_fails_now());
        }
    }

    /// The fd that polls readable while a send would not block
    /// (`None` for types that never send).
    pub fn send_signal(&self) -> Result<Option<&ReadySignal>> {
        let mut state = self.open_state()?;
        if !self.kind.can_send() {
            return Ok(None);
        }
        Ok(Some(&self.signals(&mut state)?.send))
    }

    /// The fd that polls readable while a recv would not block
    /// (`None` for types that never receive).
    pub fn recv_signal(&self) -> Result<Option<&ReadySignal>> {
        let mut state = self.open_state()?;
        if !self.kind.can_recv() {
            return Ok(None);
        }
        Ok(Some(&self.signals(&mut state)?.recv))
    }

    /// The options an endpoint made now starts with.
    fn endpoint_options(&self, state: &State) -> EndpointOptions {
        let o = &state.options;
        let protocol = self.kind.number() as u16;
        EndpointOptions {
            protocol,
            peer_protocol: self.kind.peer().number() as u16,
            recv_max_size: u64::try_from(o.rcvmaxsize).ok(),
            send_buffer: o.sndbuf as usize,
            recv_buffer: o.rcvbuf as usize,
            reconnect_ivl: o.reconnect_ivl as u64,
            reconnect_ivl_max: o.reconnect_ivl_max as u64,
            send_priority: o.sndprio as u8,
            recv_priority: o.rcvprio as u8,
            ipv4_only: o.ipv4only,
            tcp_nodelay: state.transport.tcp_nodelay,
            ipc_file_mode: state.transport.ipc_file_mode as u32,
            ws_msg_type: state.transport.ws_msg_type as u8,
            type_name: self.kind.name(),
            peer_type_name: self.kind.peer().name(),
        }
    }

    /// Adds an endpoint (`nn_bind` / `nn_connect`) and returns its id.
    /// Address errors: ENAMETOOLONG, EINVAL, EPROTONOSUPPORT, ENODEV,
    /// EADDRINUSE.
    pub fn add_endpoint(&self, address: &str, bind: bool) -> Result<i32> {
        let options = self.endpoint_options(&*self.open_state()?);
        let parsed = addr::parse(address)?;
        let owner: Weak<dyn PipeOwner> = self.me.clone();
        // Without the lock: an inproc endpoint attaches its pipes at once.
        let endpoint = match transport::open_endpoint(parsed, bind, owner, options) {
            Ok(e) => e,
            Err(e) => {
                if bind {
                    self.stats.add(Stat::BindErrors, 1);
                }
                return Err(e);
            }
        };
        let mut state = match self.open_state() {
            Ok(s) => s,
            Err(e) => {
                endpoint.shutdown();
                return Err(e);
            }
        };
        let id = state.next_endpoint;
        state.next_endpoint += 1;
        state.endpoints.push((id, endpoint));
        Ok(id)
    }

    /// Removes an endpoint and its pipes (`nn_shutdown`): EINVAL for an
    /// unknown id.
    pub fn remove_endpoint(&self, endpoint: i32) -> Result<()> {
        let mut state = self.open_state()?;
        let at = state.endpoints.iter().position(|(e, _)| *e == endpoint).ok_or(Error::Invalid)?;
        let (_, endpoint) = state.endpoints.remove(at);
        drop(state);
        endpoint.shutdown();
        Ok(())
    }

    /// The value of statistic number `number` (`nn_get_statistic`).
    pub fn statistic(&self, number: i32) -> Result<u64> {
        self.check_open()?;
        let stat = Stat::from_number(number).ok_or(Error::Invalid)?;
        Ok(self.lock().traffic.get(stat).unwrap_or_else(|| self.stats.get(stat)))
    }
}

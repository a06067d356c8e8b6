//! A connecting stream endpoint (tcp or ipc): keeps one connection to its
//! address, reconnecting after NN_RECONNECT_IVL (doubling up to
//! NN_RECONNECT_IVL_MAX) when a connect fails, and at once when an
//! established connection ends. Host names are resolved on a helper
//! thread, never on the caller's or the reactor's.

use std::net::{SocketAddr, ToSocketAddrs};
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use rustix::io::Errno;

use super::endpoint::{ConnContext, Endpoint};
use super::pipe::{PipeId, PipeOps};
use super::stream::{ConnObserver, Side, StreamConn};
use crate::core::stats::Stat;
use crate::reactor::{Handler, Key, Ready, Reactor};

/// Timer token of a reconnect.
const RECONNECT: u64 = 1;

/// Where a dialer connects.
#[derive(Debug, Clone)]
pub enum Target {
    /// A Unix domain socket path (ipc).
    Unix(std::path::PathBuf),
    /// A tcp host (literal or name) and port, from an optional local address.
    Tcp {
        /// Host name or literal address.
        host: String,
        /// Port.
        port: u16,
        /// Local address to connect from.
        local: Option<std::net::IpAddr>,
    },
}

struct State {
    conn: Option<Arc<StreamConn>>,
    /// Wait before the next attempt after a failure.
    backoff: Duration,
}

/// One connecting endpoint.
pub struct Dialer {
    target: Target,
    ctx: ConnContext,
    reactor: Arc<Reactor>,
    key: OnceLock<Key>,
    state: Mutex<State>,
    stopped: AtomicBool,
    me: Weak<Dialer>,
}

impl Dialer {
    /// Starts dialing at once.
    pub fn start(target: Target, ctx: ConnContext, reactor: Arc<Reactor>) -> std::io::Result<Arc<Dialer>> {
        let first = Duration::from_millis(ctx.options.reconnect_ivl);
        let dialer = Arc::new_cyclic(|me| Dialer {
            target,
            ctx,
            reactor,
            key: OnceLock::new(),
            state: Mutex::new(State { conn: None, backoff: first }),
            stopped: AtomicBool::new(false),
            me: me.clone(),
        });
        let handler: Weak<dyn Handler> = dialer.me.clone();
        let _ = dialer.key.set(dialer.reactor.register_timer_only(handler));
        // Every attempt starts on the reactor thread, so that its events
        // are handled only after the dialer has recorded it.
        let me = dialer.me.clone();
        dialer.reactor.run_soon(Box::new(move || {
            if let Some(dialer) = me.upgrade() {
                dialer.dial();
            }
        }));
        Ok(dialer)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts one attempt.
    fn dial(&self) {
        if self.stopped.load(Ordering::Acquire) {
            return;
        }
        match &self.target {
            Target::Unix(path) => {
                let result = super::ipc::connect_fd(path);
                self.connected(result);
            }
            Target::Tcp { host, port, local } => {
                if let Ok(ip) = host.parse::<std::net::IpAddr>() {
                    let result = super::tcp::connect_fd(SocketAddr::new(ip, *port), *local);
                    self.connected(result);
                    return;
                }
                let (me, name, port, local) = (self.me.clone(), host.clone(), *port, *local);
                let ipv4_only = self.ctx.options.ipv4_only;
                let reactor = self.reactor.clone();
                let spawned = std::thread::Builder::new().name("nnrs-resolve".into()).spawn(move || {
                    let found = (name.as_str(), port)
                        .to_socket_addrs()
                        .ok()
                        .and_then(|mut addrs| addrs.find(|a| a.is_ipv4() || !ipv4_only));
                    reactor.run_soon(Box::new(move || {
                        if let Some(dialer) = me.upgrade() {
                            match found {
                                Some(addr) => dialer.connected(super::tcp::connect_fd(addr, local)),
                                None => dialer.connected(Err(Errno::HOSTUNREACH)),
                            }
                        }
                    }));
                });
                if spawned.is_err() {
                    self.retry_later();
                }
            }
        }
    }

    /// Takes the fd of an attempt (connected, or still connecting).
    fn connected(&self, result: Result<(OwnedFd, bool), Errno>) {
        if self.stopped.load(Ordering::Acquire) {
            return;
        }
        let (fd, done) = match result {
            Ok(r) => r,
            Err(_) => {
                if let Some(owner) = self.ctx.owner.upgrade() {
                    owner.count(Stat::ConnectErrors, 1);
                }
                self.retry_later();
                return;
            }
        };
        let side = if done { Side::Connected } else { Side::Connecting };
        let observer: Weak<dyn ConnObserver> = self.me.clone();
        match StreamConn::start(fd, side, self.ctx.clone(), observer, self.reactor.clone()) {
            // One that failed while starting has been reported closed (and a
            // retry scheduled) already.
            Ok(conn) if conn.is_closed() => {}
            Ok(conn) => {
                let mut state = self.lock();
                state.conn = Some(conn);
                drop(state);
                // A shutdown that raced the start must not leave it open.
                if self.stopped.load(Ordering::Acquire) {
                    self.close_conn();
                }
            }
            Err(_) => self.retry_later(),
        }
    }

    /// Schedules the next attempt after the current backoff, and grows it.
    fn retry_later(&self) {
        let mut state = self.lock();
        let wait = state.backoff;
        let max = Duration::from_millis(self.ctx.options.reconnect_ivl_max);
        if max > state.backoff {
            state.backoff = (state.backoff * 2).min(max);
        }
        drop(state);
        if let Some(key) = self.key.get() {
            self.reactor.add_timer(Instant::now() + wait, *key, RECONNECT);
        }
    }

    fn close_conn(&self) {
        let conn = self.lock().conn.take();
        if let Some(conn) = conn {
            conn.close();
        }
    }
}

impl Handler for Dialer {
    fn on_ready(&self, _ready: Ready) {}

    fn on_timer(&self, token: u64) {
        if token == RECONNECT && self.lock().conn.is_none() {
            self.dial();
        }
    }
}

impl ConnObserver for Dialer {
    fn conn_closed(&self, id: PipeId, established: bool) {
        let mut state = self.lock();
        if state.conn.as_ref().is_some_and(|c| c.id() == id) {
            state.conn = None;
        }
        if established {
            state.backoff = Duration::from_millis(self.ctx.options.reconnect_ivl);
        }
        drop(state);
        if self.stopped.load(Ordering::Acquire) {
            return;
        }
        if established {
            // The peer went away: try again at once, then back off.
            let me = self.me.clone();
            self.reactor.run_soon(Box::new(move || {
                if let Some(dialer) = me.upgrade() {
                    dialer.dial();
                }
            }));
        } else {
            if let Some(owner) = self.ctx.owner.upgrade() {
                owner.count(Stat::ConnectErrors, 1);
            }
            self.retry_later();
        }
    }
}

impl Endpoint for Dialer {
    fn shutdown(&self) {
        if self.stopped.swap(true, Ordering::AcqRel) {
            return;
        }
        self.close_conn();
        if let Some(key) = self.key.get() {
            self.reactor.forget(*key);
        }
    }
}

//! A listening socket: accepts connections and hands each fd to its
//! `Acceptor`. When accept fails for lack of descriptors or memory it
//! stops watching for a while instead of spinning.
//!
//! For tcp and ipc the acceptor is `StreamAcceptor`, which starts a
//! `StreamConn` for each; ws puts its HTTP upgrade in between.

use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use rustix::io::Errno;
use rustix::net::SocketFlags;

use super::endpoint::{ConnContext, Endpoint};
use super::pipe::{PipeId, PipeOps};
use super::stream::{ConnObserver, Side, StreamConn};
use crate::core::stats::Stat;
use crate::reactor::{Handler, Interest, Key, Ready, Reactor};

/// How long accepting pauses after running out of descriptors.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// Timer token of the end of that pause.
const RESUME_ACCEPT: u64 = 1;

/// What a listener does with what it accepts.
pub trait Acceptor: Send + Sync {
    /// A new connection.
    fn accepted(&self, fd: OwnedFd);
    /// Accepting failed for lack of descriptors or memory.
    fn accept_failed(&self);
    /// The listener shut down: close what was accepted.
    fn stop(&self);
}

/// A listening socket.
pub struct Listener {
    fd: OwnedFd,
    acceptor: Arc<dyn Acceptor>,
    reactor: Arc<Reactor>,
    key: OnceLock<Key>,
    stopped: AtomicBool,
    /// The ipc socket file, removed at shutdown.
    path: Option<PathBuf>,
    me: Weak<Listener>,
}

impl Listener {
    /// Starts accepting on a bound, listening, non-blocking fd.
    pub fn start(
        fd: OwnedFd,
        acceptor: Arc<dyn Acceptor>,
        path: Option<PathBuf>,
        reactor: Arc<Reactor>,
    ) -> std::io::Result<Arc<Listener>> {
        let listener = Arc::new_cyclic(|me| Listener {
            fd,
            acceptor,
            reactor,
            key: OnceLock::new(),
            stopped: AtomicBool::new(false),
            path,
            me: me.clone(),
        });
        let handler: Weak<dyn Handler> = listener.me.clone();
        let key = listener.reactor.register(&listener.fd, Interest::READ, handler)?;
        let _ = listener.key.set(key);
        Ok(listener)
    }

    fn accept_all(&self) {
        loop {
            if self.stopped.load(Ordering::Acquire) {
                return;
            }
            match rustix::net::accept_with(&self.fd, SocketFlags::NONBLOCK | SocketFlags::CLOEXEC) {
                Ok(fd) => self.acceptor.accepted(fd),
                Err(Errno::AGAIN) => return,
                Err(Errno::INTR) | Err(Errno::CONNABORTED) => continue,
                Err(_) => {
                    // Out of descriptors or memory: wait instead of spinning.
                    self.acceptor.accept_failed();
                    if let Some(key) = self.key.get() {
                        let _ = self.reactor.reregister(&self.fd, *key, Interest::NONE);
                        self.reactor.add_timer(Instant::now() + ACCEPT_BACKOFF, *key, RESUME_ACCEPT);
                    }
                    return;
                }
            }
        }
    }
}

impl Handler for Listener {
    fn on_ready(&self, ready: Ready) {
        if ready.readable || ready.failed {
            self.accept_all();
        }
    }

    fn on_timer(&self, token: u64) {
        if token == RESUME_ACCEPT && !self.stopped.load(Ordering::Acquire) {
            if let Some(key) = self.key.get() {
                let _ = self.reactor.reregister(&self.fd, *key, Interest::READ);
            }
            self.accept_all();
        }
    }
}

impl Endpoint for Listener {
    fn shutdown(&self) {
        if self.stopped.swap(true, Ordering::AcqRel) {
            return;
        }
        if let Some(key) = self.key.get() {
            self.reactor.deregister(&self.fd, *key);
        }
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
        self.acceptor.stop();
    }
}

/// The connections of one endpoint, closed with it.
#[derive(Default)]
pub struct Conns(Mutex<HashMap<PipeId, Arc<StreamConn>>>);

impl Conns {
    /// Starts a connection on `fd` and keeps it.
    pub fn start(&self, fd: OwnedFd, side: Side, ctx: &ConnContext, observer: Weak<dyn ConnObserver>, reactor: &Arc<Reactor>) {
        if let Ok(conn) = StreamConn::start(fd, side, ctx.clone(), observer, reactor.clone()) {
            let mut conns = self.0.lock().unwrap_or_else(|e| e.into_inner());
            // One that failed while starting (a peer that reset at once) was
            // reported closed before it could be kept: do not keep it.
            if !conn.is_closed() {
                conns.insert(conn.id(), conn);
            }
        }
    }

    /// Forgets a connection that ended.
    pub fn remove(&self, id: PipeId) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    }

    /// Closes every connection.
    pub fn close_all(&self) {
        let conns: Vec<_> = self.0.lock().unwrap_or_else(|e| e.into_inner()).drain().map(|(_, c)| c).collect();
        for conn in conns {
            conn.close();
        }
    }
}

/// tcp and ipc: each accepted fd becomes a connection of the endpoint.
pub struct StreamAcceptor {
    ctx: ConnContext,
    conns: Conns,
    reactor: Arc<Reactor>,
    me: Weak<StreamAcceptor>,
}

impl StreamAcceptor {
    /// An acceptor whose connections use `ctx`.
    pub fn new(ctx: ConnContext, reactor: Arc<Reactor>) -> Arc<StreamAcceptor> {
        Arc::new_cyclic(|me| StreamAcceptor { ctx, conns: Conns::default(), reactor, me: me.clone() })
    }
}

impl Acceptor for StreamAcceptor {
    fn accepted(&self, fd: OwnedFd) {
        let observer: Weak<dyn ConnObserver> = self.me.clone();
        self.conns.start(fd, Side::Accepted, &self.ctx, observer, &self.reactor);
    }

    fn accept_failed(&self) {
        if let Some(owner) = self.ctx.owner.upgrade() {
            owner.count(Stat::AcceptErrors, 1);
        }
    }

    fn stop(&self) {
        self.conns.close_all();
    }
}

impl ConnObserver for StreamAcceptor {
    fn conn_closed(&self, id: PipeId, _established: bool) {
        self.conns.remove(id);
    }
}

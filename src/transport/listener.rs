//! A bound stream endpoint (tcp or ipc): accepts connections and starts a
//! `StreamConn` for each. When accept fails for lack of descriptors or
//! memory it stops watching for a while instead of spinning.

use std::collections::HashMap;
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use rustix::io::Errno;
use rustix::net::SocketFlags;

use super::endpoint::{ConnContext, Endpoint};
use super::pipe::PipeId;
use super::stream::{ConnObserver, Side, StreamConn};
use crate::core::stats::Stat;
use crate::reactor::{Handler, Interest, Key, Ready, Reactor};

/// How long accepting pauses after running out of descriptors.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// Timer token of the end of that pause.
const RESUME_ACCEPT: u64 = 1;

/// A listening socket and the connections it accepted.
pub struct Listener {
    fd: OwnedFd,
    ctx: ConnContext,
    reactor: Arc<Reactor>,
    key: OnceLock<Key>,
    conns: Mutex<HashMap<PipeId, Arc<StreamConn>>>,
    stopped: AtomicBool,
    /// The ipc socket file, removed at shutdown.
    path: Option<PathBuf>,
    me: Weak<Listener>,
}

impl Listener {
    /// Starts accepting on a bound, listening, non-blocking fd.
    pub fn start(fd: OwnedFd, ctx: ConnContext, path: Option<PathBuf>, reactor: Arc<Reactor>) -> std::io::Result<Arc<Listener>> {
        let listener = Arc::new_cyclic(|me| Listener {
            fd,
            ctx,
            reactor,
            key: OnceLock::new(),
            conns: Mutex::default(),
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
                Ok(fd) => {
                    let observer: Weak<dyn ConnObserver> = self.me.clone();
                    if let Ok(conn) = StreamConn::start(fd, Side::Accepted, self.ctx.clone(), observer, self.reactor.clone()) {
                        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
                        conns.insert(conn.id(), conn);
                    }
                }
                Err(Errno::AGAIN) => return,
                Err(Errno::INTR) | Err(Errno::CONNABORTED) => continue,
                Err(_) => {
                    // Out of descriptors or memory: wait instead of spinning.
                    if let Some(owner) = self.ctx.owner.upgrade() {
                        owner.count(Stat::AcceptErrors, 1);
                    }
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

impl ConnObserver for Listener {
    fn conn_closed(&self, id: PipeId, _established: bool) {
        self.conns.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
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
        let conns: Vec<_> = self.conns.lock().unwrap_or_else(|e| e.into_inner()).drain().map(|(_, c)| c).collect();
        for conn in conns {
            super::pipe::PipeOps::close(&*conn);
        }
    }
}

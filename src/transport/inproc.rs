//! inproc:// — sockets of one process, joined by name. A pipe is two
//! halves; sending on one hands the message (not a copy of its bytes) to
//! the other half's socket. A connect made before the bind waits for it,
//! and survives the binder going away and a new one binding the name.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

use super::endpoint::{EndpointOptions, Endpoint};
use super::pipe::{next_pipe_id, Pipe, PipeId, PipeOps, PipeOwner, SendError};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::stats::Stat;

/// One side of an inproc endpoint: its socket and options.
struct Side {
    owner: Weak<dyn PipeOwner>,
    options: EndpointOptions,
}

/// One half of a pipe, owned by one socket, sending to the other half's.
struct Half {
    id: PipeId,
    owner: Weak<dyn PipeOwner>,
    peer: OnceLock<Weak<Half>>,
    closed: Arc<AtomicBool>,
    /// Raised by every send (lowered by `resume`): a send may have been
    /// refused as Full since the last `writable`.
    refused: AtomicBool,
    epoch: AtomicU64,
    /// Reused for each delivery, so a send allocates nothing.
    scratch: Mutex<VecDeque<Msg>>,
}

impl Half {
    fn peer(&self) -> Option<Arc<Half>> {
        self.peer.get().and_then(Weak::upgrade)
    }
}

impl PipeOps for Half {
    fn send(&self, msg: Msg) -> std::result::Result<(), SendError> {
        let (Some(peer), false) = (self.peer(), self.closed.load(Ordering::Acquire)) else {
            return Err(SendError::Closed(msg));
        };
        let Some(owner) = peer.owner.upgrade() else { return Err(SendError::Closed(msg)) };
        let mut scratch = self.scratch.lock().unwrap_or_else(|e| e.into_inner());
        // Read the epoch first: a `writable` after this makes the refusal
        // stale. The flag is raised before delivering, as the peer may
        // resume us before `deliver` returns, and a success does not lower
        // it: another thread's refusal may still be on its way to our
        // socket, and only the `writable` the flag brings undoes it.
        let epoch = self.epoch.load(Ordering::Acquire);
        self.refused.store(true, Ordering::Release);
        scratch.push_back(msg);
        if owner.deliver(peer.id, &mut scratch) {
            return Ok(());
        }
        let msg = scratch.pop_front().expect("the refused message");
        Err(SendError::Full(msg, epoch))
    }

    fn resume(&self) {
        // Our socket has room for what the peer half sends: tell its socket.
        if let Some(peer) = self.peer() {
            if peer.refused.swap(false, Ordering::AcqRel) {
                let epoch = peer.epoch.fetch_add(1, Ordering::AcqRel) + 1;
                if let Some(owner) = peer.owner.upgrade() {
                    owner.writable(peer.id, epoch);
                }
            }
        }
    }

    fn unsent(&self) -> usize {
        0
    }

    fn close(&self) {
        if self.closed.swap(true, Ordering::AcqRel) {
            return;
        }
        let halves: Vec<(PipeId, Weak<dyn PipeOwner>)> = std::iter::once((self.id, self.owner.clone()))
            .chain(self.peer().map(|p| (p.id, p.owner.clone())))
            .collect();
        for (id, owner) in halves {
            if let Some(owner) = owner.upgrade() {
                owner.count(Stat::CurrentConnections, -1);
                owner.detach(id);
            }
        }
    }
}

/// Joins a connecting side and a bound side with a new pipe. Returns the
/// two halves, or None if a socket refused (its protocol, or closing).
fn join(connector: &Side, binder: &Side) -> Option<(Arc<Half>, Arc<Half>)> {
    if connector.options.peer_protocol != binder.options.protocol {
        return None;
    }
    let closed = Arc::new(AtomicBool::new(false));
    let make = |side: &Side| {
        Arc::new(Half {
            id: next_pipe_id(),
            owner: side.owner.clone(),
            peer: OnceLock::new(),
            closed: closed.clone(),
            refused: AtomicBool::new(false),
            epoch: AtomicU64::new(0),
            scratch: Mutex::default(),
        })
    };
    let (a, b) = (make(connector), make(binder));
    let _ = a.peer.set(Arc::downgrade(&b));
    let _ = b.peer.set(Arc::downgrade(&a));
    for (half, side, stat) in [(&a, connector, Stat::EstablishedConnections), (&b, binder, Stat::AcceptedConnections)] {
        let Some(owner) = side.owner.upgrade() else {
            a.close();
            return None;
        };
        let pipe = Pipe {
            id: half.id,
            ops: half.clone(),
            send_priority: side.options.send_priority,
            recv_priority: side.options.recv_priority,
        };
        owner.count(stat, 1);
        owner.count(Stat::CurrentConnections, 1);
        if !owner.attach(pipe) {
            a.close();
            return None;
        }
    }
    Some((a, b))
}

/// A bound name.
struct Binder {
    name: String,
    side: Side,
    pipes: Mutex<Vec<Arc<Half>>>,
}

/// A connect to a name.
struct Connector {
    name: String,
    side: Side,
    pipe: Mutex<Option<Arc<Half>>>,
}

#[derive(Default)]
struct Registry {
    bound: HashMap<String, Arc<Binder>>,
    waiting: HashMap<String, Vec<Weak<Connector>>>,
}

fn registry() -> MutexGuard<'static, Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// Holds the names still (no thread inside) until the hold drops: taken
/// around fork() so that a child never inherits them locked.
pub fn hold() -> impl Sized + 'static {
    registry()
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Connects a connector to a binder unless it has a live pipe already.
fn link(connector: &Connector, binder: &Binder) {
    let mut slot = lock(&connector.pipe);
    if slot.as_ref().is_some_and(|p| !p.closed.load(Ordering::Acquire)) {
        return;
    }
    if let Some((a, b)) = join(&connector.side, &binder.side) {
        *slot = Some(a);
        lock(&binder.pipes).push(b);
    }
}

/// `nn_bind` of an inproc name: EADDRINUSE if it is bound already.
pub fn bind(name: &str, owner: Weak<dyn PipeOwner>, options: EndpointOptions) -> Result<Arc<dyn Endpoint>> {
    let binder = Arc::new(Binder { name: name.to_string(), side: Side { owner, options }, pipes: Mutex::default() });
    let waiting: Vec<Arc<Connector>> = {
        let mut reg = registry();
        if reg.bound.contains_key(name) {
            return Err(Error::AddressInUse);
        }
        reg.bound.insert(name.to_string(), binder.clone());
        reg.waiting.get(name).map(|w| w.iter().filter_map(Weak::upgrade).collect()).unwrap_or_default()
    };
    for connector in waiting {
        link(&connector, &binder);
    }
    Ok(binder)
}

/// `nn_connect` to an inproc name, bound now or later.
pub fn connect(name: &str, owner: Weak<dyn PipeOwner>, options: EndpointOptions) -> Result<Arc<dyn Endpoint>> {
    let connector = Arc::new(Connector { name: name.to_string(), side: Side { owner, options }, pipe: Mutex::default() });
    let binder = {
        let mut reg = registry();
        let list = reg.waiting.entry(name.to_string()).or_default();
        list.retain(|w| w.strong_count() > 0);
        list.push(Arc::downgrade(&connector));
        reg.bound.get(name).cloned()
    };
    if let Some(binder) = binder {
        link(&connector, &binder);
    }
    Ok(connector)
}

impl Endpoint for Binder {
    fn shutdown(&self) {
        {
            let mut reg = registry();
            if reg.bound.get(&self.name).is_some_and(|b| std::ptr::eq(&**b, self)) {
                reg.bound.remove(&self.name);
            }
        }
        let pipes = std::mem::take(&mut *lock(&self.pipes));
        for pipe in pipes {
            pipe.close();
        }
    }
}

impl Endpoint for Connector {
    fn shutdown(&self) {
        {
            let mut reg = registry();
            if let Some(list) = reg.waiting.get_mut(&self.name) {
                list.retain(|w| w.strong_count() > 0 && !std::ptr::eq(w.as_ptr(), self));
            }
        }
        let pipe = lock(&self.pipe).take();
        if let Some(pipe) = pipe {
            pipe.close();
        }
    }
}

//! inproc:// — sockets of one process, joined by name. A pipe is two
//! halves; sending on one hands the message (not a copy of its bytes) to
//! the other half's socket. A connect made before the bind waits for it,
//! and survives the binder going away and a new one binding the name.
//!
//! A message sent is buffered in the receiving half, and reaches its
//! socket in batches: when a receiver reads the pipe itself (`pull`, before
//! it would wait), when a batch is full, and at once while a receiver
//! sleeps or the socket's readiness must show it (`set_io_reads(true)`). A
//! sender in a loop then rarely touches the receiving socket's lock, which
//! its receiver takes for every message.
//!
//! Locks: `delivering` (held for a whole delivery, so that batches reach
//! the socket in order) before the socket's lock and before `inbound`; a
//! socket holding its lock takes only `inbound` (a sender's `offer`) and
//! only ever tries `delivering`. `inbound` is taken last, always.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

use super::endpoint::{EndpointOptions, Endpoint};
use super::pipe::{next_pipe_id, Offer, Pipe, PipeId, PipeOps, PipeOwner, SendError};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::core::stats::Stat;

/// A batch is delivered once it holds this many messages…
const BATCH_MSGS: usize = 64;
/// …or this many bytes (which is all a receiving socket may hold beyond
/// NN_RCVBUF, with the one message that crosses it).
const BATCH_BYTES: usize = 16 * 1024;

/// One side of an inproc endpoint: its socket and options.
struct Side {
    owner: Weak<dyn PipeOwner>,
    options: EndpointOptions,
}

/// Messages sent to an end and not yet delivered to its socket.
#[derive(Default)]
struct Buffered {
    msgs: VecDeque<Msg>,
    bytes: usize,
}

impl Buffered {
    fn full(&self) -> bool {
        self.msgs.len() >= BATCH_MSGS || self.bytes >= BATCH_BYTES
    }
}

/// One end of a pipe: its socket, what it sends, and what is sent to it.
/// Aligned to its own cache lines: its sender and its receiver write it
/// for every message, and should not also slow down the other end's.
#[repr(align(128))]
struct End {
    id: PipeId,
    owner: Weak<dyn PipeOwner>,
    /// Raised by every send from this end (lowered when the peer
    /// resumes it): a send may have been refused as Full since the last
    /// `writable`.
    refused: AtomicBool,
    epoch: AtomicU64,
    /// What the peer sent to this end's socket, not delivered yet.
    inbound: Mutex<Buffered>,
    /// The length of `inbound`, for a look without its lock.
    pending: AtomicUsize,
    /// Held for a whole delivery; holds the batch being delivered (its
    /// buffer is reused, so a delivery allocates nothing).
    delivering: Mutex<VecDeque<Msg>>,
    /// Deliver each message at once: the socket's readiness must show it
    /// (see `PipeOps::set_io_reads`).
    io_reads: AtomicBool,
    /// Receivers sleeping until this end delivers.
    waiting: AtomicUsize,
}

impl End {
    fn new(side: &Side) -> End {
        End {
            id: next_pipe_id(),
            owner: side.owner.clone(),
            refused: AtomicBool::new(false),
            epoch: AtomicU64::new(0),
            inbound: Mutex::default(),
            pending: AtomicUsize::new(0),
            delivering: Mutex::default(),
            io_reads: AtomicBool::new(true),
            waiting: AtomicUsize::new(0),
        }
    }

    /// Whether what is sent to this end must be delivered at once.
    fn eager(&self) -> bool {
        self.io_reads.load(Ordering::SeqCst) || self.waiting.load(Ordering::SeqCst) > 0
    }

    /// Buffers a message sent to this end, unless a full batch waits
    /// (refused by the socket): then the message comes back. Ok: whether
    /// the batch is full now.
    fn buffer(&self, msg: Msg) -> std::result::Result<bool, Msg> {
        let mut inbound = lock(&self.inbound);
        if inbound.full() {
            return Err(msg);
        }
        inbound.bytes += msg.body.len();
        inbound.msgs.push_back(msg);
        self.pending.store(inbound.msgs.len(), Ordering::SeqCst);
        Ok(inbound.full())
    }

    /// Delivers what is buffered to the socket; false if it left some (its
    /// queue is full: it resumes the pipe when it has room). Goes on while
    /// more comes that must go at once.
    fn deliver_buffered(&self) -> bool {
        let mut batch = lock(&self.delivering);
        loop {
            self.take_into(&mut batch);
            if batch.is_empty() {
                return true;
            }
            let Some(owner) = self.owner.upgrade() else {
                batch.clear();
                return true;
            };
            if !owner.deliver(self.id, &mut batch) {
                // What is left goes back in front of what came meanwhile.
                let mut inbound = lock(&self.inbound);
                batch.append(&mut inbound.msgs);
                std::mem::swap(&mut *batch, &mut inbound.msgs);
                inbound.bytes = inbound.msgs.iter().map(|m| m.body.len()).sum();
                self.pending.store(inbound.msgs.len(), Ordering::SeqCst);
                return false;
            }
            if self.pending.load(Ordering::SeqCst) == 0 || !self.eager() {
                return true;
            }
        }
    }

    /// Moves what is buffered into `batch` (empty).
    fn take_into(&self, batch: &mut VecDeque<Msg>) {
        let mut inbound = lock(&self.inbound);
        std::mem::swap(batch, &mut inbound.msgs);
        inbound.bytes = 0;
        self.pending.store(0, Ordering::SeqCst);
    }
}

/// A pipe: its two ends.
struct Link {
    ends: [End; 2],
    closed: Closed,
}

/// Whether a pipe is closed, read by every send: on a cache line of its
/// own, away from the fields the ends write.
#[repr(align(128))]
#[derive(Default)]
struct Closed(AtomicBool);

/// A pipe as one of its sockets holds it: one end of the link.
struct Half {
    link: Arc<Link>,
    side: usize,
}

impl Half {
    fn me(&self) -> &End {
        &self.link.ends[self.side]
    }

    fn peer(&self) -> &End {
        &self.link.ends[1 - self.side]
    }
}

impl PipeOps for Half {
    fn send(&self, msg: Msg) -> std::result::Result<(), SendError> {
        if self.link.closed.0.load(Ordering::Acquire) {
            return Err(SendError::Closed(msg));
        }
        let (me, peer) = (self.me(), self.peer());
        // Read the epoch first: a `writable` after this makes the refusal
        // stale. The flag is raised before delivering, as the peer may
        // resume us before `deliver` returns, and a success does not lower
        // it: another thread's refusal may still be on its way to our
        // socket, and only the `writable` the flag brings undoes it.
        let epoch = me.epoch.load(Ordering::Acquire);
        me.refused.store(true, Ordering::Release);
        let full = match peer.buffer(msg) {
            Ok(full) => full,
            // A full batch waits, refused by the peer's socket: it goes
            // first, or this message is refused.
            Err(msg) if !peer.deliver_buffered() => return Err(SendError::Full(msg, epoch)),
            Err(msg) => match peer.buffer(msg) {
                Ok(full) => full,
                Err(msg) => return Err(SendError::Full(msg, epoch)),
            },
        };
        // Delivered now or not, the message is taken: what the peer's
        // socket has no room for goes when it resumes the pipe.
        if full || peer.eager() {
            peer.deliver_buffered();
        }
        Ok(())
    }

    fn offer(&self, msg: Msg) -> Offer {
        if self.link.closed.0.load(Ordering::Acquire) {
            return Offer::Declined(msg);
        }
        // Nothing is refused here, so the `refused` flag stays as it is.
        let peer = self.peer();
        match peer.buffer(msg) {
            Ok(full) => Offer::Taken { flush: full || peer.eager() },
            Err(msg) => Offer::Declined(msg),
        }
    }

    fn flush(&self) {
        self.peer().deliver_buffered();
    }

    fn resume(&self) {
        // Our socket has room: deliver what waits, then tell the peer's
        // socket that it may send again.
        self.me().deliver_buffered();
        let peer = self.peer();
        if peer.refused.swap(false, Ordering::AcqRel) {
            let epoch = peer.epoch.fetch_add(1, Ordering::AcqRel) + 1;
            if let Some(owner) = peer.owner.upgrade() {
                owner.writable(peer.id, epoch);
            }
        }
    }

    fn pulls(&self) -> bool {
        true
    }

    fn pull(&self) {
        if self.me().pending.load(Ordering::SeqCst) > 0 {
            self.me().deliver_buffered();
        }
    }

    fn set_watched(&self, watched: bool) {
        if watched {
            self.me().waiting.fetch_add(1, Ordering::SeqCst);
        } else {
            self.me().waiting.fetch_sub(1, Ordering::SeqCst);
        }
    }

    fn set_io_reads(&self, reads: bool) {
        self.me().io_reads.store(reads, Ordering::SeqCst);
    }

    fn take_buffered(&self) -> VecDeque<Msg> {
        // A delivery under way goes on with what came meanwhile itself.
        let mut taken = VecDeque::new();
        if let Ok(_delivering) = self.me().delivering.try_lock() {
            self.me().take_into(&mut taken);
        }
        taken
    }

    fn unsent(&self) -> usize {
        0
    }

    fn close(&self) {
        if self.link.closed.0.swap(true, Ordering::AcqRel) {
            return;
        }
        for end in &self.link.ends {
            if let Some(owner) = end.owner.upgrade() {
                owner.count(Stat::CurrentConnections, -1);
                owner.detach(end.id);
            }
            // What the peer sent and the socket has not taken yet still
            // reaches it: a pipe no longer attached is never refused.
            end.deliver_buffered();
        }
    }
}

/// Joins a connecting side and a bound side with a new pipe. Returns the
/// two halves, or None if a socket refused (its protocol, or closing).
fn join(connector: &Side, binder: &Side) -> Option<(Arc<Half>, Arc<Half>)> {
    if connector.options.peer_protocol != binder.options.protocol {
        return None;
    }
    let link = Arc::new(Link { ends: [End::new(connector), End::new(binder)], closed: Closed::default() });
    let a = Arc::new(Half { link: link.clone(), side: 0 });
    let b = Arc::new(Half { link, side: 1 });
    for (half, side, stat) in [(&a, connector, Stat::EstablishedConnections), (&b, binder, Stat::AcceptedConnections)] {
        let Some(owner) = side.owner.upgrade() else {
            a.close();
            return None;
        };
        let pipe = Pipe {
            id: half.me().id,
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
    if slot.as_ref().is_some_and(|p| !p.link.closed.0.load(Ordering::Acquire)) {
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

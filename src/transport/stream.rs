//! One tcp or ipc connection: connect completion, the SP handshake, framing
//! both ways, and flow control. tcp and ipc share all of it; they differ
//! only in framing and in how the fd was made.
//!
//! Sends run on the caller's thread: a lone frame is written at once with
//! one gathering write; frames that follow the last write within
//! CORK_WINDOW are queued (small ones copied into chunks, see `output.rs`)
//! and written together. A sender in a loop writes each WRITE_AT bytes
//! itself, so it pays a fraction of a syscall per message and wakes no
//! other thread; the reactor writes the tail once the sender pauses. What
//! the kernel does not take waits in the queue for the next writable edge.
//!
//! Reads run on the reactor, or on a receiver's thread about to sleep
//! (`pull`): one large read, every complete frame in it decoded, all of
//! them handed to the socket at once; large bodies are read straight into
//! their own buffer. The fd is registered once, edge-triggered: writes go
//! on until EAGAIN; reads stop at one the kernel could not fill (the next
//! bytes bring an edge of their own), or go on to the end once the peer
//! hung up.
//!
//! Locks: `reader` is held for a whole read-and-deliver cycle (so messages
//! reach the socket in order) and only ever tried, never waited for;
//! `input` may be held while taking `output` (a WebSocket connection
//! answers a ping as it decodes it), never the reverse; neither is held
//! while calling the owner.

use std::collections::VecDeque;
use std::io::IoSlice;
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use rustix::io::Errno;

use super::endpoint::{ConnContext, WsRole};
use super::pipe::{Offer, Pipe, PipeId, PipeOps, SendError};
use crate::core::msg::{Body, Msg};
use crate::core::stats::Stat;
use crate::reactor::{Handler, Interest, Key, Ready, Reactor};
use crate::wire::frame::{FrameError, Framing};
use crate::wire::ws_decoder::Decoder;
use crate::wire::ws_frame;

mod output;
mod ws;
use crate::wire::sp::{self, HANDSHAKE_LEN};
use output::{OutFrame, Output, COPY_MAX};

/// Bytes reserved in front of each received body (the FFI chunk header).
const HEADROOM: usize = 32;
/// Size of the read buffer.
const READ_BUF: usize = 64 * 1024;
/// A connection's own buffer of undecoded bytes is freed when it grew
/// past this (it is refilled from the next read).
const KEEP_MAX: usize = 16 * 1024;

/// Bodies at least this large are read straight into their own buffer.
const DIRECT_READ: usize = 16 * 1024;
/// Read size after a large frame (prefixes and small frames still fit;
/// the read buffer always has room for it, as frames in it are small).
const SMALL_READ: usize = 4096;
/// Kernel send buffer of ipc connections (measured: 64 KiB messages went
/// 30% faster than with the default, and no faster with 1 MiB or more).
const IPC_KERNEL_BUFFER: usize = 512 * 1024;
/// Frames written by one `writev` at most.
const MAX_BATCH: usize = 256;
/// A send this soon after the previous write is corked: queued for one
/// batched write by the reactor instead of a write of its own. A sender
/// in a loop then pays a fraction of a syscall per message; one that
/// sends now and then still writes at once.
const CORK_WINDOW: Duration = Duration::from_micros(10);
/// A sender writes the queue itself once it holds this many bytes.
const WRITE_AT: usize = 16 * 1024;
/// How long corked frames wait for the reactor while their sender is still
/// queueing (it writes full batches itself meanwhile).
const CORK_DELAY: Duration = Duration::from_micros(20);
/// Frames at least this large are never corked: a write of their own costs
/// little beside copying them, and handing them to the reactor costs a
/// thread wake-up and a fight for the queue's lock.
const CORK_MAX: usize = 16 * 1024;
/// Idle time before the first keepalive probe of a tcp connection.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(10);
/// Time between keepalive probes.
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(2);
/// Unanswered probes after which the connection is dead.
const KEEPALIVE_COUNT: u32 = 3;
/// Milliseconds sent data may stay unacknowledged before the connection
/// is dead.
const USER_TIMEOUT_MS: u32 = 20_000;
/// How long a peer has to complete the handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(1);
/// Timer token of the handshake deadline.
const HANDSHAKE_TIMER: u64 = 1;
/// Timer token of a deferred flush of corked frames.
const FLUSH_TIMER: u64 = 2;

thread_local! {
    /// The buffer reads on this thread land in (see `read_some`).
    static READ_SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// How a connection's fd came to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// Accepted by a listener.
    Accepted,
    /// Dialed; the connect is still in progress.
    Connecting,
    /// Dialed and already connected.
    Connected,
    /// Accepted, and its WebSocket upgrade already answered; these bytes
    /// came after the request.
    Upgraded(Vec<u8>),
}

/// Told when a connection ends, so that a dialer can reconnect.
pub trait ConnObserver: Send + Sync {
    /// Connection `id` ended; `established` if its handshake had completed.
    fn conn_closed(&self, id: PipeId, established: bool);
}

const CONNECTING: u8 = 0;
const HANDSHAKE: u8 = 1;
const OPEN: u8 = 2;
const CLOSED: u8 = 3;

struct Input {
    /// Read buffer (READ_BUF bytes once used); bytes `start..end` are
    /// received and not yet decoded.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// The last frame was large: read little before its successor's
    /// prefix, so a large body is not read here and then copied.
    large: bool,
    /// A large body being read straight into its buffer, and its full size.
    partial: Option<(Vec<u8>, usize)>,
    /// The WebSocket frame whose payload `partial` is.
    partial_frame: Option<ws_frame::Header>,
    /// The WebSocket decoder, once a ws connection is open.
    ws: Option<Decoder>,
    /// Decoded messages the socket has not taken yet.
    ready: VecDeque<Msg>,
    /// Reading stopped until the socket has room.
    paused: bool,
    /// Counts `resume` calls, to see one that raced a refused delivery.
    resumes: u64,
}

/// One stream connection. Created by a listener (accepted) or a dialer.
pub struct StreamConn {
    id: PipeId,
    fd: OwnedFd,
    ctx: ConnContext,
    observer: Weak<dyn ConnObserver>,
    reactor: Arc<Reactor>,
    key: OnceLock<Key>,
    phase: AtomicU8,
    /// The socket took this pipe (and counts it as a current connection).
    attached: AtomicBool,
    output: Mutex<Output>,
    /// Held for a whole read-and-deliver cycle, so that two threads never
    /// hand this pipe's messages to the socket out of order.
    reader: Mutex<()>,
    /// Reads that brought bytes: a send that follows one is not corked.
    reads: AtomicU64,
    /// Someone found `reader` taken and wants its holder to read again.
    read_wanted: AtomicBool,
    /// Someone found `output` taken and wants its holder to flush.
    flush_wanted: AtomicBool,
    /// A receiver polls the fd itself and reads when it wakes.
    watched: AtomicBool,
    /// The I/O thread saw the peer close its side: reads go on to the
    /// end, past a short one (no further edge would come for the end).
    hung_up: AtomicBool,
    /// What the I/O thread watches the fd for: input while it reads for
    /// the socket (see `set_io_reads`), room to write only while bytes
    /// wait for it (a unix socket reports room each time its peer reads).
    registered: Mutex<Interest>,
    input: Mutex<Input>,
    /// ws: the client's Sec-WebSocket-Key and the state of its masks.
    ws_client: Mutex<ws::ClientState>,
    me: Weak<StreamConn>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl StreamConn {
    /// Takes over a connected (or, with `connecting`, still connecting)
    /// non-blocking fd and starts the handshake.
    pub fn start(
        fd: OwnedFd,
        side: Side,
        ctx: ConnContext,
        observer: Weak<dyn ConnObserver>,
        reactor: Arc<Reactor>,
    ) -> std::io::Result<Arc<StreamConn>> {
        let connecting = side == Side::Connecting;
        if side == Side::Connected && connected_to_itself(&fd) {
            return Err(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        }
        if ctx.framing == Framing::Ipc {
            // The default holds three 64 KiB messages: a sender of large
            // messages would sleep on nearly every one.
            let _ = rustix::net::sockopt::set_socket_send_buffer_size(&fd, IPC_KERNEL_BUFFER);
        }
        if ctx.framing == Framing::Tcp {
            // Keepalive finds idle peers that vanished without a word
            // within KEEPALIVE_IDLE + KEEPALIVE_COUNT * KEEPALIVE_INTERVAL;
            // USER_TIMEOUT bounds how long sent data may stay unacknowledged
            // (a cut link during a transfer), where keepalive does not probe.
            let _ = rustix::net::sockopt::set_socket_keepalive(&fd, true);
            let _ = rustix::net::sockopt::set_tcp_keepidle(&fd, KEEPALIVE_IDLE);
            let _ = rustix::net::sockopt::set_tcp_keepintvl(&fd, KEEPALIVE_INTERVAL);
            let _ = rustix::net::sockopt::set_tcp_keepcnt(&fd, KEEPALIVE_COUNT);
            let _ = rustix::net::sockopt::set_tcp_user_timeout(&fd, USER_TIMEOUT_MS);
            let _ = rustix::net::sockopt::set_tcp_nodelay(&fd, ctx.options.tcp_nodelay);
        }
        if let Some(owner) = ctx.owner.upgrade() {
            let stat = match side {
                Side::Accepted => Stat::AcceptedConnections,
                Side::Connecting => Stat::InProgressConnections,
                Side::Connected => Stat::EstablishedConnections,
                Side::Upgraded(_) => Stat::AcceptedConnections,
            };
            owner.count(stat, 1);
        }
        let conn = Arc::new_cyclic(|me| StreamConn {
            id: super::pipe::next_pipe_id(),
            fd,
            ctx,
            observer,
            reactor,
            key: OnceLock::new(),
            phase: AtomicU8::new(if connecting { CONNECTING } else { HANDSHAKE }),
            attached: AtomicBool::new(false),
            output: Mutex::default(),
            reader: Mutex::new(()),
            reads: AtomicU64::new(0),
            read_wanted: AtomicBool::new(false),
            flush_wanted: AtomicBool::new(false),
            watched: AtomicBool::new(false),
            hung_up: AtomicBool::new(false),
            registered: Mutex::new(Interest::EDGES),
            input: Mutex::new(Input {
                buf: Vec::new(),
                start: 0,
                end: 0,
                large: false,
                partial: None,
                partial_frame: None,
                ws: None,
                ready: VecDeque::new(),
                paused: false,
                resumes: 0,
            }),
            ws_client: Mutex::default(),
            me: me.clone(),
        });
        let handler: Weak<dyn Handler> = conn.me.clone();
        // Edge-triggered for good: reads and writes go on until EAGAIN, so
        // the registration never changes (no epoll_ctl per message).
        let key = conn.reactor.register(&conn.fd, Interest::EDGES, handler)?;
        let _ = conn.key.set(key);
        match side {
            Side::Connecting => {}
            Side::Upgraded(early) => conn.open_upgraded(early),
            _ => conn.begin_handshake(),
        }
        Ok(conn)
    }

    /// The pipe id this connection will have once open.
    pub fn id(&self) -> PipeId {
        self.id
    }

    fn phase(&self) -> u8 {
        self.phase.load(Ordering::Acquire)
    }

    /// Whether the connection has closed (it may close while it starts:
    /// its observer then heard `conn_closed` before it had the connection).
    pub fn is_closed(&self) -> bool {
        self.phase() == CLOSED
    }

    /// Sends our header (or, as a WebSocket client, the upgrade request)
    /// and gives the peer HANDSHAKE_TIMEOUT for its answer.
    fn begin_handshake(&self) {
        if let Some(key) = self.key.get() {
            self.reactor.add_timer(Instant::now() + HANDSHAKE_TIMEOUT, *key, HANDSHAKE_TIMER);
        }
        let header = match &self.ctx.ws {
            Some(WsRole::Client { host, path }) => self.ws_request(host, path),
            _ => sp::handshake(self.ctx.options.protocol).to_vec(),
        };
        self.queue_raw(OutFrame::new(&[], Msg { header, ..Msg::default() }));
    }

    /// Queues a frame the connection itself sends, and writes it.
    fn queue_raw(&self, frame: OutFrame) {
        let mut out = lock(&self.output);
        out.push(frame, 0);
        drop(out);
        self.flush();
    }

    /// Closes the connection (from any thread, once): the peer sees EOF,
    /// the socket forgets the pipe, a dialer reconnects.
    fn close_because(&self, stat: Option<Stat>) {
        let was = self.phase.swap(CLOSED, Ordering::AcqRel);
        if was == CLOSED {
            return;
        }
        if let Some(key) = self.key.get() {
            self.reactor.deregister(&self.fd, *key);
        }
        let _ = rustix::net::shutdown(&self.fd, rustix::net::Shutdown::Both);
        {
            lock(&self.output).clear();
        }
        lock(&self.input).ready.clear();
        if let Some(owner) = self.ctx.owner.upgrade() {
            if let Some(stat) = stat {
                owner.count(stat, 1);
            }
            if self.attached.swap(false, Ordering::AcqRel) {
                owner.count(Stat::CurrentConnections, -1);
                owner.detach(self.id);
            }
            if was == CONNECTING {
                owner.count(Stat::InProgressConnections, -1);
            }
        }
        if let Some(observer) = self.observer.upgrade() {
            observer.conn_closed(self.id, was == OPEN);
        }
    }

    /// A connect finished: fail, or start the handshake.
    fn connect_done(&self) {
        match rustix::net::sockopt::socket_error(&self.fd) {
            Ok(Ok(())) if connected_to_itself(&self.fd) => self.close_because(Some(Stat::ConnectErrors)),
            Ok(Ok(())) => {
                if self.phase.compare_exchange(CONNECTING, HANDSHAKE, Ordering::AcqRel, Ordering::Acquire).is_ok() {
                    if let Some(owner) = self.ctx.owner.upgrade() {
                        owner.count(Stat::InProgressConnections, -1);
                        owner.count(Stat::EstablishedConnections, 1);
                    }
                    self.begin_handshake();
                    // Bytes may have come with the connect's edge.
                    self.read_ready();
                }
            }
            _ => self.close_because(Some(Stat::ConnectErrors)),
        }
    }

    /// Writes as much of the queue as the kernel takes; Err if the
    /// connection failed. Returns the new epoch when a refused sender may
    /// try again.
    fn write_queue(&self, out: &mut Output) -> Result<Option<u64>, ()> {
        self.write_out(out)?;
        self.wrote(out, Instant::now());
        Ok(self.room_made(out))
    }

    /// The new epoch, if a sender was refused and there is room now.
    fn room_made(&self, out: &mut Output) -> Option<u64> {
        if out.refused && out.bytes < self.ctx.options.send_buffer {
            out.refused = false;
            out.epoch += 1;
            return Some(out.epoch);
        }
        None
    }

    /// Writes as much of the queue as the kernel takes; Err if the
    /// connection failed.
    fn write_out(&self, out: &mut Output) -> Result<(), ()> {
        if out.writing {
            // A flush writes, and goes on with the queue after.
            return Ok(());
        }
        while !out.is_empty() {
            let written = write_frames(&self.fd, &out.slices(MAX_BATCH));
            match written {
                Ok(n) => out.advance(n),
                Err(Errno::AGAIN) => {
                    self.stall(out);
                    break;
                }
                Err(Errno::INTR) => continue,
                Err(_) => return Err(()),
            }
        }
        Ok(())
    }

    /// Frames and sends a message; `batched`: see `send_batched`.
    fn send_frame(&self, msg: Msg, batched: bool) -> Result<(), SendError> {
        if self.phase() != OPEN {
            return Err(SendError::Closed(msg));
        }
        let frame = if self.ctx.ws.is_some() { self.ws_out_frame(msg) } else { self.sp_frame(msg) };
        let mut out = lock(&self.output);
        let outcome = self.send_locked(&mut out, frame, batched);
        self.release_output(out);
        match outcome {
            Err(SendError::Closed(msg)) => {
                self.close_because(Some(Stat::BrokenConnections));
                Err(SendError::Closed(msg))
            }
            Err(full) => Err(full),
            Ok(epoch) => {
                self.after_write(Ok(epoch));
                Ok(())
            }
        }
    }

    /// `msg` framed for tcp or ipc: its length prefix, then header and body.
    fn sp_frame(&self, msg: Msg) -> OutFrame {
        let framing = self.ctx.framing;
        let total = (msg.header.len() + msg.body.len()) as u64;
        OutFrame::new(&framing.prefix(total)[..framing.prefix_len()], msg)
    }

    /// `PipeOps::offer`: a frame is taken only where `send_frame` would
    /// queue it without writing or refusing (`quiet_room`).
    fn offer_frame(&self, msg: Msg, batched: bool) -> Offer {
        let len = msg.header.len() + msg.body.len();
        if self.ctx.framing.prefix_len() + len <= COPY_MAX {
            return match self.offer_copy(&msg, batched) {
                Some(flush) => Offer::Taken { flush },
                None => Offer::Declined(msg),
            };
        }
        if !self.offerable(len) {
            return Offer::Declined(msg);
        }
        let frame = self.sp_frame(msg);
        let mut out = lock(&self.output);
        if let Quietly::Back(frame, _) = self.queue_quietly(&mut out, frame, batched) {
            return Offer::Declined(frame.msg);
        }
        drop(out);
        Offer::Taken { flush: self.flush_wanted.load(Ordering::SeqCst) }
    }

    /// `offer_frame` of a frame small enough to be copied into the queue:
    /// its bytes are copied from `msg` there, and the message itself is
    /// not moved or framed on the way (a fan-out copies it to every pipe
    /// without a copy of the message each). Some(whether the pipe wants a
    /// `flush`) if taken; None if the caller must `send` it.
    fn offer_copy(&self, msg: &Msg, batched: bool) -> Option<bool> {
        let framing = self.ctx.framing;
        let len = msg.header.len() + msg.body.len();
        if !self.offerable(len) || framing.prefix_len() + len > COPY_MAX {
            return None;
        }
        let prefix = framing.prefix(len as u64);
        let parts = [&prefix[..framing.prefix_len()], &msg.header[..], msg.body.as_slice()];
        let mut out = lock(&self.output);
        let room = self.quiet_room(&out, framing.prefix_len() + len, batched);
        if let Room::No(_) = room {
            return None;
        }
        out.push_copy(parts);
        if let Room::Cork = room {
            self.schedule_flush(&mut out);
        }
        drop(out);
        Some(self.flush_wanted.load(Ordering::SeqCst))
    }

    /// Whether a message of `len` bytes may be offered at all: the pipe is
    /// open, not WebSocket, and the frame is short of a batch (a longer
    /// one is never queued quietly: declined before locking).
    fn offerable(&self, len: usize) -> bool {
        self.phase() == OPEN && self.ctx.ws.is_none() && len < WRITE_AT.min(self.ctx.options.send_buffer)
    }

    /// Queues `frame` where `quiet_room` finds room for it. Otherwise the
    /// frame comes back, with the time read for the cork when nothing was
    /// queued.
    fn queue_quietly(&self, out: &mut Output, frame: OutFrame, batched: bool) -> Quietly {
        match self.quiet_room(out, frame.len(), batched) {
            Room::No(now) => Quietly::Back(frame, now),
            Room::Behind => {
                out.push(frame, 0);
                Quietly::Queued
            }
            Room::Cork => {
                out.push(frame, 0);
                self.schedule_flush(out);
                Quietly::Queued
            }
        }
    }

    /// Whether a frame of `len` bytes can be queued without a write or a
    /// refusal: behind frames already queued, short of a batch to write;
    /// or, with nothing queued, corked while sends follow each other
    /// closely (or `batched`).
    fn quiet_room(&self, out: &Output, len: usize, batched: bool) -> Room {
        if out.busy() {
            if out.bytes + len > WRITE_AT.min(self.ctx.options.send_buffer) {
                return Room::No(None);
            }
            return Room::Behind;
        }
        // The clock is read only when nothing is queued or being written:
        // behind such frames a send is batched anyway.
        let now = Instant::now();
        // Sends follow each other closely, and the peer did not answer in
        // between (a ping-pong's next request goes at once): batch them.
        let corked = len < CORK_MAX
            && (batched || out.last_write.is_some_and(|(t, reads)| {
                now.duration_since(t) < CORK_WINDOW && reads == self.reads.load(Ordering::Relaxed)
            }));
        if corked {
            Room::Cork
        } else {
            Room::No(Some(now))
        }
    }

    /// Queues or writes `frame` (the output locked). Err(Closed): the
    /// connection broke, to be closed once the lock is released. Ok: the
    /// new epoch when a write from this thread made room for a refused
    /// sender, to be reported as `flush` reports it.
    fn send_locked(&self, out: &mut Output, frame: OutFrame, batched: bool) -> Result<Option<u64>, SendError> {
        let (frame, now) = match self.queue_quietly(out, frame, batched) {
            Quietly::Queued => return Ok(None),
            Quietly::Back(frame, now) => (frame, now),
        };
        let mut epoch = None;
        let write_at = WRITE_AT.min(self.ctx.options.send_buffer);
        if out.busy() && !out.stalled && out.bytes + frame.len() > write_at {
            // A batch is ready, or the queue is full: this thread writes
            // it rather than wait for the reactor (a sender in a loop
            // then wakes no other thread), or before refusing.
            match self.write_queue(out) {
                Ok(e) => epoch = e,
                Err(()) => return Err(SendError::Closed(frame.msg)),
            }
        }
        if out.busy() {
            if out.bytes + frame.len() > self.ctx.options.send_buffer {
                out.refused = true;
                return Err(SendError::Full(frame.msg, out.epoch));
            }
            out.push(frame, 0);
            return Ok(epoch);
        }
        self.wrote(out, now.unwrap_or_else(Instant::now));
        let written = loop {
            let [a, b, c] = frame.parts();
            match write_frames(&self.fd, &[IoSlice::new(a), IoSlice::new(b), IoSlice::new(c)]) {
                Ok(n) => break n,
                Err(Errno::INTR) => continue,
                Err(Errno::AGAIN) => break 0,
                Err(_) => return Err(SendError::Closed(frame.msg)),
            }
        };
        if written < frame.len() {
            // The kernel refused the rest: its next writable edge flushes it.
            out.push(frame, written);
            self.stall(out);
        }
        Ok(epoch)
    }

    /// Flushes the queue (on a writable edge, or corked frames) and tells
    /// the socket when a refused sender may try again. If a sender holds
    /// the output, the flush is left to it (`release_output`): the I/O
    /// thread never sleeps on a sender's lock.
    fn flush(&self) {
        loop {
            self.flush_wanted.store(true, Ordering::SeqCst);
            let mut out = match self.output.try_lock() {
                Ok(guard) => guard,
                Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => return,
            };
            self.flush_wanted.store(false, Ordering::SeqCst);
            out.flush_pending = false;
            out.stalled = false;
            if out.writing {
                // Another flush writes, and goes on with the queue after.
                return;
            }
            let result = self.write_unlocked(out);
            self.after_write(result);
            if !self.flush_wanted.load(Ordering::SeqCst) {
                return;
            }
        }
    }

    /// Writes the queue as `write_queue` does, but takes each batch off
    /// the queue and writes it with the output unlocked: senders go on
    /// queueing behind it instead of waiting for the system call.
    fn write_unlocked<'a>(&'a self, mut out: MutexGuard<'a, Output>) -> Result<Option<u64>, ()> {
        while !out.is_empty() {
            let batch = out.take_batch(MAX_BATCH);
            out.writing = true;
            drop(out);
            let written = loop {
                match write_frames(&self.fd, &batch.slices()) {
                    Err(Errno::INTR) => continue,
                    other => break other,
                }
            };
            out = lock(&self.output);
            out.writing = false;
            if self.phase() == CLOSED {
                // Closed meanwhile: the queue was dropped, so is the batch.
                return Err(());
            }
            out.restore(batch);
            match written {
                Ok(n) => out.advance(n),
                Err(Errno::AGAIN) => {
                    self.stall(&mut out);
                    break;
                }
                Err(_) => return Err(()),
            }
        }
        self.wrote(&mut out, Instant::now());
        if out.is_empty() {
            self.watch_for(|interest| interest.write = false);
        }
        Ok(self.room_made(&mut out))
    }

    /// Notes a write to the kernel at `at` (see `Output::last_write`).
    fn wrote(&self, out: &mut Output, at: Instant) {
        out.last_write = Some((at, self.reads.load(Ordering::Relaxed)));
    }

    /// The kernel took no more: the queue waits for the next writable
    /// edge (senders stop writing it themselves until then).
    fn stall(&self, out: &mut Output) {
        out.stalled = true;
        self.watch_for(|interest| interest.write = true);
    }

    /// Changes what the I/O thread watches the fd for. Re-armed, epoll
    /// reports at once a readiness that came meanwhile: no edge is lost.
    fn watch_for(&self, change: impl FnOnce(&mut Interest)) {
        let mut current = lock(&self.registered);
        let mut wanted = *current;
        change(&mut wanted);
        let Some(key) = self.key.get() else { return };
        if wanted != *current && self.reactor.reregister(&self.fd, *key, wanted).is_ok() {
            *current = wanted;
        }
    }

    /// Unlocks the output, and does the flush another thread asked for
    /// while it was locked.
    fn release_output(&self, out: MutexGuard<'_, Output>) {
        drop(out);
        if self.flush_wanted.load(Ordering::SeqCst) {
            self.flush();
        }
    }

    /// Has the reactor flush the queue soon (once per batch).
    fn schedule_flush(&self, out: &mut Output) {
        if out.flush_pending {
            return;
        }
        out.flush_pending = true;
        out.mark_pushes();
        if let Some(me) = self.me.upgrade() {
            self.reactor.run_soon(Box::new(move || me.flush_corked()));
        }
    }

    /// The reactor's first look at corked frames. A sender still queueing
    /// writes its batches itself (see `send_locked`): the reactor only
    /// writes what is left a moment later (FLUSH_TIMER), instead of racing
    /// it for every few frames. The tail of a short burst goes at once.
    fn flush_corked(&self) {
        let idle = match self.output.try_lock() {
            Ok(out) => out.quiet(),
            Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner().quiet(),
            Err(std::sync::TryLockError::WouldBlock) => false,
        };
        match (idle, self.key.get()) {
            (false, Some(key)) => self.reactor.add_timer(Instant::now() + CORK_DELAY, *key, FLUSH_TIMER),
            _ => self.flush(),
        }
    }

    fn after_write(&self, result: Result<Option<u64>, ()>) {
        match result {
            Err(()) => self.close_because(Some(Stat::BrokenConnections)),
            Ok(Some(epoch)) => {
                if let Some(owner) = self.ctx.owner.upgrade() {
                    owner.writable(self.id, epoch);
                }
            }
            Ok(None) => {}
        }
    }

    /// Reads what the kernel has, decodes it and hands it to the socket.
    fn read_ready(&self) {
        self.read_exclusively();
    }

    /// Reads and delivers unless another thread is doing so, in which case
    /// that thread reads once more when it is done: nobody waits for the
    /// reader lock, and no readable edge is left unread.
    fn read_exclusively(&self) {
        loop {
            self.read_wanted.store(true, Ordering::SeqCst);
            let _reading = match self.reader.try_lock() {
                Ok(guard) => guard,
                Err(std::sync::TryLockError::Poisoned(e)) => e.into_inner(),
                Err(std::sync::TryLockError::WouldBlock) => return,
            };
            self.read_wanted.store(false, Ordering::SeqCst);
            self.read_and_deliver();
            drop(_reading);
            if !self.read_wanted.load(Ordering::SeqCst) {
                return;
            }
        }
    }

    /// Reads until EAGAIN (or a pause), delivering as it goes. The caller
    /// holds `reader`.
    fn read_and_deliver(&self) {
        let mut inp = lock(&self.input);
        loop {
            if inp.paused || self.phase() == CLOSED {
                return;
            }
            if !inp.ready.is_empty() {
                if !self.deliver(inp) {
                    return;
                }
                inp = lock(&self.input);
                continue;
            }
            match self.read_some(&mut inp) {
                Ok(true) => {}
                Ok(false) => {
                    // The kernel has nothing more for now: what the last
                    // read completed goes to the socket, and the next
                    // bytes bring a readable edge of their own.
                    if !inp.ready.is_empty() {
                        self.deliver(inp);
                    }
                    return;
                }
                Err(stat) => {
                    drop(inp);
                    self.close_because(stat);
                    return;
                }
            }
        }
    }

    /// Hands the decoded messages to the socket; false if it stopped
    /// reading (paused, or closed).
    fn deliver(&self, mut inp: MutexGuard<'_, Input>) -> bool {
        let mut batch = std::mem::take(&mut inp.ready);
        let resumes = inp.resumes;
        drop(inp);
        let Some(owner) = self.ctx.owner.upgrade() else {
            self.close_because(None);
            return false;
        };
        let all_taken = owner.deliver(self.id, &mut batch);
        if all_taken {
            return true;
        }
        let mut inp = lock(&self.input);
        batch.append(&mut inp.ready);
        inp.ready = batch;
        if inp.resumes != resumes {
            // The socket made room while we were away: try again.
            return true;
        }
        inp.paused = true;
        false
    }

    /// One read and the frames it completes. Ok(false): nothing more for
    /// now, as a read the kernel could not fill says (a stream socket
    /// gives what it holds): reading on would only find EAGAIN. Err: the
    /// connection must close, counted under that statistic.
    fn read_some(&self, inp: &mut Input) -> Result<bool, Option<Stat>> {
        if let Some((body, full)) = inp.partial.as_mut() {
            let full = *full;
            let room = body.capacity() - body.len();
            let filled = match rustix::io::read(&self.fd, rustix::buffer::spare_capacity(body)) {
                Ok(0) => return Err(Some(Stat::BrokenConnections)),
                Ok(n) => {
                    self.reads.fetch_add(1, Ordering::Relaxed);
                    self.more_to_read(n, room)
                }
                Err(Errno::AGAIN) => return Ok(false),
                Err(Errno::INTR) => return Ok(true),
                Err(_) => return Err(Some(Stat::BrokenConnections)),
            };
            if body.len() >= full {
                let (mut body, _) = inp.partial.take().expect("partial read");
                // Bytes past this frame belong to the next one.
                let excess = body.len() - full;
                if inp.buf.len() < excess {
                    inp.buf.resize(excess, 0);
                }
                inp.buf[..excess].copy_from_slice(&body[full..]);
                body.truncate(full);
                inp.start = 0;
                inp.end = excess;
                match inp.partial_frame.take() {
                    Some(frame) => self.ws_payload(inp, &frame, body)?,
                    None => inp.ready.push_back(Msg::new(Body::from_parts(body, HEADROOM))),
                }
                self.decode(inp)?;
            }
            return Ok(filled);
        }
        // The read lands in this thread's buffer, after the bytes kept
        // from the last read: a connection owns only the start of a frame
        // not complete yet, not a READ_BUF of its own (a thousand idle
        // connections would hold 64 MiB).
        let mut shared = READ_SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        if shared.len() < READ_BUF {
            shared.resize(READ_BUF, 0);
        }
        let kept = inp.end - inp.start;
        shared[..kept].copy_from_slice(&inp.buf[inp.start..inp.end]);
        let mut own = std::mem::replace(&mut inp.buf, shared);
        inp.start = 0;
        inp.end = kept;
        let result = self.read_into_buffer(inp);
        own.clear();
        if own.capacity() > KEEP_MAX {
            own = Vec::new();
        }
        own.extend_from_slice(&inp.buf[inp.start..inp.end]);
        let shared = std::mem::replace(&mut inp.buf, own);
        inp.end -= inp.start;
        inp.start = 0;
        READ_SCRATCH.with(|s| *s.borrow_mut() = shared);
        result
    }

    /// Whether a read of `n` bytes into `room` may have left bytes in the
    /// kernel: it filled the room, or the peer hung up (the end is still
    /// to be read, and brings no edge of its own).
    fn more_to_read(&self, n: usize, room: usize) -> bool {
        n == room || self.hung_up.load(Ordering::SeqCst)
    }

    /// One read into `inp.buf` (READ_BUF bytes, those undecoded first),
    /// and the frames it completes.
    fn read_into_buffer(&self, inp: &mut Input) -> Result<bool, Option<Stat>> {
        let limit = if inp.large { SMALL_READ } else { READ_BUF };
        let to = (inp.end + limit).min(inp.buf.len());
        let room = to - inp.end;
        match rustix::io::read(&self.fd, &mut inp.buf[inp.end..to]) {
            Ok(0) => Err(Some(Stat::BrokenConnections)),
            Ok(n) => {
                self.reads.fetch_add(1, Ordering::Relaxed);
                inp.end += n;
                if self.phase() == HANDSHAKE {
                    match self.ctx.ws {
                        None => self.check_handshake(inp)?,
                        Some(WsRole::Client { .. }) => self.ws_check_response(inp)?,
                        // Opened by `open_upgraded`: bytes wait until then.
                        Some(WsRole::Server) => {}
                    }
                }
                if self.phase() == OPEN {
                    self.decode(inp)?;
                }
                Ok(self.more_to_read(n, room))
            }
            Err(Errno::AGAIN) => Ok(false),
            Err(Errno::INTR) => Ok(true),
            Err(_) => Err(Some(Stat::BrokenConnections)),
        }
    }

    /// Checks the peer's handshake once its 8 bytes are in, and opens.
    fn check_handshake(&self, inp: &mut Input) -> Result<(), Option<Stat>> {
        if inp.end - inp.start < HANDSHAKE_LEN {
            return Ok(());
        }
        let header: [u8; HANDSHAKE_LEN] = inp.buf[inp.start..inp.start + HANDSHAKE_LEN].try_into().expect("8 bytes");
        if sp::check_handshake(&header, self.ctx.options.peer_protocol).is_err() {
            return Err(Some(Stat::DroppedConnections));
        }
        inp.start += HANDSHAKE_LEN;
        self.open()
    }

    /// The handshake is done: the pipe goes to the socket.
    fn open(&self) -> Result<(), Option<Stat>> {
        if self.phase.compare_exchange(HANDSHAKE, OPEN, Ordering::AcqRel, Ordering::Acquire).is_err() {
            return Err(None);
        }
        let Some(owner) = self.ctx.owner.upgrade() else { return Err(None) };
        let Some(me) = self.me.upgrade() else { return Err(None) };
        let pipe = Pipe {
            id: self.id,
            ops: me,
            send_priority: self.ctx.options.send_priority,
            recv_priority: self.ctx.options.recv_priority,
        };
        if !owner.attach(pipe) {
            return Err(None);
        }
        owner.count(Stat::CurrentConnections, 1);
        self.attached.store(true, Ordering::Release);
        if self.phase() == CLOSED {
            // Closed while attaching: make sure the socket forgets it.
            if self.attached.swap(false, Ordering::AcqRel) {
                owner.count(Stat::CurrentConnections, -1);
                owner.detach(self.id);
            }
        }
        Ok(())
    }

    /// Decodes every complete frame in the buffer; starts a direct read for
    /// a large one.
    fn decode(&self, inp: &mut Input) -> Result<(), Option<Stat>> {
        if inp.ws.is_some() {
            return self.decode_ws(inp);
        }
        let framing = self.ctx.framing;
        let max = self.ctx.options.recv_max_size;
        loop {
            let avail = &inp.buf[inp.start..inp.end];
            let len = match framing.parse_prefix(avail, max) {
                Ok(Some(len)) => len,
                Ok(None) => return Ok(()),
                Err(FrameError::BadType(_)) | Err(FrameError::TooLarge(_)) => {
                    return Err(Some(Stat::DroppedConnections));
                }
            };
            let len = usize::try_from(len).map_err(|_| Some(Stat::DroppedConnections))?;
            let p = framing.prefix_len();
            let have = avail.len() - p;
            if have >= len {
                let body = Body::copy_from(&avail[p..p + len], HEADROOM).map_err(|_| Some(Stat::DroppedConnections))?;
                inp.ready.push_back(Msg::new(body));
                inp.start += p + len;
                inp.large = false;
                continue;
            }
            if len >= DIRECT_READ {
                let full = HEADROOM.checked_add(len).ok_or(Some(Stat::DroppedConnections))?;
                // Room for the start of the next frame too: the read that
                // ends this body then brings the next prefix with it.
                let room = full.checked_add(SMALL_READ).ok_or(Some(Stat::DroppedConnections))?;
                let mut body = crate::core::msg::pool::take(room).map_err(|_| Some(Stat::DroppedConnections))?;
                body.resize(HEADROOM, 0);
                body.extend_from_slice(&avail[p..]);
                inp.partial = Some((body, full));
                inp.start = inp.end;
                inp.large = true;
            }
            return Ok(());
        }
    }
}

/// Where `StreamConn::quiet_room` finds room for a frame.
enum Room {
    /// Behind frames already queued.
    Behind,
    /// In an empty queue, corked: the reactor is to flush it.
    Cork,
    /// Nowhere without a write or a refusal; the time read for the cork
    /// when nothing was queued.
    No(Option<Instant>),
}

/// What `StreamConn::queue_quietly` did with a frame.
enum Quietly {
    Queued,
    /// Not queued: the frame, and the time read for the cork if it was.
    Back(OutFrame, Option<Instant>),
}

/// Whether a tcp connect to a local port with no listener met itself
/// (TCP simultaneous open with its own ephemeral port).
fn connected_to_itself(fd: &OwnedFd) -> bool {
    match (rustix::net::getsockname(fd), rustix::net::getpeername(fd)) {
        (Ok(local), Ok(Some(peer))) => local == peer,
        _ => false,
    }
}

/// One gathering write; never raises SIGPIPE when the peer has gone.
fn write_frames(fd: &OwnedFd, slices: &[IoSlice<'_>]) -> rustix::io::Result<usize> {
    let mut no_control = rustix::net::SendAncillaryBuffer::default();
    rustix::net::sendmsg(fd, slices, &mut no_control, rustix::net::SendFlags::NOSIGNAL)
}

impl PipeOps for StreamConn {
    fn send(&self, msg: Msg) -> Result<(), SendError> {
        self.send_frame(msg, false)
    }

    fn offer(&self, msg: Msg) -> Offer {
        self.offer_frame(msg, false)
    }

    fn offer_batched(&self, msg: Msg) -> Offer {
        self.offer_frame(msg, true)
    }

    fn offer_batched_copy(&self, msg: &Msg) -> Option<bool> {
        self.offer_copy(msg, true)
    }

    fn flush(&self) {
        // The connection's own flush: the reactor wanted the queue written.
        StreamConn::flush(self);
    }

    fn send_batched(&self, msg: Msg) -> Result<(), SendError> {
        self.send_frame(msg, true)
    }

    fn resume(&self) {
        let mut inp = lock(&self.input);
        inp.resumes += 1;
        if !inp.paused {
            return;
        }
        inp.paused = false;
        drop(inp);
        // Edges that came during the pause were not acted on: read now,
        // from the messages decoded before it onwards, on this thread (the
        // receiver's, which made the room and wants the next message)
        // rather than wake the reactor for it.
        self.read_exclusively();
    }

    fn pulls(&self) -> bool {
        true
    }

    fn pull(&self) {
        if self.phase() != OPEN {
            return;
        }
        // A read that finds a tcp socket empty can make the kernel send a
        // window update: ask first, it is as cheap as the read.
        if self.ctx.framing == Framing::Tcp && rustix::io::ioctl_fionread(&self.fd).is_ok_and(|n| n == 0) {
            return;
        }
        self.read_exclusively();
    }

    fn pull_readable(&self) {
        if self.phase() == OPEN {
            self.read_exclusively();
        }
    }

    fn fd(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        Some(std::os::fd::AsFd::as_fd(&self.fd))
    }

    fn set_watched(&self, watched: bool) {
        self.watched.store(watched, Ordering::SeqCst);
    }

    fn set_io_reads(&self, reads: bool) {
        // A WebSocket peer's pings want answers whoever reads.
        if self.ctx.ws.is_some() {
            return;
        }
        self.watch_for(|interest| interest.read = reads);
    }

    fn unsent(&self) -> usize {
        let out = lock(&self.output);
        let bytes = out.bytes;
        self.release_output(out);
        bytes
    }

    fn close(&self) {
        if self.ctx.ws.is_some() && self.phase() == OPEN {
            self.ws_close();
        }
        // Whatever the kernel takes now still reaches the peer after the
        // close; only what it refuses is lost (NN_LINGER waits for it).
        let _ = self.write_queue(&mut lock(&self.output));
        self.close_because(None);
    }
}

impl Handler for StreamConn {
    fn on_ready(&self, ready: Ready) {
        match self.phase() {
            CLOSED => {}
            CONNECTING => {
                if ready.writable || ready.failed {
                    self.connect_done();
                }
            }
            _ => {
                if ready.writable {
                    self.flush();
                }
                if ready.hangup {
                    self.hung_up.store(true, Ordering::SeqCst);
                }
                // A watching receiver reads after `set_watched(false)`, so
                // an edge it is woken by needs no reactor read.
                if ready.failed || (ready.readable && !self.watched.load(Ordering::SeqCst)) {
                    self.read_ready();
                }
                if ready.failed {
                    self.close_because(Some(Stat::BrokenConnections));
                }
            }
        }
    }

    fn on_timer(&self, token: u64) {
        if token == HANDSHAKE_TIMER && self.phase() == HANDSHAKE {
            self.close_because(Some(Stat::DroppedConnections));
        }
        if token == FLUSH_TIMER {
            self.flush();
        }
    }
}

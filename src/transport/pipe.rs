//! Pipes: one live connection to one peer, whatever its transport. The
//! socket sees a pipe only through `PipeOps` (send into it, let it resume
//! receiving, close it); a pipe reports upward only through `PipeOwner`
//! (attach, deliver, writable, detach), which the socket implements.

use std::collections::VecDeque;
use std::os::fd::BorrowedFd;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::core::msg::Msg;
use crate::core::stats::Stat;

/// A pipe's process-wide unique id.
pub type PipeId = u32;

/// A fresh pipe id. Ids keep the top bit clear: REP and RESPONDENT put
/// them in backtraces, where a set top bit ends the trace.
pub fn next_pipe_id() -> PipeId {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed) & 0x7fff_ffff
}

/// Why a pipe did not take a message; the message comes back.
#[derive(Debug)]
pub enum SendError {
    /// Its queue is full. `epoch` is the pipe's writable-epoch when it
    /// refused: the owner will hear `writable` with a later epoch.
    Full(Msg, u64),
    /// The pipe is closed.
    Closed(Msg),
}

impl SendError {
    /// The message back, and the epoch of a full pipe (`None`: closed).
    pub fn into_parts(self) -> (Msg, Option<u64>) {
        match self {
            SendError::Full(msg, epoch) => (msg, Some(epoch)),
            SendError::Closed(msg) => (msg, None),
        }
    }
}

/// What became of a message `PipeOps::offer`ed to a pipe.
#[derive(Debug)]
pub enum Offer {
    /// Taken.
    Taken {
        /// The pipe must be `flush`ed once the caller's lock is released.
        flush: bool,
    },
    /// Not taken: `send` it.
    Declined(Msg),
}

/// What the socket can do with a pipe.
pub trait PipeOps: Send + Sync {
    /// Takes a message if that needs no other socket's lock and cannot
    /// block or fail: the caller holds its socket's lock, and spares
    /// itself keeping the pipe alive past it (two atomic operations per
    /// message). Otherwise the message comes back, for `send`.
    fn offer(&self, msg: Msg) -> Offer {
        Offer::Declined(msg)
    }
    /// `offer` of one copy of a message going to many pipes: taken also
    /// where `send_batched` would queue it for the I/O thread.
    fn offer_batched(&self, msg: Msg) -> Offer {
        self.offer(msg)
    }
    /// `offer_batched` of a copy the pipe makes of `msg`'s bytes itself,
    /// where it would copy them anyway (into a stream's queue): the
    /// caller then makes no copy of the message for it. Some(whether to
    /// `flush`) if taken; None: offer or send a copy of the message.
    fn offer_batched_copy(&self, msg: &Msg) -> Option<bool> {
        let _ = msg;
        None
    }
    /// Hands on what `offer` took, as it asked.
    fn flush(&self) {}
    /// Sends a message (without the caller holding its socket's lock).
    fn send(&self, msg: Msg) -> Result<(), SendError>;
    /// Sends one copy of a message going to many pipes: queued, and
    /// written soon by the I/O thread with whatever follows it, so that a
    /// fan-out does not cost the sender's thread a write per pipe per
    /// message.
    fn send_batched(&self, msg: Msg) -> Result<(), SendError> {
        self.send(msg)
    }
    /// The owner has room again for messages from this pipe. Called on a
    /// receiver's thread, without locks; the pipe may read and deliver
    /// right there.
    fn resume(&self);
    /// Whether `pull` can find anything.
    fn pulls(&self) -> bool {
        false
    }
    /// Reads and delivers, on the caller's thread, what has arrived but
    /// not been read yet (a receiver about to sleep calls this). Does
    /// nothing if another thread is reading this pipe.
    fn pull(&self) {}
    /// `pull`, when a poll of `fd` has just found it readable.
    fn pull_readable(&self) {
        self.pull();
    }
    /// The fd a receiver can poll for this pipe's input, if it has one.
    fn fd(&self) -> Option<BorrowedFd<'_>> {
        None
    }
    /// A receiver polls `fd` (`true`) and will `pull` when it wakes, so
    /// the reactor need not read for it; or it stopped (`false`).
    fn set_watched(&self, watched: bool) {
        let _ = watched;
    }
    /// Whether the I/O thread reads this pipe as bytes arrive (the
    /// default), or leaves it to the socket's receivers, which `pull` and
    /// watch it themselves (`false`): then it wakes only for a hang-up.
    fn set_io_reads(&self, reads: bool) {
        let _ = reads;
    }
    /// What has arrived and waits for a `pull`, taken out to be queued by
    /// the socket itself: it calls this, with its lock held, on switching
    /// the pipe to `set_io_reads(true)`. Pipes the I/O thread reads have
    /// nothing to give (the edge they get on the switch makes them read).
    fn take_buffered(&self) -> VecDeque<Msg> {
        VecDeque::new()
    }
    /// Bytes accepted but not yet handed to the kernel or the peer.
    fn unsent(&self) -> usize;
    /// Closes the pipe from the socket's side.
    fn close(&self);
}

/// What a pipe tells its socket. Pipes call these without holding their
/// own locks.
pub trait PipeOwner: Send + Sync {
    /// A pipe finished its handshake. `false`: the socket refuses it
    /// (PAIR has a peer already; the socket is closing); the pipe closes.
    fn attach(&self, pipe: Pipe) -> bool;
    /// Messages arrived on pipe `id`. The socket takes them from the front
    /// while it has room; `false` if some are left, in which case the pipe
    /// stops reading until `resume`.
    fn deliver(&self, id: PipeId, msgs: &mut VecDeque<Msg>) -> bool;
    /// Pipe `id` can take messages again (its epoch is now `epoch`).
    fn writable(&self, id: PipeId, epoch: u64);
    /// Pipe `id` is gone.
    fn detach(&self, id: PipeId);
    /// Counts an endpoint event (connections made, broken, errors).
    fn count(&self, stat: Stat, delta: i64);
}

/// A pipe as its socket holds it.
#[derive(Clone)]
pub struct Pipe {
    /// Its id.
    pub id: PipeId,
    /// What can be done with it.
    pub ops: Arc<dyn PipeOps>,
    /// NN_SNDPRIO of its endpoint when it was created.
    pub send_priority: u8,
    /// NN_RCVPRIO of its endpoint when it was created.
    pub recv_priority: u8,
}

impl std::fmt::Debug for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipe").field("id", &self.id).finish()
    }
}

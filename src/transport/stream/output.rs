//! A connection's output queue: the frames waiting for the kernel, and the
//! flow-control state around them.
//!
//! Small frames are copied into byte chunks as they are queued. A gathering
//! write then hands the kernel one slice per chunk instead of three per
//! frame (the kernel's cost grows with the slices more than with the
//! bytes), and the message is freed at once by the thread that made it,
//! not later by the one that writes it (a free from another thread costs
//! the allocator several times more). Large frames stay as they are and
//! are written from the message's own buffer.

use std::collections::VecDeque;
use std::io::IoSlice;
use std::time::Instant;

use crate::core::msg::Msg;
use crate::wire::ws_frame::MAX_HEADER;

/// Frames at most this large are copied into a chunk when queued.
pub(super) const COPY_MAX: usize = 2048;
/// Capacity of a chunk of copied frames.
const CHUNK: usize = 16 * 1024;

/// One frame: the framing's prefix, then the message.
pub(super) struct OutFrame {
    /// The framing's prefix (length, ipc type byte, WebSocket header).
    prefix: [u8; MAX_HEADER],
    prefix_len: usize,
    /// The SP header and body that follow.
    pub msg: Msg,
    /// The message masked, which replaces it on the wire (frames a
    /// WebSocket client sends); the original stays for a refused send.
    pub masked: Option<Vec<u8>>,
}

impl OutFrame {
    /// A frame of `prefix` then the message.
    pub fn new(prefix: &[u8], msg: Msg) -> OutFrame {
        let mut frame = OutFrame { prefix: [0; MAX_HEADER], prefix_len: prefix.len(), msg, masked: None };
        frame.prefix[..prefix.len()].copy_from_slice(prefix);
        frame
    }

    pub fn len(&self) -> usize {
        self.parts().iter().map(|p| p.len()).sum()
    }

    /// The bytes of the frame, in order, in up to three pieces.
    pub fn parts(&self) -> [&[u8]; 3] {
        match &self.masked {
            Some(masked) => [&self.prefix[..self.prefix_len], &masked[..], &[][..]],
            None => [&self.prefix[..self.prefix_len], &self.msg.header[..], self.msg.body.as_slice()],
        }
    }
}

/// What the queue holds: a frame, or copies of small frames one after
/// the other.
enum Item {
    Frame(OutFrame),
    Bytes(Vec<u8>),
}

/// An item of the queue, `done` bytes of it already written.
pub(super) struct Queued {
    item: Item,
    done: usize,
}

impl Queued {
    fn len(&self) -> usize {
        match &self.item {
            Item::Frame(f) => f.len(),
            Item::Bytes(b) => b.len(),
        }
    }

    /// The unwritten parts.
    fn unwritten(&self) -> impl Iterator<Item = &[u8]> {
        let parts = match &self.item {
            Item::Frame(f) => f.parts(),
            Item::Bytes(b) => [&b[..], &[][..], &[][..]],
        };
        unwritten(parts, self.done)
    }
}

/// What is left of `parts` once their first `done` bytes are written,
/// without empty pieces.
fn unwritten(parts: [&[u8]; 3], done: usize) -> impl Iterator<Item = &[u8]> {
    let mut skip = done;
    parts.into_iter().filter_map(move |part| {
        let from = skip.min(part.len());
        skip -= from;
        Some(&part[from..]).filter(|rest| !rest.is_empty())
    })
}

/// `items` as slices for one gathering write.
fn gather<'a>(items: impl ExactSizeIterator<Item = &'a Queued>) -> Vec<IoSlice<'a>> {
    let mut slices = Vec::with_capacity(items.len() * 3);
    for queued in items {
        slices.extend(queued.unwritten().map(IoSlice::new));
    }
    slices
}

/// Items taken off the queue to be written with the queue unlocked.
pub(super) struct Batch(Vec<Queued>);

impl Batch {
    /// The batch as slices for one gathering write.
    pub fn slices(&self) -> Vec<IoSlice<'_>> {
        gather(self.0.iter())
    }
}

#[derive(Default)]
pub(super) struct Output {
    queue: VecDeque<Queued>,
    /// A flush is scheduled on the reactor for corked frames.
    pub flush_pending: bool,
    /// When a write last went to the kernel, and how many reads the
    /// connection had made then.
    pub last_write: Option<(Instant, u64)>,
    /// Unwritten bytes in `queue` (and in a batch being written).
    pub bytes: usize,
    /// A send was refused as Full since the last `writable`.
    pub refused: bool,
    /// Bumped each time the pipe becomes writable again.
    pub epoch: u64,
    /// A flush is writing a batch taken off the queue, with the output
    /// unlocked.
    pub writing: bool,
    /// The kernel refused bytes: only its writable edge flushes.
    pub stalled: bool,
    /// A frame was queued since `mark_pushes`.
    pushed: bool,
}

impl Output {
    /// Queues a frame, of which `done` bytes are written already, behind
    /// the others.
    pub fn push(&mut self, frame: OutFrame, done: usize) {
        let left = frame.len() - done;
        if left > COPY_MAX {
            self.bytes += left;
            self.pushed = true;
            self.queue.push_back(Queued { item: Item::Frame(frame), done });
            return;
        }
        self.copy_in(unwritten(frame.parts(), done), left);
    }

    /// Queues a copy of a frame given as its parts, at most COPY_MAX
    /// bytes in all.
    pub fn push_copy(&mut self, parts: [&[u8]; 3]) {
        let len = parts.iter().map(|p| p.len()).sum();
        debug_assert!(len <= COPY_MAX);
        self.copy_in(parts.into_iter(), len);
    }

    /// Copies `len` bytes of frame, in `parts`, into the last chunk, or a
    /// new one if it has no room.
    fn copy_in<'a>(&mut self, parts: impl Iterator<Item = &'a [u8]>, len: usize) {
        self.bytes += len;
        self.pushed = true;
        let chunk = match self.queue.back_mut() {
            Some(Queued { item: Item::Bytes(b), .. }) if b.len() + len <= b.capacity() => b,
            _ => {
                self.queue.push_back(Queued { item: Item::Bytes(Vec::with_capacity(CHUNK)), done: 0 });
                match self.queue.back_mut() {
                    Some(Queued { item: Item::Bytes(b), .. }) => b,
                    _ => unreachable!("a chunk was just queued"),
                }
            }
        };
        for part in parts {
            chunk.extend_from_slice(part);
        }
    }

    /// Starts watching for frames queued from now on (see `quiet`).
    pub fn mark_pushes(&mut self) {
        self.pushed = false;
    }

    /// Whether no frame was queued since `mark_pushes`.
    pub fn quiet(&self) -> bool {
        !self.pushed
    }

    /// Whether frames wait or are being written: a new one goes behind.
    pub fn busy(&self) -> bool {
        self.writing || !self.queue.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// The first `max` items as slices for one gathering write.
    pub fn slices(&self, max: usize) -> Vec<IoSlice<'_>> {
        gather(self.queue.iter().take(max))
    }

    /// Takes the first `max` items off the queue, to be written with the
    /// output unlocked; they still count in `bytes`.
    pub fn take_batch(&mut self, max: usize) -> Batch {
        let n = self.queue.len().min(max);
        Batch(self.queue.drain(..n).collect())
    }

    /// Puts a batch back in front of the queue, before `advance`.
    pub fn restore(&mut self, batch: Batch) {
        for queued in batch.0.into_iter().rev() {
            self.queue.push_front(queued);
        }
    }

    /// Marks `n` more bytes of the queue as written.
    pub fn advance(&mut self, mut n: usize) {
        self.bytes -= n;
        while n > 0 {
            let front = self.queue.front_mut().expect("written bytes belong to queued frames");
            let left = front.len() - front.done;
            if n < left {
                front.done += n;
                return;
            }
            n -= left;
            self.queue.pop_front();
        }
    }

    /// Drops everything queued (the connection closed).
    pub fn clear(&mut self) {
        self.queue.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::msg::Body;

    fn frame(prefix: &[u8], body: &[u8]) -> OutFrame {
        OutFrame::new(prefix, Msg::new(Body::copy_from(body, 0).unwrap()))
    }

    fn written(out: &Output) -> Vec<u8> {
        out.slices(usize::MAX).iter().flat_map(|s| s.to_vec()).collect()
    }

    #[test]
    fn small_frames_share_a_chunk_and_large_ones_stay_whole() {
        let mut out = Output::default();
        out.push(frame(b"ab", b"cd"), 0);
        out.push(frame(b"ef", b"gh"), 1);
        let large = vec![7u8; COPY_MAX + 1];
        out.push(frame(b"", &large), 0);
        out.push(frame(b"ij", b""), 0);
        assert_eq!(out.slices(usize::MAX).len(), 3, "one chunk, the large frame, a new chunk");
        let mut want = b"abcdfgh".to_vec();
        want.extend_from_slice(&large);
        want.extend_from_slice(b"ij");
        assert_eq!(written(&out), want);
        assert_eq!(out.bytes, want.len());
        out.advance(5);
        assert_eq!(written(&out)[..2], *b"gh");
        let batch = out.take_batch(2);
        assert_eq!(out.slices(usize::MAX).len(), 1);
        assert!(batch.slices()[0].starts_with(b"gh"));
        out.restore(batch);
        out.advance(want.len() - 5);
        assert!(out.is_empty() && out.bytes == 0);
    }

    #[test]
    fn copies_from_parts_join_the_chunk_of_whole_frames() {
        let mut out = Output::default();
        out.push_copy([b"ab", b"", b"cd"]);
        out.push(frame(b"ef", b"gh"), 0);
        out.push_copy([b"i", b"j", b"k"]);
        assert_eq!(out.slices(usize::MAX).len(), 1);
        assert_eq!(written(&out), b"abcdefghijk");
        assert!(!out.quiet() && out.bytes == 11);
    }

    #[test]
    fn a_full_chunk_is_followed_by_a_new_one() {
        let mut out = Output::default();
        let body = vec![1u8; COPY_MAX];
        for _ in 0..CHUNK / COPY_MAX + 1 {
            out.push(frame(b"", &body), 0);
        }
        assert_eq!(out.slices(usize::MAX).len(), 2);
        assert_eq!(out.bytes, (CHUNK / COPY_MAX + 1) * COPY_MAX);
    }
}

//! Messages: an SP header (request ids, backtrace) and a body.
//!
//! A short body is held inside the message (`INLINE`). A longer one is a
//! heap buffer whose bytes start at `start`; the bytes before it are
//! headroom. The FFI layer keeps its chunk header (the tag that
//! `nn_freemsg` checks) in that headroom, which is how a buffer from
//! `nn_allocmsg` becomes a message body, and a received body becomes an
//! NN_MSG chunk, without copying a byte.
//!
//! Large buffers are recycled (`pool`): freeing and re-allocating 64 KiB
//! per message makes the allocator hand memory back to the kernel and take
//! it again, a page fault per 4 KiB.

use std::collections::TryReserveError;
use std::sync::Arc;

pub mod pool {
    //! Message buffers kept for reuse. Small ones are handed between
    //! threads: a message is usually made on one thread (its sender's,
    //! or the one that read it) and dropped on another (its receiver's),
    //! which the allocator serves slowly (its per-thread caches empty on
    //! one side and overflow on the other, and the rest takes a lock that
    //! both threads then fight over). Large ones are kept because freeing
    //! and re-allocating 64 KiB makes the allocator hand memory back to
    //! the kernel and take it again, a page fault per 4 KiB.

    use std::collections::TryReserveError;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Mutex, OnceLock};

    use crossbeam_queue::ArrayQueue;

    /// Small buffers come in these capacities (a request is rounded up to
    /// the next one), each class with a lock-free stock of `CLASS_STOCK`
    /// (2 MiB in all at most).
    const CLASSES: [usize; 8] = [128, 256, 512, 1024, 2048, 4096, 8192, 16 * 1024];
    const CLASS_STOCK: usize = 64;
    /// Bytes the stock of larger buffers may hold in all.
    const STOCK_BYTES: usize = 16 * 1024 * 1024;

    struct Stock {
        buffers: Vec<Vec<u8>>,
        bytes: usize,
    }

    static STOCK: Mutex<Stock> = Mutex::new(Stock { buffers: Vec::new(), bytes: 0 });

    /// Set in a child process after fork(): the small stocks it inherited
    /// may hold a slot that a thread of the parent was filling or emptying
    /// at the fork, which no thread of the child will ever finish (and the
    /// next to use that slot would wait for it for ever). A child leaves
    /// them alone and allocates.
    static INHERITED: AtomicBool = AtomicBool::new(false);

    /// The small stocks, if this process may use them.
    fn small_stocks() -> Option<&'static [ArrayQueue<Vec<u8>>]> {
        static SMALL: OnceLock<Vec<ArrayQueue<Vec<u8>>>> = OnceLock::new();
        if INHERITED.load(Ordering::Relaxed) {
            return None;
        }
        Some(SMALL.get_or_init(|| CLASSES.iter().map(|_| ArrayQueue::new(CLASS_STOCK)).collect()))
    }

    /// Called in a child process just after fork(): see `INHERITED`.
    pub fn forked_child() {
        INHERITED.store(true, Ordering::Relaxed);
    }

    /// An empty buffer with room for `capacity` bytes: a small one of the
    /// next class up, reused if its stock has one; a large one reused if
    /// the stock has one that is not much larger.
    pub fn take(capacity: usize) -> Result<Vec<u8>, TryReserveError> {
        if let Some(class) = CLASSES.iter().position(|&c| c >= capacity) {
            if let Some(buf) = small_stocks().and_then(|stocks| stocks[class].pop()) {
                return Ok(buf);
            }
            let mut buf = Vec::new();
            buf.try_reserve_exact(CLASSES[class])?;
            return Ok(buf);
        }
        let mut stock = STOCK.lock().unwrap_or_else(|e| e.into_inner());
        let fits = |b: &Vec<u8>| b.capacity() >= capacity && b.capacity() <= capacity.saturating_mul(2);
        if let Some(i) = stock.buffers.iter().rposition(fits) {
            let buf = stock.buffers.swap_remove(i);
            stock.bytes -= buf.capacity();
            return Ok(buf);
        }
        drop(stock);
        let mut buf = Vec::new();
        buf.try_reserve_exact(capacity)?;
        Ok(buf)
    }

    /// The stock held still; see `hold`.
    pub struct StockHold {
        _guard: std::sync::MutexGuard<'static, Stock>,
    }

    /// Holds the stock still until the hold drops (around fork()).
    pub fn hold() -> StockHold {
        StockHold { _guard: STOCK.lock().unwrap_or_else(|e| e.into_inner()) }
    }

    /// Keeps a buffer for reuse: one of a small class while its stock has
    /// room, or a large one while the stock's bytes allow.
    pub fn give(mut buf: Vec<u8>) {
        let cap = buf.capacity();
        if let Some(class) = CLASSES.iter().position(|&c| c == cap) {
            if let Some(stocks) = small_stocks() {
                buf.clear();
                let _ = stocks[class].push(buf);
            }
            return;
        }
        if cap <= CLASSES[CLASSES.len() - 1] {
            // Small but of no class (not made by `take`): freed.
            return;
        }
        let mut stock = STOCK.lock().unwrap_or_else(|e| e.into_inner());
        if stock.bytes + cap <= STOCK_BYTES {
            buf.clear();
            stock.bytes += cap;
            stock.buffers.push(buf);
        }
    }
}

/// Bodies up to this many bytes are kept inside the message itself:
/// all that fits in the room a body takes anyway. A small message then
/// costs no allocation, and its bytes travel between threads on the same
/// cache lines as the message.
pub const INLINE: usize = 70;

/// A body's buffer: its own, shared by copies of one message going to
/// many peers (`Body::share`), or held inline.
#[derive(Debug, Clone)]
enum Buffer {
    Own(Vec<u8>),
    Shared(Arc<Vec<u8>>),
    Inline { len: u8, bytes: [u8; INLINE] },
}

impl Default for Buffer {
    fn default() -> Buffer {
        Buffer::Own(Vec::new())
    }
}

impl Buffer {
    fn as_slice(&self) -> &[u8] {
        match self {
            Buffer::Own(v) => v,
            Buffer::Shared(v) => v,
            Buffer::Inline { len, bytes } => &bytes[..usize::from(*len)],
        }
    }
}

/// The bytes of a message, with room reserved in front of them (in a
/// buffer of its own).
#[derive(Debug, Clone, Default)]
pub struct Body {
    buf: Buffer,
    start: usize,
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Body {}

impl Body {
    /// A body of these bytes (copied). One too long to be held inline
    /// gets a buffer with `headroom` spare bytes in front.
    pub fn copy_from(bytes: &[u8], headroom: usize) -> Result<Body, TryReserveError> {
        if let Ok(len) = u8::try_from(bytes.len()) {
            if bytes.len() <= INLINE {
                let mut inline = [0; INLINE];
                inline[..bytes.len()].copy_from_slice(bytes);
                return Ok(Body { buf: Buffer::Inline { len, bytes: inline }, start: 0 });
            }
        }
        let mut buf = pool::take(headroom + bytes.len())?;
        buf.resize(headroom, 0);
        buf.extend_from_slice(bytes);
        Ok(Body { buf: Buffer::Own(buf), start: headroom })
    }

    /// A body over `buf`, whose message bytes start at `start`.
    /// `start` is clamped to the buffer's length.
    pub fn from_parts(buf: Vec<u8>, start: usize) -> Body {
        let start = start.min(buf.len());
        Body { buf: Buffer::Own(buf), start }
    }

    /// A buffer and where the message bytes start in it: the body's own,
    /// or a copy of one still shared or held inline.
    pub fn into_parts(mut self) -> (Vec<u8>, usize) {
        match std::mem::take(&mut self.buf) {
            Buffer::Own(v) => (v, self.start),
            Buffer::Shared(v) => (Arc::try_unwrap(v).unwrap_or_else(|shared| (*shared).clone()), self.start),
            inline @ Buffer::Inline { .. } => (inline.as_slice()[self.start..].to_vec(), 0),
        }
    }

    /// Another body of the same bytes, sharing this one's buffer (which
    /// becomes shared): a copy that costs no copying, but of the bytes
    /// held inline.
    pub fn share(&mut self) -> Body {
        if let Buffer::Own(v) = &mut self.buf {
            self.buf = Buffer::Shared(Arc::new(std::mem::take(v)));
        }
        self.clone()
    }

    /// The message bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf.as_slice()[self.start..]
    }

    /// Length of the message bytes.
    pub fn len(&self) -> usize {
        self.buf.as_slice().len() - self.start
    }

    /// Whether the message has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes the first `n` bytes off the front (copied out; the rest stays
    /// where it is). `None`, and nothing taken, if there are fewer.
    pub fn split_front(&mut self, n: usize) -> Option<Vec<u8>> {
        let front = self.as_slice().get(..n)?.to_vec();
        self.start += n;
        Some(front)
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        let buf = match std::mem::take(&mut self.buf) {
            Buffer::Own(v) => v,
            // The last of the sharers gives the buffer back.
            Buffer::Shared(v) => match Arc::try_unwrap(v) {
                Ok(v) => v,
                Err(_) => return,
            },
            Buffer::Inline { .. } => return,
        };
        pool::give(buf);
    }
}

/// One SP message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Msg {
    /// The SP header: backtrace and request/survey id, as on the wire.
    pub header: Vec<u8>,
    /// The payload.
    pub body: Body,
    /// Over ws, the frame type to send this message as (NN_WS_MSG_TYPE_TEXT
    /// or _BINARY); 0: the socket's NN_WS_MSG_TYPE.
    pub ws_type: u8,
}

impl Msg {
    /// A message with an empty header.
    pub fn new(body: Body) -> Msg {
        Msg { header: Vec::new(), body, ws_type: 0 }
    }

    /// A copy of this message whose body shares this one's bytes (see
    /// `Body::share`).
    pub fn share(&mut self) -> Msg {
        Msg { header: self.header.clone(), body: self.body.share(), ws_type: self.ws_type }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headroom_is_kept_out_of_the_bytes() {
        let long = [b'x'; INLINE + 1];
        let b = Body::copy_from(&long, 32).unwrap();
        assert_eq!((b.as_slice(), b.len()), (&long[..], INLINE + 1));
        let (buf, start) = b.into_parts();
        assert_eq!((buf.len(), start), (INLINE + 33, 32));
        let mut b = Body::from_parts(buf, 32 + INLINE - 1);
        assert_eq!(b.split_front(1), Some(b"x".to_vec()));
        assert_eq!(b.split_front(2), None);
        assert_eq!(b.as_slice(), b"x");
        let b = Body::from_parts(b.into_parts().0, 999);
        assert!(b.is_empty());
    }

    #[test]
    fn short_bodies_are_held_inline() {
        let mut b = Body::copy_from(b"hello", 32).unwrap();
        assert!(matches!(b.buf, Buffer::Inline { .. }));
        assert_eq!(b.split_front(1), Some(b"h".to_vec()));
        assert_eq!((b.as_slice(), b.len()), (&b"ello"[..], 4));
        let shared = b.share();
        assert_eq!(shared, b);
        assert_eq!(b.into_parts(), (b"ello".to_vec(), 0));
        let full = [7u8; INLINE];
        assert!(matches!(Body::copy_from(&full, 0).unwrap().buf, Buffer::Inline { .. }));
    }
}

#[cfg(test)]
mod share_tests {
    use super::*;

    #[test]
    fn shared_bodies_have_the_same_bytes_and_come_apart_on_demand() {
        let bytes = [b'f'; 2 * INLINE];
        let mut a = Body::copy_from(&bytes, 32).unwrap();
        let b = a.share();
        let c = a.share();
        assert_eq!(b.as_slice().as_ptr(), a.as_slice().as_ptr(), "no copy");
        assert_eq!((a.as_slice(), b.len()), (&bytes[..], 2 * INLINE));
        assert_eq!(b, c);
        let (buf, start) = b.into_parts();
        assert_eq!(&buf[start..], &bytes[..]);
        drop(a);
        let (buf, start) = c.into_parts();
        assert_eq!((&buf[start..], start), (&bytes[..], 32));
    }
}

#[cfg(test)]
mod pool_tests {
    use super::*;

    #[test]
    fn large_buffers_are_reused() {
        let a = Body::copy_from(&[7u8; 65536], 32).unwrap();
        let first = a.as_slice().as_ptr();
        drop(a);
        let b = Body::copy_from(&[8u8; 65536], 32).unwrap();
        assert_eq!(b.as_slice().as_ptr(), first);
    }

    #[test]
    fn small_buffers_come_in_classes_and_are_reused() {
        let a = pool::take(3000).unwrap();
        assert_eq!(a.capacity(), 4096);
        let first = a.as_ptr();
        pool::give(a);
        let b = pool::take(4000).unwrap();
        assert_eq!((b.as_ptr(), b.len()), (first, 0));
        let odd = Vec::with_capacity(3000);
        pool::give(odd);
        assert_eq!(pool::take(10).unwrap().capacity(), 128);
    }
}

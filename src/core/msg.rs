//! Messages: an SP header (request ids, backtrace) and a body.
//!
//! A body is one heap buffer whose bytes start at `start`; the bytes before
//! it are headroom. The FFI layer keeps its chunk header (the tag that
//! `nn_freemsg` checks) in that headroom, which is how a buffer from
//! `nn_allocmsg` becomes a message body, and a received body becomes an
//! NN_MSG chunk, without copying a byte.

/// The bytes of a message, with room reserved in front of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    buf: Vec<u8>,
    start: usize,
}

impl Body {
    /// A body of these bytes (copied), with `headroom` spare bytes in front.
    pub fn copy_from(bytes: &[u8], headroom: usize) -> Result<Body, std::collections::TryReserveError> {
        let mut buf = Vec::new();
        buf.try_reserve_exact(headroom + bytes.len())?;
        buf.resize(headroom, 0);
        buf.extend_from_slice(bytes);
        Ok(Body { buf, start: headroom })
    }

    /// A body over `buf`, whose message bytes start at `start`.
    /// `start` is clamped to the buffer's length.
    pub fn from_parts(buf: Vec<u8>, start: usize) -> Body {
        let start = start.min(buf.len());
        Body { buf, start }
    }

    /// The buffer and where the message bytes start in it.
    pub fn into_parts(self) -> (Vec<u8>, usize) {
        (self.buf, self.start)
    }

    /// The message bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Length of the message bytes.
    pub fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Whether the message has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One SP message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Msg {
    /// The SP header: backtrace and request/survey id, as on the wire.
    pub header: Vec<u8>,
    /// The payload.
    pub body: Body,
}

impl Msg {
    /// A message with an empty header.
    pub fn new(body: Body) -> Msg {
        Msg { header: Vec::new(), body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headroom_is_kept_out_of_the_bytes() {
        let b = Body::copy_from(b"hello", 32).unwrap();
        assert_eq!(b.as_slice(), b"hello");
        assert_eq!(b.len(), 5);
        let (buf, start) = b.into_parts();
        assert_eq!((buf.len(), start), (37, 32));
        let b = Body::from_parts(buf, 99);
        assert!(b.is_empty());
    }
}

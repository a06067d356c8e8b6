//! SP headers in front of a message's bytes (RFC sp-request-reply-01):
//! big-endian 32-bit words, the pipe ids that routers push (top bit clear)
//! and, last, the request or survey id (top bit set).
//!
//! On the wire the header is simply the front of the message. A message
//! from a stream transport arrives with all of it in the body; one from
//! inproc keeps the header its sender set. Both are read here as the wire
//! would carry them: header bytes, then body bytes.

use crate::core::msg::{Body, Msg};

/// The top bit, set on the word that ends a backtrace.
pub const END_OF_TRACE: u32 = 0x8000_0000;

/// Length of one backtrace word.
pub const WORD: usize = 4;

/// Byte `i` of the message as the wire carries it.
fn byte_at(msg: &Msg, i: usize) -> Option<u8> {
    match msg.header.get(i) {
        Some(b) => Some(*b),
        None => msg.body.as_slice().get(i - msg.header.len()).copied(),
    }
}

/// Word `k` of the message as the wire carries it.
fn word_at(msg: &Msg, k: usize) -> Option<u32> {
    let mut bytes = [0u8; WORD];
    for (j, b) in bytes.iter_mut().enumerate() {
        *b = byte_at(msg, k * WORD + j)?;
    }
    Some(u32::from_be_bytes(bytes))
}

/// Makes the header exactly the first `n` bytes of the message as the wire
/// carries it, the body the rest. False (and nothing moved) if it is
/// shorter than `n` or memory runs out.
fn make_header(msg: &mut Msg, n: usize) -> bool {
    let held = msg.header.len();
    if n >= held {
        return match msg.body.split_front(n - held) {
            Some(front) => {
                msg.header.extend_from_slice(&front);
                true
            }
            None => false,
        };
    }
    // A header longer than its backtrace (a raw sender's choice): the
    // surplus goes back in front of the body.
    let mut joined = msg.header[n..].to_vec();
    joined.extend_from_slice(msg.body.as_slice());
    match Body::copy_from(&joined, 0) {
        Ok(body) => {
            msg.header.truncate(n);
            msg.body = body;
            true
        }
        Err(_) => false,
    }
}

/// Splits a request's backtrace off into the header: the words up to and
/// including the first with the top bit set. False when there is no such
/// word within `max_hops` words (too many hops, or none at all): the
/// message is to be dropped.
pub fn split_backtrace(msg: &mut Msg, max_hops: usize) -> bool {
    for k in 0..max_hops {
        match word_at(msg, k) {
            None => return false,
            Some(w) if w & END_OF_TRACE != 0 => return make_header(msg, (k + 1) * WORD),
            Some(_) => {}
        }
    }
    false
}

/// Splits the first word off into the header and returns it (the id of
/// a reply or an answer, or, going back through a device, the pipe id the
/// device's router pushed); `None` when the message is shorter.
pub fn split_word(msg: &mut Msg) -> Option<u32> {
    let word = word_at(msg, 0)?;
    make_header(msg, WORD).then_some(word)
}

/// The first word of a header, if it has one.
pub fn first_word(header: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(header.get(..WORD)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(header: &[u8], body: &[u8]) -> Msg {
        Msg { header: header.to_vec(), body: Body::copy_from(body, 8).unwrap(), ws_type: 0 }
    }

    const TRACE: [u8; 12] = [0, 0, 0, 7, 0, 0, 0, 9, 0x80, 0, 0, 1];

    #[test]
    fn backtrace_from_the_body_or_the_header() {
        let mut wire = TRACE.to_vec();
        wire.extend_from_slice(b"payload");
        let mut m = msg(&[], &wire);
        assert!(split_backtrace(&mut m, 8));
        assert_eq!((&m.header[..], m.body.as_slice()), (&TRACE[..], &b"payload"[..]));
        // Already split (inproc), split again, or split across both parts.
        for cut in [0, 5, 12] {
            let mut m = msg(&TRACE[..cut], &wire[cut..]);
            assert!(split_backtrace(&mut m, 8), "cut {cut}");
            assert_eq!((&m.header[..], m.body.as_slice()), (&TRACE[..], &b"payload"[..]));
        }
        // A header longer than its backtrace gives the rest back.
        let mut m = msg(&wire[..14], &wire[14..]);
        assert!(split_backtrace(&mut m, 8));
        assert_eq!((&m.header[..], m.body.as_slice()), (&TRACE[..], &b"payload"[..]));
    }

    #[test]
    fn too_deep_or_unterminated_traces_are_refused() {
        assert!(!split_backtrace(&mut msg(&[], &TRACE), 2));
        assert!(split_backtrace(&mut msg(&[], &TRACE), 3));
        assert!(!split_backtrace(&mut msg(&[], &TRACE[..8]), 8));
        assert!(!split_backtrace(&mut msg(&[], &[0x80, 0, 0]), 8));
        assert!(!split_backtrace(&mut msg(&[], &[]), 8));
    }

    #[test]
    fn ids() {
        let mut m = msg(&[], &[0x80, 0, 0, 5, b'x']);
        assert_eq!(split_word(&mut m), Some(0x8000_0005));
        assert_eq!((&m.header[..], m.body.as_slice()), (&[0x80, 0, 0, 5][..], &b"x"[..]));
        assert_eq!(split_word(&mut msg(&[], &[0, 0, 0, 5])), Some(5));
        assert_eq!(split_word(&mut msg(&[], &[0x80])), None);
        assert_eq!(first_word(&[0, 0, 1, 0, 9]), Some(256));
        assert_eq!(first_word(&[0, 0, 1]), None);
    }
}

//! Turns the bytes of a WebSocket connection into SP messages: frame
//! headers checked for the side we are on (a server takes only masked
//! frames, a client only unmasked ones), fragments put back together,
//! control frames reported, text checked for UTF-8, sizes held to
//! NN_RCVMAXSIZE. Every violation is the close code to send before the
//! connection drops.
//!
//! Large payloads need not pass through the caller's read buffer: `next`
//! says when a frame's payload should be read straight into its own
//! buffer, which then goes to `payload`.

use super::ws_frame::{self, Header, BINARY, CLOSE, CONTINUATION, INVALID_DATA, PING, PROTOCOL_ERROR, TEXT, TOO_BIG};

/// What a decoded frame means to the connection.
#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// A whole message: its bytes start `headroom` bytes into the buffer.
    Message(Vec<u8>),
    /// A ping, to be answered with a pong carrying this payload.
    Ping(Vec<u8>),
    /// The peer closes, with this status code (1005 when it gave none).
    Close(u16),
}

/// What `next` found at the start of the buffer.
#[derive(Debug, PartialEq, Eq)]
pub enum Progress {
    /// A whole frame of this many bytes was taken (and maybe an event).
    Took(usize),
    /// More bytes are needed.
    NeedMore,
    /// A frame whose large payload is not all there yet: take its header's
    /// `size` bytes, read the payload (`len` bytes, the first ones already
    /// after the header) into a buffer of your own, then call `payload`.
    ReadPayload(Header),
}

/// Decoding state of one connection.
#[derive(Debug)]
pub struct Decoder {
    /// Frames must come masked (we are the server).
    expect_masked: bool,
    /// Longest message accepted (`None`: no limit).
    max: Option<u64>,
    /// Bytes reserved in front of each message.
    headroom: usize,
    /// Payloads at least this large are read straight into their buffer.
    direct_from: u64,
    /// A fragmented message so far: its opcode and bytes (headroom first).
    fragments: Option<(u8, Vec<u8>)>,
}

impl Decoder {
    /// A decoder for a server (`expect_masked`) or a client connection.
    pub fn new(expect_masked: bool, max: Option<u64>, headroom: usize, direct_from: u64) -> Decoder {
        Decoder { expect_masked, max, headroom, direct_from, fragments: None }
    }

    /// Looks at the frame at the start of `buf`; a complete small one is
    /// decoded at once, its event (if any) pushed to `events`.
    pub fn next(&mut self, buf: &[u8], events: &mut Vec<Event>) -> Result<Progress, u16> {
        let Some(header) = ws_frame::parse_header(buf)? else { return Ok(Progress::NeedMore) };
        self.check(&header)?;
        let have = (buf.len() - header.size) as u64;
        if have < header.len {
            return Ok(if header.len >= self.direct_from { Progress::ReadPayload(header) } else { Progress::NeedMore });
        }
        let len = header.len as usize;
        let mut payload = Vec::with_capacity(self.headroom + len);
        payload.resize(self.headroom, 0);
        payload.extend_from_slice(&buf[header.size..header.size + len]);
        self.payload(&header, payload, events)?;
        Ok(Progress::Took(header.size + len))
    }

    /// Whether a frame may come now, and fits.
    fn check(&self, header: &Header) -> Result<(), u16> {
        if header.mask.is_some() != self.expect_masked {
            return Err(PROTOCOL_ERROR);
        }
        if header.is_control() {
            return Ok(());
        }
        let so_far = match (&self.fragments, header.opcode) {
            (None, CONTINUATION) | (Some(_), TEXT | BINARY) => return Err(PROTOCOL_ERROR),
            (Some((_, bytes)), _) => (bytes.len() - self.headroom) as u64,
            (None, _) => 0,
        };
        match self.max {
            Some(max) if so_far.saturating_add(header.len) > max => Err(TOO_BIG),
            _ => Ok(()),
        }
    }

    /// Takes a frame's payload (after `headroom` bytes of `payload`, still
    /// masked as it came) and pushes what it completes.
    pub fn payload(&mut self, header: &Header, mut payload: Vec<u8>, events: &mut Vec<Event>) -> Result<(), u16> {
        if let Some(key) = header.mask {
            ws_frame::apply_mask(&mut payload[self.headroom..], key, 0);
        }
        match header.opcode {
            PING => events.push(Event::Ping(payload.split_off(self.headroom))),
            CLOSE => {
                let bytes = &payload[self.headroom..];
                let code = match bytes {
                    [] => 1005,
                    [a, b, ..] => u16::from_be_bytes([*a, *b]),
                    [_] => return Err(PROTOCOL_ERROR),
                };
                events.push(Event::Close(code));
            }
            CONTINUATION => {
                let (_, bytes) = self.fragments.as_mut().ok_or(PROTOCOL_ERROR)?;
                bytes.extend_from_slice(&payload[self.headroom..]);
                if header.fin {
                    let (opcode, bytes) = self.fragments.take().ok_or(PROTOCOL_ERROR)?;
                    events.push(self.message(opcode, bytes)?);
                }
            }
            TEXT | BINARY if header.fin => events.push(self.message(header.opcode, payload)?),
            TEXT | BINARY => self.fragments = Some((header.opcode, payload)),
            // A pong needs nothing.
            _ => {}
        }
        Ok(())
    }

    /// A complete message; text must be UTF-8.
    fn message(&self, opcode: u8, bytes: Vec<u8>) -> Result<Event, u16> {
        if opcode == TEXT && std::str::from_utf8(&bytes[self.headroom..]).is_err() {
            return Err(INVALID_DATA);
        }
        Ok(Event::Message(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ws_frame::{encode_header, PONG};

    const KEY: [u8; 4] = [9, 8, 7, 6];

    /// A frame as a client sends it (masked).
    fn frame(fin: bool, opcode: u8, payload: &[u8]) -> Vec<u8> {
        let (h, n) = encode_header(fin, opcode, payload.len() as u64, Some(KEY));
        let mut body = payload.to_vec();
        ws_frame::apply_mask(&mut body, KEY, 0);
        [&h[..n], &body].concat()
    }

    fn server() -> Decoder {
        Decoder::new(true, Some(100), 2, 50)
    }

    /// Decodes all of `bytes`, which must hold whole frames.
    fn decode(d: &mut Decoder, bytes: &[u8]) -> Result<Vec<Event>, u16> {
        let mut events = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            match d.next(&bytes[at..], &mut events)? {
                Progress::Took(n) => at += n,
                other => panic!("{other:?}"),
            }
        }
        Ok(events)
    }

    #[test]
    fn messages_fragments_and_control_frames() {
        let mut d = server();
        let bytes = [
            frame(true, BINARY, b"one"),
            frame(false, TEXT, "tw".as_bytes()),
            frame(true, PING, b"p"),
            frame(false, CONTINUATION, "o ".as_bytes()),
            frame(true, PONG, b""),
            frame(true, CONTINUATION, "é".as_bytes()),
            frame(true, CLOSE, &1000u16.to_be_bytes()),
            frame(true, CLOSE, b""),
        ]
        .concat();
        let events = decode(&mut d, &bytes).unwrap();
        assert_eq!(
            events,
            [
                Event::Message(b"\0\0one".to_vec()),
                Event::Ping(b"p".to_vec()),
                Event::Message([&b"\0\0"[..], "two é".as_bytes()].concat()),
                Event::Close(1000),
                Event::Close(1005),
            ]
        );
        assert_eq!(d.next(&bytes[..1], &mut Vec::new()), Ok(Progress::NeedMore));
    }

    #[test]
    fn violations_earn_their_close_code() {
        let bad = |bytes: Vec<u8>| decode(&mut server(), &bytes).unwrap_err();
        let (h, n) = encode_header(true, BINARY, 3, None);
        assert_eq!(bad([&h[..n], b"abc"].concat()), PROTOCOL_ERROR, "unmasked from a client");
        assert_eq!(bad(frame(true, CONTINUATION, b"x")), PROTOCOL_ERROR, "continues nothing");
        assert_eq!(bad([frame(false, BINARY, b"x"), frame(true, BINARY, b"y")].concat()), PROTOCOL_ERROR);
        assert_eq!(bad(frame(true, TEXT, &[0xC3, 0x28])), INVALID_DATA);
        assert_eq!(bad(frame(true, BINARY, &[0; 101])), TOO_BIG);
        assert_eq!(bad([frame(false, BINARY, &[0; 60]), frame(true, CONTINUATION, &[0; 41])].concat()), TOO_BIG);
        assert_eq!(bad(frame(true, CLOSE, b"x")), PROTOCOL_ERROR, "a one-byte close");
        let mut client = Decoder::new(false, None, 0, 50);
        assert_eq!(client.next(&frame(true, BINARY, b"x"), &mut Vec::new()), Err(PROTOCOL_ERROR), "masked from a server");
    }

    #[test]
    fn large_payloads_are_read_directly() {
        let mut d = server();
        let big = frame(true, BINARY, &[5; 80]);
        let Ok(Progress::ReadPayload(h)) = d.next(&big[..20], &mut Vec::new()) else { panic!() };
        assert_eq!((h.len, h.size), (80, 6));
        let mut payload = vec![0, 0];
        payload.extend_from_slice(&big[h.size..]);
        let mut events = Vec::new();
        d.payload(&h, payload, &mut events).unwrap();
        assert_eq!(events, [Event::Message([&[0u8, 0][..], &[5; 80]].concat())]);
        // Small frames wait for their bytes instead.
        let small = frame(true, BINARY, &[5; 40]);
        assert_eq!(d.next(&small[..20], &mut Vec::new()), Ok(Progress::NeedMore));
    }
}

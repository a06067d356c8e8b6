//! What the WebSocket benches share: streams of frames as a peer sends
//! them, an in-memory connection to read them from, and nnrs's read and
//! write paths over the public codec, step for step as
//! `src/transport/stream.rs` and `src/transport/stream/ws.rs` drive it
//! (only the syscalls are replaced by copies from and to memory).

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{self, Read, Write};

use nanomsg::core::msg::{pool, Body, Msg};
use nanomsg::wire::ws_decoder::{Decoder, Event, Progress};
use nanomsg::wire::ws_frame::{apply_mask, encode_header, Header, BINARY};

/// Bytes kept in front of a received message (`stream.rs` HEADROOM).
pub const HEADROOM: usize = 32;
/// Size of a connection's read buffer (`stream.rs` READ_BUF).
pub const READ_BUF: usize = 64 * 1024;
/// Payloads at least this large are read straight into their buffer.
pub const DIRECT_READ: usize = 16 * 1024;
/// Read size after a large frame (`stream.rs` SMALL_READ).
pub const SMALL_READ: usize = 4096;
/// NN_RCVMAXSIZE's default.
pub const RCV_MAX: u64 = 1024 * 1024;

/// The payload sizes compared, with their labels.
pub const SIZES: [(usize, &str); 3] = [(64, "64B"), (1024, "1KiB"), (64 * 1024, "64KiB")];

/// Frames per stream: enough for a stream of a few hundred KiB at least.
pub fn frames_for(size: usize) -> usize {
    match size {
        0..=256 => 1000,
        257..=4096 => 256,
        _ => 16,
    }
}

/// xorshift64, for masking keys and payload bytes.
pub fn xorshift(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

/// A payload of `len` bytes that are not all alike.
pub fn payload(len: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15;
    (0..len).map(|_| xorshift(&mut state) as u8).collect()
}

/// `n` whole binary frames of `size` bytes each: masked with a fresh key
/// each (as a client sends them, a server receives them) or not (as a
/// server sends them, a client receives them).
pub fn frame_stream(size: usize, n: usize, masked: bool) -> Vec<u8> {
    let body = payload(size);
    let mut state = 0x2545_F491_4F6C_DD1D;
    let mut out = Vec::with_capacity(n * (size + 14));
    for _ in 0..n {
        let mask = masked.then(|| (xorshift(&mut state) as u32).to_ne_bytes());
        let (h, len) = encode_header(true, BINARY, size as u64, mask);
        out.extend_from_slice(&h[..len]);
        let at = out.len();
        out.extend_from_slice(&body);
        if let Some(key) = mask {
            apply_mask(&mut out[at..], key, 0);
        }
    }
    out
}

/// An in-memory connection: reads come from `input` (each read a copy, as
/// the kernel's would be), writes go to `output`.
#[derive(Debug, Default)]
pub struct Wire {
    pub input: Vec<u8>,
    pub pos: usize,
    pub output: Vec<u8>,
}

impl Wire {
    /// A connection whose peer sent `input`.
    pub fn new(input: Vec<u8>) -> Wire {
        Wire { input, pos: 0, output: Vec::new() }
    }

    /// Back to the first byte received; what was written is forgotten.
    pub fn rewind(&mut self) {
        self.pos = 0;
        self.output.clear();
    }

    /// Reads into the spare capacity of `body`, as nnrs's direct reads do
    /// (`read(fd, spare_capacity(body))`): one copy, nothing zeroed.
    pub fn read_spare(&mut self, body: &mut Vec<u8>) -> usize {
        let n = (body.capacity() - body.len()).min(self.input.len() - self.pos);
        body.extend_from_slice(&self.input[self.pos..self.pos + n]);
        self.pos += n;
        n
    }
}

impl Read for Wire {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.input.len() - self.pos);
        buf[..n].copy_from_slice(&self.input[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl Write for Wire {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.output.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The receiving half of an nnrs ws connection: `stream.rs`'s `Input`,
/// `read_some` and `decode_ws`, without the socket and the syscalls.
pub struct Reader {
    buf: Vec<u8>,
    start: usize,
    end: usize,
    large: bool,
    partial: Option<(Vec<u8>, usize)>,
    partial_frame: Option<Header>,
    decoder: Decoder,
    /// Decoded messages not handed over yet.
    pub ready: VecDeque<Msg>,
    /// Bytes copied in user space (from the read buffer into a message,
    /// within the read buffer, back from a message buffer), not counting
    /// the reads from the wire.
    pub copied: u64,
}

impl Reader {
    /// A server's connection (frames come masked) or a client's.
    pub fn new(server: bool) -> Reader {
        Reader {
            buf: Vec::new(),
            start: 0,
            end: 0,
            large: false,
            partial: None,
            partial_frame: None,
            decoder: Decoder::new(server, Some(RCV_MAX), HEADROOM, DIRECT_READ as u64),
            ready: VecDeque::new(),
            copied: 0,
        }
    }

    /// Reads and decodes all `wire` holds; every message goes to `deliver`
    /// after each read (as the connection hands its messages to the
    /// socket). Returns the messages delivered.
    pub fn drain(&mut self, wire: &mut Wire, mut deliver: impl FnMut(Msg)) -> usize {
        let mut count = 0;
        while self.read_some(wire) {
            for msg in self.ready.drain(..) {
                deliver(msg);
                count += 1;
            }
        }
        count
    }

    /// One read and the frames it completes; false at the end of input.
    fn read_some(&mut self, wire: &mut Wire) -> bool {
        if let Some((body, full)) = self.partial.as_mut() {
            let full = *full;
            if wire.read_spare(body) == 0 {
                return false;
            }
            if body.len() >= full {
                let (mut body, _) = self.partial.take().expect("partial read");
                let excess = body.len() - full;
                if self.buf.len() < excess {
                    self.buf.resize(excess, 0);
                }
                self.buf[..excess].copy_from_slice(&body[full..]);
                self.copied += excess as u64;
                body.truncate(full);
                self.start = 0;
                self.end = excess;
                let frame = self.partial_frame.take().expect("partial frame");
                let mut events = Vec::new();
                self.decoder.payload(&frame, body, &mut events).expect("valid frame");
                self.events(events);
                self.decode();
            }
            return true;
        }
        if self.buf.len() < READ_BUF {
            self.buf.resize(READ_BUF, 0);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.copied += (self.end - self.start) as u64;
            self.end -= self.start;
            self.start = 0;
        }
        let limit = if self.large { SMALL_READ } else { READ_BUF };
        let to = (self.end + limit).min(self.buf.len());
        let n = wire.read(&mut self.buf[self.end..to]).expect("in memory");
        if n == 0 {
            return false;
        }
        self.end += n;
        self.decode();
        true
    }

    /// Every complete frame in the buffer; a direct read for a large one.
    fn decode(&mut self) {
        loop {
            // As in `decode_ws`: a fresh event list per frame.
            let mut events = Vec::new();
            match self.decoder.next(&self.buf[self.start..self.end], &mut events).expect("valid frame") {
                Progress::NeedMore => return,
                Progress::Took(n) => {
                    self.start += n;
                    self.large = false;
                    // The Decoder copied the payload into the message.
                    for event in &events {
                        if let Event::Message(bytes) = event {
                            self.copied += (bytes.len() - HEADROOM) as u64;
                        }
                    }
                    self.events(events);
                }
                Progress::ReadPayload(frame) => {
                    let full = frame.len as usize + HEADROOM;
                    let mut body = pool::take(full).expect("memory");
                    body.resize(HEADROOM, 0);
                    body.extend_from_slice(&self.buf[self.start + frame.size..self.end]);
                    self.copied += (self.end - self.start - frame.size) as u64;
                    self.partial = Some((body, full));
                    self.partial_frame = Some(frame);
                    self.start = self.end;
                    self.large = true;
                    return;
                }
            }
        }
    }

    fn events(&mut self, events: Vec<Event>) {
        for event in events {
            if let Event::Message(bytes) = event {
                self.ready.push_back(Msg::new(Body::from_parts(bytes, HEADROOM)));
            }
        }
    }
}

/// The sending half of an nnrs ws connection: `ws_frame` and the write of
/// its frame (one `writev` of the header and the body, here two copies
/// into `wire`). A client masks a copy of the message.
pub fn send_frame(wire: &mut Wire, body: &[u8], mask_state: Option<&mut u64>) {
    let mask = mask_state.map(|s| (xorshift(s) as u32).to_ne_bytes());
    let (prefix, n) = encode_header(true, BINARY, body.len() as u64, mask);
    match mask {
        None => {
            wire.output.extend_from_slice(&prefix[..n]);
            wire.output.extend_from_slice(body);
        }
        Some(key) => {
            // `msg.header.clone()` then the body, as `ws_frame` builds it.
            let mut bytes: Vec<u8> = Vec::new();
            bytes.extend_from_slice(body);
            apply_mask(&mut bytes, key, 0);
            wire.output.extend_from_slice(&prefix[..n]);
            wire.output.extend_from_slice(&bytes);
        }
    }
}

//! Targets for WebSocket framing (`nanomsg::wire::ws_frame`,
//! `nanomsg::wire::ws_decoder`): single headers and masking, and whole
//! byte streams fed to a connection's decoder in arbitrary pieces.

use nanomsg::wire::ws_decoder::{Decoder, Event, Progress};
use nanomsg::wire::ws_frame::{
    apply_mask, encode_header, parse_header, Header, INVALID_DATA, MAX_CONTROL, MAX_HEADER, PROTOCOL_ERROR, TOO_BIG,
};

use super::harness::{Rng, Target};

const DICTIONARY: &[&[u8]] = &[
    b"\x82\x80\x01\x02\x03\x04",
    b"\x02\x00",
    b"\x80\x00",
    b"\x89\x00",
    b"\x88\x02\x03\xe8",
    b"\x82\x7e\x00\x80",
    b"\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00",
    b"\xc3\x28",
];

/// One frame header (and masking).
pub const HEADER: Target = Target { name: "ws_header", run: run_header, dictionary: DICTIONARY, cost: 1 };
/// What a server reads from a client: masked frames.
pub const SERVER: Target = Target { name: "ws_server_stream", run: run_server, dictionary: DICTIONARY, cost: 2 };
/// What a client reads from a server: unmasked frames.
pub const CLIENT: Target = Target { name: "ws_client_stream", run: run_client, dictionary: DICTIONARY, cost: 2 };

fn run_header(input: &[u8]) {
    match parse_header(input) {
        Ok(None) => assert!(input.len() < MAX_HEADER, "a whole header unread"),
        Ok(Some(h)) => check_header(input, &h),
        Err(code) => assert_eq!(code, PROTOCOL_ERROR),
    }
    masking(input);
}

/// A header is what its bytes say, no longer than given, and the same
/// header re-encoded reads back alike.
fn check_header(input: &[u8], h: &Header) {
    assert!(h.size <= input.len() && h.size <= MAX_HEADER, "header of {} from {} bytes", h.size, input.len());
    let width = match input[1] & 0x7F {
        126 => 4,
        127 => 10,
        _ => 2,
    };
    assert_eq!(h.size, width + if h.mask.is_some() { 4 } else { 0 });
    assert_eq!((h.fin, h.opcode, h.mask.is_some()), (input[0] & 0x80 != 0, input[0] & 0x0F, input[1] & 0x80 != 0));
    assert!(!h.is_control() || (h.fin && h.len <= MAX_CONTROL));
    assert_eq!(parse_header(&input[..h.size]), Ok(Some(*h)), "the bytes after the header mattered");
    assert_eq!(parse_header(&input[..h.size - 1]), Ok(None), "a header cut short was not incomplete");
    let (bytes, size) = encode_header(h.fin, h.opcode, h.len, h.mask);
    let again = parse_header(&bytes[..size]).expect("our own header").expect("complete");
    assert_eq!((again.fin, again.opcode, again.mask, again.len), (h.fin, h.opcode, h.mask, h.len));
}

/// Masking in pieces at any offset equals masking byte by byte, and twice
/// gives the bytes back.
fn masking(input: &[u8]) {
    let mut rng = Rng::from_input(input);
    let key = [rng.byte(), rng.byte(), rng.byte(), rng.byte()];
    let offset = rng.below(8);
    let expect: Vec<u8> = input.iter().enumerate().map(|(i, b)| b ^ key[(offset + i) % 4]).collect();
    let mut data = input.to_vec();
    let cut = rng.below(input.len() + 1);
    let (front, back) = data.split_at_mut(cut);
    apply_mask(front, key, offset);
    apply_mask(back, key, offset + cut);
    assert_eq!(data, expect, "masking at offset {offset}, cut {cut}");
    apply_mask(&mut data, key, offset);
    assert_eq!(data, input);
}

fn run_server(input: &[u8]) {
    run_stream(input, true);
}

fn run_client(input: &[u8]) {
    run_stream(input, false);
}

/// How a decoding run ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// Every byte made whole frames.
    Clean,
    /// The bytes stop inside a frame.
    Incomplete,
    /// The decoder refused the stream with this close code.
    Closed(u16),
}

/// Limits of one decoder, chosen from the input.
#[derive(Debug, Clone, Copy)]
struct Limits {
    max: Option<u64>,
    headroom: usize,
    direct_from: u64,
}

/// Decodes the stream whole and in random pieces (with payloads read
/// directly, as the transport does): both must give the same messages and
/// the same end, and every event must fit the limits.
fn run_stream(input: &[u8], server: bool) {
    let mut rng = Rng::from_input(input);
    for max in [None, Some(rng.below(300) as u64)] {
        let limits = Limits { max, headroom: rng.below(17), direct_from: u64::MAX };
        let whole = decode_whole(input, server, limits);
        let chunked_limits = Limits { direct_from: rng.below(200) as u64, ..limits };
        let chunked = decode_chunked(input, server, chunked_limits, &mut rng);
        assert_eq!(whole, chunked, "whole and chunked decoding differ ({limits:?})");
        check_events(&whole.0, limits);
        if let End::Closed(code) = whole.1 {
            assert!([PROTOCOL_ERROR, INVALID_DATA, TOO_BIG].contains(&code), "close code {code}");
        }
    }
}

/// Messages fit NN_RCVMAXSIZE and keep their headroom; pings are small.
fn check_events(events: &[Event], limits: Limits) {
    for event in events {
        match event {
            Event::Message(bytes) => {
                assert!(bytes.len() >= limits.headroom && bytes[..limits.headroom].iter().all(|&b| b == 0));
                let len = (bytes.len() - limits.headroom) as u64;
                assert!(limits.max.is_none_or(|max| len <= max), "message of {len} over {limits:?}");
            }
            Event::Ping(payload) => assert!(payload.len() as u64 <= MAX_CONTROL),
            Event::Close(_) => {}
        }
    }
}

fn decoder(server: bool, limits: Limits) -> Decoder {
    Decoder::new(server, limits.max, limits.headroom, limits.direct_from)
}

/// The stream all in one buffer, payloads never read directly.
fn decode_whole(input: &[u8], server: bool, limits: Limits) -> (Vec<Event>, End) {
    let mut d = decoder(server, limits);
    let mut events = Vec::new();
    let mut at = 0;
    loop {
        if at == input.len() {
            return (events, End::Clean);
        }
        match d.next(&input[at..], &mut events) {
            Ok(Progress::Took(n)) => at += took(&input[at..], n),
            Ok(Progress::NeedMore) => return (events, End::Incomplete),
            Ok(Progress::ReadPayload(h)) => panic!("a direct read of {h:?} was never asked for"),
            Err(code) => return (events, End::Closed(code)),
        }
    }
}

/// Checks a `Took`: a whole frame, exactly as long as its header says.
fn took(buf: &[u8], n: usize) -> usize {
    let h = parse_header(buf).expect("taken, yet malformed").expect("taken, yet incomplete");
    assert_eq!(n as u64, h.size as u64 + h.len, "took {n} bytes of a frame of {h:?}");
    assert!(n <= buf.len(), "took {n} of {} bytes", buf.len());
    n
}

/// The stream as a connection reads it: pieces of random sizes, and large
/// payloads read into their own buffer and handed to `payload`.
fn decode_chunked(input: &[u8], server: bool, limits: Limits, rng: &mut Rng) -> (Vec<Event>, End) {
    let mut d = decoder(server, limits);
    let mut events = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    let mut rest = input;
    loop {
        match d.next(&buf, &mut events) {
            Ok(Progress::Took(n)) => {
                buf.drain(..took(&buf, n));
            }
            Ok(Progress::NeedMore) => {
                if rest.is_empty() {
                    let end = if buf.is_empty() { End::Clean } else { End::Incomplete };
                    return (events, end);
                }
                let piece = if rng.one_in(4) { 4096 } else { 16 };
                let n = 1 + rng.below(rest.len().min(piece));
                buf.extend_from_slice(&rest[..n]);
                rest = &rest[n..];
            }
            Ok(Progress::ReadPayload(h)) => {
                let Some(payload) = read_payload(&h, &mut buf, &mut rest, limits) else {
                    return (events, End::Incomplete);
                };
                if let Err(code) = d.payload(&h, payload, &mut events) {
                    return (events, End::Closed(code));
                }
            }
            Err(code) => return (events, End::Closed(code)),
        }
    }
}

/// A direct read: the payload after the header, from the buffer then the
/// rest of the stream. `None` if the stream ends first.
fn read_payload(h: &Header, buf: &mut Vec<u8>, rest: &mut &[u8], limits: Limits) -> Option<Vec<u8>> {
    assert!(h.len >= limits.direct_from, "direct read of {} under {}", h.len, limits.direct_from);
    assert!(h.size <= buf.len() && ((buf.len() - h.size) as u64) < h.len, "direct read of a frame all there");
    // Control frames are held to 125 bytes, not to NN_RCVMAXSIZE.
    assert!(h.is_control() || limits.max.is_none_or(|max| h.len <= max), "direct read over the limit");
    let have = (buf.len() - h.size) as u64;
    let missing = usize::try_from(h.len - have).ok().filter(|&m| m <= rest.len())?;
    let mut payload = vec![0u8; limits.headroom];
    payload.extend_from_slice(&buf[h.size..]);
    payload.extend_from_slice(&rest[..missing]);
    *rest = &rest[missing..];
    buf.clear();
    Some(payload)
}

//! Targets for the tcp and ipc wire: the SP handshake and the frame
//! prefixes (`nanomsg::wire::sp`, `nanomsg::wire::frame`). An input is
//! what a peer sends on a fresh connection: its handshake, then frames.

use nanomsg::wire::frame::{FrameError, Framing};
use nanomsg::wire::sp::{check_handshake, handshake, HandshakeError, HANDSHAKE_LEN};

use super::harness::{Rng, Target};

/// Every SP protocol number (PAIR … BUS), and one nobody uses.
const PROTOCOLS: [u16; 11] = [16, 32, 33, 48, 49, 80, 81, 98, 99, 112, 0xFFFF];

const DICTIONARY: &[&[u8]] = &[b"\x00SP\x00", b"\x00\x00\x00\x00\x00\x00\x00", b"\x01", b"\x80\x00\x00\x01"];

/// The handshake alone.
pub const HANDSHAKE: Target = Target { name: "sp_handshake", run: run_handshake, dictionary: DICTIONARY, cost: 1 };
/// A tcp connection's bytes.
pub const TCP: Target = Target { name: "tcp_stream", run: run_tcp, dictionary: DICTIONARY, cost: 1 };
/// An ipc connection's bytes.
pub const IPC: Target = Target { name: "ipc_stream", run: run_ipc, dictionary: DICTIONARY, cost: 1 };

/// Checks the first eight bytes (zero-padded) against every protocol.
fn run_handshake(input: &[u8]) {
    let mut header = [0u8; HANDSHAKE_LEN];
    let n = input.len().min(HANDSHAKE_LEN);
    header[..n].copy_from_slice(&input[..n]);
    for expected in PROTOCOLS {
        check_one(&header, expected);
    }
}

/// The answer must be exactly what the RFC says, and our own header for
/// the protocol must always pass.
fn check_one(header: &[u8; HANDSHAKE_LEN], expected: u16) {
    let got = check_handshake(header, expected);
    let protocol = u16::from_be_bytes([header[4], header[5]]);
    let want = if header[..4] != [0, b'S', b'P', 0] {
        Err(HandshakeError::NotSp)
    } else if protocol != expected {
        Err(HandshakeError::WrongProtocol(protocol))
    } else {
        Ok(())
    };
    assert_eq!(got, want, "handshake {header:02x?} for {expected}");
    assert_eq!(check_handshake(&handshake(expected), expected), Ok(()));
}

fn run_tcp(input: &[u8]) {
    run_stream(input, Framing::Tcp);
}

fn run_ipc(input: &[u8]) {
    run_stream(input, Framing::Ipc);
}

/// The handshake, then frames, read as a connection would: without a
/// limit and with one chosen from the input.
fn run_stream(input: &[u8], framing: Framing) {
    run_handshake(input);
    let frames = input.get(HANDSHAKE_LEN..).unwrap_or_default();
    let mut rng = Rng::from_input(input);
    let limit = match rng.below(3) {
        0 => rng.next_u64() % 4096,
        1 => rng.next_u64(),
        _ => 1024 * 1024,
    };
    for max in [None, Some(limit)] {
        read_frames(frames, framing, max);
    }
}

/// Walks the frames: each prefix is parsed exactly as specified, and no
/// step claims bytes that are not there.
fn read_frames(mut bytes: &[u8], framing: Framing, max: Option<u64>) {
    loop {
        let parsed = framing.parse_prefix(bytes, max);
        check_prefix(bytes, framing, max, parsed);
        let Ok(Some(len)) = parsed else { return };
        let n = framing.prefix_len();
        let Some(end) = usize::try_from(len).ok().and_then(|len| n.checked_add(len)) else { return };
        if end > bytes.len() {
            return; // a frame cut short: the reader waits for more
        }
        bytes = &bytes[end..];
    }
}

/// What parse_prefix must have said about `bytes`.
fn check_prefix(bytes: &[u8], framing: Framing, max: Option<u64>, parsed: Result<Option<u64>, FrameError>) {
    let n = framing.prefix_len();
    let bad_type = framing == Framing::Ipc && bytes.first().is_some_and(|&b| b != 1);
    let want = if bad_type {
        Err(FrameError::BadType(bytes[0]))
    } else if bytes.len() < n {
        Ok(None)
    } else {
        let len = u64::from_be_bytes(bytes[n - 8..n].try_into().expect("8 bytes"));
        match max {
            Some(max) if len > max => Err(FrameError::TooLarge(len)),
            _ => Ok(Some(len)),
        }
    };
    assert_eq!(parsed, want, "{framing:?} prefix of {:02x?} (max {max:?})", &bytes[..bytes.len().min(n)]);
    if let Ok(Some(len)) = parsed {
        // What we would send for that length reads back the same.
        let prefix = framing.prefix(len);
        assert_eq!(framing.parse_prefix(&prefix[..n], None), Ok(Some(len)));
        assert_eq!(&prefix[..n], &bytes[..n]);
    }
}

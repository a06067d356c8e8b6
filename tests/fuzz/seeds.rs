//! How the committed seed corpus (`fuzz/corpus/<target>/`) was made: real,
//! valid inputs built with the library's own encoders. Regenerate with
//! `cargo test --release --test fuzz -- --ignored write_corpus`.

use std::path::Path;

use nanomsg::wire::frame::Framing;
use nanomsg::wire::sp::handshake;
use nanomsg::wire::ws_frame::{apply_mask, encode_header, BINARY, CLOSE, CONTINUATION, PING, PONG, TEXT};
use nanomsg::wire::ws_http::{accept_response, client_request, Request};

use super::ws_http::{KEY, PROTOCOL};

/// Every SP protocol number.
const PROTOCOLS: [u16; 10] = [16, 32, 33, 48, 49, 80, 81, 98, 99, 112];

/// SP messages as the wire carries them.
fn messages() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("request", [&[0x80, 0, 0, 1][..], b"ping"].concat()),
        ("request-2-hops", [&[0, 0, 0, 7, 0, 0, 0, 9, 0x80, 0, 0, 0x2a][..], b"through a device"].concat()),
        ("request-8-hops", [[0, 0, 0, 3].repeat(7), vec![0xff, 0xff, 0xff, 0xff], b"deep".to_vec()].concat()),
        ("reply-empty", vec![0x80, 0x12, 0x34, 0x56]),
        ("survey-answer", [&[0xc0, 0, 0, 5][..], b"yes"].concat()),
        ("topic", b"weather.paris 21C".to_vec()),
        ("empty", Vec::new()),
    ]
}

fn frames(framing: Framing, protocol: u16, bodies: &[&[u8]]) -> Vec<u8> {
    let mut out = handshake(protocol).to_vec();
    for body in bodies {
        out.extend_from_slice(&framing.prefix(body.len() as u64)[..framing.prefix_len()]);
        out.extend_from_slice(body);
    }
    out
}

fn streams(framing: Framing) -> Vec<(&'static str, Vec<u8>)> {
    let request = [&[0x80, 0, 0, 1][..], b"ping"].concat();
    let big = vec![0x5a; 300];
    vec![
        ("handshake-only", frames(framing, 48, &[])),
        ("one-request", frames(framing, 48, &[&request])),
        ("empty-message", frames(framing, 16, &[b""])),
        ("three-messages", frames(framing, 16, &[b"one", b"two", b"three"])),
        ("large-message", frames(framing, 80, &[&big])),
    ]
}

/// One WebSocket frame; masked frames are what clients send.
fn ws_frame(fin: bool, opcode: u8, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let (header, n) = encode_header(fin, opcode, payload.len() as u64, mask);
    let mut body = payload.to_vec();
    if let Some(key) = mask {
        apply_mask(&mut body, key, 0);
    }
    [&header[..n], &body].concat()
}

fn ws_streams(mask: Option<[u8; 4]>) -> Vec<(&'static str, Vec<u8>)> {
    let f = |fin, opcode, payload: &[u8]| ws_frame(fin, opcode, payload, mask);
    vec![
        ("binary", f(true, BINARY, b"\x80\x00\x00\x01hello")),
        ("text", f(true, TEXT, "héllo".as_bytes())),
        ("empty", f(true, BINARY, b"")),
        (
            "fragmented-with-ping",
            [f(false, BINARY, b"one "), f(true, PING, b"p"), f(true, CONTINUATION, b"two")].concat(),
        ),
        (
            "fragmented-text",
            [f(false, TEXT, "t".as_bytes()), f(false, CONTINUATION, b""), f(true, CONTINUATION, "é".as_bytes())]
                .concat(),
        ),
        ("pong-then-binary", [f(true, PONG, b""), f(true, BINARY, b"x")].concat()),
        ("close-1000", f(true, CLOSE, &1000u16.to_be_bytes())),
        ("close-empty", f(true, CLOSE, b"")),
        ("medium-126", f(true, BINARY, &[7; 200])),
        ("two-messages", [f(true, BINARY, b"a"), f(true, BINARY, &[1; 130])].concat()),
    ]
}

fn ws_headers() -> Vec<(&'static str, Vec<u8>)> {
    let key = Some([0x37, 0xfa, 0x21, 0x3d]);
    vec![
        ("binary-5", ws_frame(true, BINARY, b"hello", None)),
        ("masked-5", ws_frame(true, BINARY, b"hello", key)),
        ("len-126", encode_header(true, BINARY, 126, None).0[..4].to_vec()),
        ("len-65536-masked", encode_header(false, TEXT, 65536, key).0[..14].to_vec()),
        ("ping", ws_frame(true, PING, b"are you there", key)),
        ("close", ws_frame(true, CLOSE, &1002u16.to_be_bytes(), None)),
        ("continuation", ws_frame(false, CONTINUATION, b"..", key)),
    ]
}

fn ws_requests() -> Vec<(&'static str, Vec<u8>)> {
    let extra = "GET /a/b?x=1 HTTP/1.1\r\nHost: example:80\r\nUser-Agent: test\r\nupgrade: WebSocket\r\n\
                 connection: keep-alive, Upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
                 Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat, rep.sp.nanomsg.org\r\n\r\n";
    vec![
        ("nnrs-client", client_request("127.0.0.1:5555", "/", KEY, "rep.sp.nanomsg.org")),
        ("path", client_request("h:1", "/p", "AQIDBAUGBwgJCgsMDQ4PEA==", "pair.sp.nanomsg.org")),
        ("nng-empty-target", client_request("h:1", "", KEY, "bus.sp.nanomsg.org")),
        ("browser-like", extra.as_bytes().to_vec()),
        (
            "followed-by-a-frame",
            [client_request("h:1", "/", KEY, "sub.sp.nanomsg.org"), ws_frame(true, BINARY, b"x", Some([1, 2, 3, 4]))]
                .concat(),
        ),
    ]
}

fn ws_responses() -> Vec<(&'static str, Vec<u8>)> {
    let request = Request { path: "/".into(), key: KEY.into(), protocols: vec![PROTOCOL.into()] };
    let answer = accept_response(&request, PROTOCOL);
    let lower = String::from_utf8(answer.clone()).expect("ascii").replace("Upgrade: websocket", "upgrade: WebSocket");
    vec![
        ("accept", answer.clone()),
        ("accept-lower-case", lower.into_bytes()),
        ("followed-by-a-frame", [answer, ws_frame(true, BINARY, b"hi", None)].concat()),
    ]
}

fn addresses() -> Vec<(&'static str, Vec<u8>)> {
    let list: [(&str, &str); 15] = [
        ("tcp-any", "tcp://*:5555"),
        ("tcp-v4", "tcp://127.0.0.1:5555"),
        ("tcp-v6", "tcp://[::1]:5555"),
        ("tcp-name", "tcp://localhost:5555"),
        ("tcp-iface", "tcp://lo:5555"),
        ("tcp-local-remote", "tcp://eth0;10.0.0.1:80"),
        ("tcp-local-lo", "tcp://127.0.0.1;127.0.0.1:5555"),
        ("ipc-abs", "ipc:///tmp/x"),
        ("ipc-rel", "ipc://test.ipc"),
        ("ws-path", "ws://h:1/p"),
        ("ws-v4-path", "ws://127.0.0.1:5555/a/b"),
        ("ws-any", "ws://*:5555"),
        ("ws-v6", "ws://[::1]:80/x"),
        ("inproc", "inproc://a"),
        ("inproc-empty", "inproc://"),
    ];
    list.iter().map(|(name, a)| (*name, a.as_bytes().to_vec())).collect()
}

/// One option record: level selector, option, value length, value.
fn record(selector: u8, option: u8, value: &[u8]) -> Vec<u8> {
    [&[selector, option, value.len() as u8][..], value].concat()
}

fn options() -> Vec<(&'static str, Vec<u8>)> {
    let int = |v: i32| v.to_ne_bytes();
    let socket_level: Vec<u8> = [
        record(0, 1, &int(1000)),
        record(0, 2, &int(65536)),
        record(0, 3, &int(65536)),
        record(0, 4, &int(-1)),
        record(0, 5, &int(100)),
        record(0, 6, &int(10)),
        record(0, 7, &int(5000)),
        record(0, 8, &int(1)),
        record(0, 9, &int(16)),
        record(0, 14, &int(0)),
        record(0, 15, b"my socket"),
        record(0, 16, &int(-1)),
        record(0, 17, &int(255)),
    ]
    .concat();
    let transports =
        [record(3, 1, &int(0o600)), record(3, 2, &int(8192)), record(4, 1, &int(1)), record(5, 1, &int(1))].concat();
    vec![
        ("pair-socket-level", [&[0u8][..], &socket_level].concat()),
        ("raw-bus-socket-level", [&[0x89u8][..], &socket_level].concat()),
        (
            "sub-subscribe",
            [&[2u8][..], &record(1, 1, b"weather."), &record(1, 2, b"weather."), &record(1, 1, b"")].concat(),
        ),
        ("req-resend", [&[3u8][..], &record(1, 1, &int(1000))].concat()),
        ("surveyor-deadline", [&[7u8][..], &record(1, 1, &int(500))].concat()),
        ("push-transports", [&[5u8][..], &transports].concat()),
    ]
}

fn write(target: &str, seeds: Vec<(&'static str, Vec<u8>)>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    std::fs::create_dir_all(&dir).expect("corpus dir");
    for (name, bytes) in seeds {
        std::fs::write(dir.join(name), bytes).expect("corpus file");
    }
}

#[test]
#[ignore = "writes fuzz/corpus; run by hand"]
fn write_corpus() {
    write("sp_handshake", PROTOCOLS.iter().map(|&p| (protocol_name(p), handshake(p).to_vec())).collect());
    write("tcp_stream", streams(Framing::Tcp));
    write("ipc_stream", streams(Framing::Ipc));
    write("ws_request", ws_requests());
    write("ws_response", ws_responses());
    write("ws_header", ws_headers());
    write("ws_server_stream", ws_streams(Some([0x12, 0x34, 0x56, 0x78])));
    write("ws_client_stream", ws_streams(None));
    write("sp_backtrace", messages());
    write("sp_received", messages());
    write("address", addresses());
    write("options", options());
}

fn protocol_name(p: u16) -> &'static str {
    match p {
        16 => "pair",
        32 => "pub",
        33 => "sub",
        48 => "req",
        49 => "rep",
        80 => "push",
        81 => "pull",
        98 => "surveyor",
        99 => "respondent",
        _ => "bus",
    }
}

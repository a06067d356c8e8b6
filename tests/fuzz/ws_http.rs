//! Targets for the WebSocket opening handshake
//! (`nanomsg::wire::ws_http`): the request a server reads, the response a
//! client reads.

use nanomsg::wire::ws_http::{
    accept_key, accept_response, client_request, parse_request, parse_response, Refusal, BAD_REQUEST, MAX_HEAD,
    TOO_LARGE, UPGRADE_REQUIRED, WRONG_PROTOCOL,
};

use super::harness::Target;

/// The key the response corpus answers (RFC 6455's example).
pub const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
/// The subprotocol the response corpus agrees to.
pub const PROTOCOL: &str = "rep.sp.nanomsg.org";

const DICTIONARY: &[&[u8]] = &[
    b"\r\n",
    b"\r\n\r\n",
    b"GET ",
    b" HTTP/1.1",
    b"HTTP/1.1 101 ",
    b"Upgrade: websocket\r\n",
    b"Connection: Upgrade\r\n",
    b"Sec-WebSocket-Version: 13\r\n",
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
    b"Sec-WebSocket-Protocol: ",
    b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n",
    b".sp.nanomsg.org",
    b", ",
    b":",
    b"?",
    b"/",
    b"\xc3\xa9",
    b"\xff",
];

/// What a server reads from a client.
pub const REQUEST: Target = Target { name: "ws_request", run: run_request, dictionary: DICTIONARY, cost: 1 };
/// What a client reads from a server.
pub const RESPONSE: Target = Target { name: "ws_response", run: run_response, dictionary: DICTIONARY, cost: 1 };

/// The statuses a request can be refused with while being parsed (404 and
/// 408 come later, from the endpoint).
const REFUSALS: [Refusal; 4] = [BAD_REQUEST, WRONG_PROTOCOL, UPGRADE_REQUIRED, TOO_LARGE];

/// Where the head ends (just past the blank line), if it does.
fn head_end(input: &[u8]) -> Option<usize> {
    input.windows(4).position(|w| w == b"\r\n\r\n").map(|at| at + 4)
}

fn run_request(input: &[u8]) {
    match parse_request(input) {
        Ok(None) => assert!(head_end(input).is_none() && input.len() < MAX_HEAD, "incomplete, yet a whole head"),
        Ok(Some((request, used))) => {
            assert_eq!(Some(used), head_end(input), "took other than the head");
            assert!(used <= MAX_HEAD);
            assert!(request.path.starts_with('/') && !request.path.contains('?'), "path {:?}", request.path);
            assert!(request.protocols.iter().all(|p| !p.is_empty() && !p.contains(',') && p.trim() == p));
            // The head alone parses the same: what follows it is not read.
            assert_eq!(parse_request(&input[..used]), Ok(Some((request_copy(&request), used))));
            answer_round_trip(&request);
        }
        Err(refusal) => assert!(REFUSALS.contains(&refusal), "refused with {refusal:?}"),
    }
}

fn request_copy(r: &nanomsg::wire::ws_http::Request) -> nanomsg::wire::ws_http::Request {
    nanomsg::wire::ws_http::Request { path: r.path.clone(), key: r.key.clone(), protocols: r.protocols.clone() }
}

/// Whatever request we accept, our own client accepts our answer to it,
/// and our own request for that path reads back the same.
fn answer_round_trip(request: &nanomsg::wire::ws_http::Request) {
    let answer = accept_response(request, PROTOCOL);
    assert_eq!(parse_response(&answer, &request.key, PROTOCOL), Ok(Some(answer.len())));
    let again = client_request("h:1", &request.path, &request.key, PROTOCOL);
    let (parsed, used) = parse_request(&again).expect("our request").expect("complete");
    assert_eq!(
        (parsed.path.as_str(), parsed.key.as_str(), used),
        (request.path.as_str(), request.key.as_str(), again.len())
    );
}

fn run_response(input: &[u8]) {
    match parse_response(input, KEY, PROTOCOL) {
        Ok(None) => assert!(head_end(input).is_none() && input.len() < MAX_HEAD, "incomplete, yet a whole head"),
        Ok(Some(used)) => {
            assert_eq!(Some(used), head_end(input), "took other than the head");
            assert_eq!(parse_response(&input[..used], KEY, PROTOCOL), Ok(Some(used)));
            // An answer that agrees names our key's hash and protocol.
            let head = String::from_utf8_lossy(&input[..used]);
            assert!(head.contains(&accept_key(KEY)) && head.contains(PROTOCOL));
        }
        Err(refusal) => assert!(refusal == BAD_REQUEST || refusal == TOO_LARGE, "refused with {refusal:?}"),
    }
}

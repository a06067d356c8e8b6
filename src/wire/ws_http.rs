//! The HTTP/1.1 upgrade that opens a WebSocket (RFC 6455 §4) as SP uses
//! it: the client asks for the subprotocol `<server's type>.sp.nanomsg.org`
//! and the server answers 101 with the same name. Pure functions over
//! bytes; every way a request can be wrong has its HTTP status.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

/// Longest request or response head accepted, in bytes.
pub const MAX_HEAD: usize = 8192;
/// Most header lines accepted.
const MAX_HEADERS: usize = 64;
/// Appended to the client's key before hashing (RFC 6455 §1.3).
const ACCEPT_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The Sec-WebSocket-Protocol value of an SP socket type ("pair" …).
pub fn subprotocol(type_name: &str) -> String {
    format!("{type_name}.sp.nanomsg.org")
}

/// Why a request is refused, as an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// The status code.
    pub status: u16,
    /// Its reason phrase.
    pub reason: &'static str,
}

/// Not HTTP, not a GET, not a WebSocket upgrade, or a bad key.
pub const BAD_REQUEST: Refusal = Refusal { status: 400, reason: "Bad Request" };
/// The subprotocol is missing or is not this socket's type.
pub const WRONG_PROTOCOL: Refusal = Refusal { status: 400, reason: "Incompatible Socket Type" };
/// No socket is bound at this path.
pub const NOT_FOUND: Refusal = Refusal { status: 404, reason: "Not Found" };
/// The head did not arrive in time.
pub const TIMEOUT: Refusal = Refusal { status: 408, reason: "Request Timeout" };
/// A WebSocket version other than 13.
pub const UPGRADE_REQUIRED: Refusal = Refusal { status: 426, reason: "Upgrade Required" };
/// The head is longer than MAX_HEAD or has too many lines.
pub const TOO_LARGE: Refusal = Refusal { status: 431, reason: "Request Header Fields Too Large" };

/// A WebSocket upgrade request.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    /// The request target ("/" when the client names none).
    pub path: String,
    /// Sec-WebSocket-Key.
    pub key: String,
    /// Every subprotocol the client offers.
    pub protocols: Vec<String>,
}

/// The head (through the blank line) at the start of `buf`: `Ok(None)`
/// while it is incomplete, TOO_LARGE once it cannot fit.
fn head(buf: &[u8]) -> Result<Option<(&str, usize)>, Refusal> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return if buf.len() >= MAX_HEAD { Err(TOO_LARGE) } else { Ok(None) };
    };
    if end + 4 > MAX_HEAD {
        return Err(TOO_LARGE);
    }
    let text = std::str::from_utf8(&buf[..end]).map_err(|_| BAD_REQUEST)?;
    Ok(Some((text, end + 4)))
}

/// The header lines after the start line, as (lower-case name, value).
fn headers<'a>(lines: std::str::Split<'a, &'static str>) -> Result<Vec<(String, &'a str)>, Refusal> {
    let mut out = Vec::new();
    for line in lines {
        if out.len() == MAX_HEADERS {
            return Err(TOO_LARGE);
        }
        let (name, value) = line.split_once(':').ok_or(BAD_REQUEST)?;
        if name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
            return Err(BAD_REQUEST);
        }
        out.push((name.to_ascii_lowercase(), value.trim()));
    }
    Ok(out)
}

/// The value of header `name` (lower case), if present.
fn header<'a>(headers: &[(String, &'a str)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
}

/// Whether a comma-separated header value lists `token` (any case).
fn lists(value: Option<&str>, token: &str) -> bool {
    value.is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
}

/// Parses an upgrade request from the start of `buf`: `Ok(None)` while
/// incomplete, else the request and the bytes it took, or why it is
/// refused.
pub fn parse_request(buf: &[u8]) -> Result<Option<(Request, usize)>, Refusal> {
    // What cannot become a GET is refused at once, not when the head is
    // complete (it may never be).
    let start = &buf[..buf.len().min(4)];
    if !b"GET ".starts_with(start) {
        return Err(BAD_REQUEST);
    }
    let Some((text, used)) = head(buf)? else { return Ok(None) };
    let mut lines = text.split("\r\n");
    let start: Vec<&str> = lines.next().unwrap_or("").split(' ').collect();
    let [method, target, version] = start[..] else { return Err(BAD_REQUEST) };
    // An empty target (NNG sends one for an address without a path) is "/".
    let target = if target.is_empty() { "/" } else { target };
    if method != "GET" || !target.starts_with('/') || version != "HTTP/1.1" {
        return Err(BAD_REQUEST);
    }
    let headers = headers(lines)?;
    if !lists(header(&headers, "upgrade"), "websocket") || !lists(header(&headers, "connection"), "upgrade") {
        return Err(BAD_REQUEST);
    }
    if header(&headers, "sec-websocket-version") != Some("13") {
        return Err(UPGRADE_REQUIRED);
    }
    let key = header(&headers, "sec-websocket-key").ok_or(BAD_REQUEST)?;
    if BASE64.decode(key).map(|k| k.len()) != Ok(16) {
        return Err(BAD_REQUEST);
    }
    let protocols = header(&headers, "sec-websocket-protocol")
        .map(|v| v.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect())
        .unwrap_or_default();
    let path = target.split('?').next().unwrap_or("/").to_string();
    Ok(Some((Request { path, key: key.to_string(), protocols }, used)))
}

/// Sec-WebSocket-Accept for a client's key.
pub fn accept_key(key: &str) -> String {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(key.as_bytes());
    sha.update(ACCEPT_GUID.as_bytes());
    BASE64.encode(sha.digest().bytes())
}

/// The 101 answer to `request`, agreeing to `protocol`.
pub fn accept_response(request: &Request, protocol: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n",
        accept_key(&request.key)
    )
    .into_bytes()
}

/// The answer that refuses a request; the connection closes after it.
pub fn refusal_response(refusal: Refusal) -> Vec<u8> {
    format!(
        "HTTP/1.1 {} {}\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        refusal.status, refusal.reason
    )
    .into_bytes()
}

/// A fresh Sec-WebSocket-Key from 16 random bytes.
pub fn new_key(random: [u8; 16]) -> String {
    BASE64.encode(random)
}

/// The upgrade request a client sends.
pub fn client_request(host: &str, path: &str, key: &str, protocol: &str) -> Vec<u8> {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n"
    )
    .into_bytes()
}

/// Checks the server's answer to a request sent with `key` for
/// `protocol`: `Ok(None)` while incomplete, `Ok(Some(used))` once the
/// server agreed, `Err` if it refused or answered wrongly.
pub fn parse_response(buf: &[u8], key: &str, protocol: &str) -> Result<Option<usize>, Refusal> {
    let Some((text, used)) = head(buf)? else { return Ok(None) };
    let mut lines = text.split("\r\n");
    let mut start = lines.next().unwrap_or("").splitn(3, ' ');
    if start.next() != Some("HTTP/1.1") || start.next() != Some("101") {
        return Err(BAD_REQUEST);
    }
    let headers = headers(lines)?;
    let agreed = lists(header(&headers, "upgrade"), "websocket")
        && lists(header(&headers, "connection"), "upgrade")
        && header(&headers, "sec-websocket-accept") == Some(accept_key(key).as_str())
        && header(&headers, "sec-websocket-protocol") == Some(protocol);
    if agreed {
        Ok(Some(used))
    } else {
        Err(BAD_REQUEST)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";

    fn request(extra: &str) -> Vec<u8> {
        format!(
            "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n\
             Sec-WebSocket-Key: {KEY}\r\n{extra}\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn the_rfc_example_key() {
        assert_eq!(accept_key(KEY), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    #[test]
    fn a_good_request_and_its_answer() {
        let bytes = request("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat, rep.sp.nanomsg.org\r\n");
        assert_eq!(parse_request(&bytes[..bytes.len() - 1]), Ok(None));
        let mut more = bytes.clone();
        more.extend_from_slice(b"\x82\x00");
        let (req, used) = parse_request(&more).unwrap().unwrap();
        assert_eq!(used, bytes.len());
        assert_eq!(req.path, "/a/b");
        assert_eq!(req.protocols, ["chat", "rep.sp.nanomsg.org"]);
        let answer = accept_response(&req, "rep.sp.nanomsg.org");
        assert_eq!(parse_response(&answer, KEY, "rep.sp.nanomsg.org"), Ok(Some(answer.len())));
        assert_eq!(parse_response(&answer, KEY, "req.sp.nanomsg.org"), Err(BAD_REQUEST));
        assert_eq!(parse_response(&answer, "AAAAAAAAAAAAAAAAAAAAAA==", "rep.sp.nanomsg.org"), Err(BAD_REQUEST));
        assert_eq!(parse_response(&refusal_response(NOT_FOUND), KEY, "rep.sp.nanomsg.org"), Err(BAD_REQUEST));
    }

    #[test]
    fn bad_requests_have_their_status() {
        let v13 = "Sec-WebSocket-Version: 13\r\n";
        assert_eq!(parse_request(b"\x16\x03\x01\x02\x00\r\n\r\n"), Err(BAD_REQUEST));
        assert_eq!(parse_request(b"POST / HTTP/1.1\r\n\r\n"), Err(BAD_REQUEST));
        assert_eq!(parse_request(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n"), Err(BAD_REQUEST), "no upgrade");
        assert_eq!(parse_request(&request("")), Err(UPGRADE_REQUIRED));
        assert_eq!(parse_request(&request("Sec-WebSocket-Version: 8\r\n")), Err(UPGRADE_REQUIRED));
        let short_key = request(v13).iter().map(|&b| if b == b'Q' { b'!' } else { b }).collect::<Vec<u8>>();
        assert_eq!(parse_request(&short_key), Err(BAD_REQUEST), "a key that is not base64");
        assert_eq!(parse_request(&request(&format!("{v13}Bad Header\r\n"))), Err(BAD_REQUEST));
        let many: String = (0..70).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(parse_request(&request(&format!("{v13}{many}"))), Err(TOO_LARGE));
        assert_eq!(parse_request(b"\x16\x03\x01"), Err(BAD_REQUEST), "not HTTP, at once");
        assert_eq!(parse_request(b"GE"), Ok(None));
        let endless: Vec<u8> = b"GET /".iter().copied().chain(std::iter::repeat(b'a')).take(MAX_HEAD).collect();
        assert_eq!(parse_request(&endless), Err(TOO_LARGE), "endless");
        assert_eq!(parse_request(&endless[..MAX_HEAD - 1]), Ok(None));
        let (req, _) = parse_request(&request(v13)).unwrap().unwrap();
        assert!(req.protocols.is_empty());
        let empty_target = String::from_utf8(request(v13)).unwrap().replace("/a/b?x=1", "");
        assert_eq!(parse_request(empty_target.as_bytes()).unwrap().unwrap().0.path, "/");
    }

    #[test]
    fn client_request_round_trip() {
        let key = new_key([7; 16]);
        let bytes = client_request("127.0.0.1:80", "/", &key, "pair.sp.nanomsg.org");
        let (req, used) = parse_request(&bytes).unwrap().unwrap();
        assert_eq!((req.path.as_str(), req.key.as_str(), used), ("/", key.as_str(), bytes.len()));
        assert_eq!(req.protocols, [subprotocol("pair")]);
    }
}

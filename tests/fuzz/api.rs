//! Targets for what a user passes in: endpoint addresses
//! (`nanomsg::transport::addr::parse`, then `nn_bind` / `nn_connect`) and
//! option values (`Socket::set_option` / `get_option`, every level).
//!
//! Valid addresses really bind and connect, so each one is first fenced
//! in: ipc paths are moved into a private directory, tcp and ws ports
//! into 20000..32000 (below the kernel's ephemeral ports), connects go to
//! loopback, and a host that would need a DNS lookup is only parsed.
//! Every endpoint made is shut down at once.

use std::ffi::CString;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use nanomsg::core::error::Error;
use nanomsg::core::optval::OptionValue;
use nanomsg::core::socket::{Socket, AF_SP, AF_SP_RAW};
use nanomsg::ffi::errors::nn_errno;
use nanomsg::ffi::sockets::{nn_bind, nn_connect, nn_socket};
use nanomsg::protocol::SocketType;
use nanomsg::transport::addr::{parse, NN_SOCKADDR_MAX};
use nanomsg::transport::iface;
use nanomsg::transport::Transport;

use super::harness::{Rng, Target};

const ADDRESS_WORDS: &[&[u8]] = &[
    b"tcp://",
    b"ipc://",
    b"ws://",
    b"inproc://",
    b"://",
    b"*",
    b";",
    b":",
    b"[::1]",
    b"127.0.0.1",
    b"localhost",
    b"lo",
    b"/",
    b"%",
    b"65536",
];

/// Addresses for nn_bind and nn_connect.
pub const ADDRESS: Target = Target { name: "address", run: run_address, dictionary: ADDRESS_WORDS, cost: 10 };
/// Option settings on every socket type.
pub const OPTIONS: Target = Target { name: "options", run: run_options, dictionary: &[], cost: 5 };

/// Every socket type, in NN_PAIR … NN_BUS order.
const TYPES: [SocketType; 10] = [
    SocketType::Pair,
    SocketType::Pub,
    SocketType::Sub,
    SocketType::Req,
    SocketType::Rep,
    SocketType::Push,
    SocketType::Pull,
    SocketType::Surveyor,
    SocketType::Respondent,
    SocketType::Bus,
];

/// The errors a bind or connect may fail with (nanomsg's list, plus
/// EACCES for a port or path the process may not use).
const ADDRESS_ERRORS: [Error; 7] = [
    Error::NameTooLong,
    Error::Invalid,
    Error::ProtocolNotSupported,
    Error::NoDevice,
    Error::AddressInUse,
    Error::AddressNotAvailable,
    Error::AccessDenied,
];

fn run_address(input: &[u8]) {
    let mut rng = Rng::from_input(input);
    let text = input.split(|&b| b == 0).next().unwrap_or_default();
    match std::str::from_utf8(text) {
        Ok(address) if address.len() < NN_SOCKADDR_MAX => through_socket(address, &mut rng),
        _ => through_c_api(text, rng.one_in(2)),
    }
}

/// What C passes that is too long or not UTF-8 fails at the boundary,
/// before anything is opened.
fn through_c_api(text: &[u8], bind: bool) {
    static SOCKET: OnceLock<i32> = OnceLock::new();
    let s = *SOCKET.get_or_init(|| nn_socket(AF_SP, SocketType::Pair.number()));
    let c = CString::new(text).expect("no NUL");
    let rc = if bind { nn_bind(s, c.as_ptr()) } else { nn_connect(s, c.as_ptr()) };
    let want = if text.len() >= NN_SOCKADDR_MAX { libc::ENAMETOOLONG } else { libc::EINVAL };
    assert_eq!((rc, nn_errno()), (-1, want), "nn_bind/nn_connect of {text:02x?}");
}

/// A socket of a random type and NN_IPV4ONLY binds or connects to the
/// fenced-in address, which is shut down at once.
fn through_socket(address: &str, rng: &mut Rng) {
    let socket = Socket::new(0, AF_SP, rng.pick(&TYPES).number()).expect("socket");
    let ipv4_only = rng.one_in(2);
    socket.set_option(0, 14, &i32::from(ipv4_only).to_ne_bytes()).expect("NN_IPV4ONLY");
    let bind = rng.one_in(2);
    let parsed = parse(address);
    let Some(fenced) = fence(address, bind) else { return };
    match socket.add_endpoint(&fenced, bind) {
        Ok(endpoint) => {
            assert!(parsed.is_ok(), "{address:?} failed to parse ({parsed:?}) yet opened");
            if bind {
                bound_once(&fenced, ipv4_only);
            }
            socket.remove_endpoint(endpoint).expect("shutdown");
        }
        Err(e) => {
            assert!(ADDRESS_ERRORS.contains(&e), "{fenced:?} (from {address:?}) failed with {e:?}");
            if let Err(p) = parsed {
                assert_eq!(e, p, "{address:?}: the endpoint and the parser disagree");
            }
        }
    }
    socket.close(Error::BadSocket);
}

/// While an address is bound, a second bind of it is refused.
fn bound_once(address: &str, ipv4_only: bool) {
    let other = Socket::new(0, AF_SP, SocketType::Pair.number()).expect("socket");
    other.set_option(0, 14, &i32::from(ipv4_only).to_ne_bytes()).expect("NN_IPV4ONLY");
    let again = other.add_endpoint(address, true);
    other.close(Error::BadSocket);
    assert_eq!(again.err(), Some(Error::AddressInUse), "{address:?} bound twice");
}

/// The address to really use for `address`, or `None` if it could only be
/// used by looking a name up in the DNS.
fn fence(address: &str, bind: bool) -> Option<String> {
    let Ok(parsed) = parse(address) else { return Some(address.to_string()) };
    let rest = parsed.rest;
    let fenced = match parsed.transport {
        Transport::Inproc => return Some(address.to_string()),
        Transport::Ipc if rest.is_empty() => return Some(address.to_string()),
        Transport::Ipc => format!("ipc://{}/{}", private_dir().display(), rest.replace('/', "_")),
        Transport::Tcp => format!("tcp://{}", fence_authority(rest, bind)?),
        Transport::Ws => {
            let (authority, path) = rest.find('/').map_or((rest, ""), |at| rest.split_at(at));
            format!("ws://{}{path}", fence_authority(authority, bind)?)
        }
    };
    Some(fenced)
}

/// A directory of this process's own for ipc socket files.
fn private_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("nnrs-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("fuzz dir");
        dir
    })
}

/// Removes the ipc directory once a run is over (its socket files went
/// with their endpoints).
pub fn remove_private_dir() {
    let _ = std::fs::remove_dir_all(private_dir());
}

/// `[local;]host:port` with the port moved high and the remote host of a
/// connect moved to loopback.
fn fence_authority(authority: &str, bind: bool) -> Option<String> {
    let (local, remote) = match authority.split_once(';') {
        Some((l, r)) if !bind => (Some(l), r),
        _ => (None, authority),
    };
    let (host, port) = match remote.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (remote, None),
    };
    let host = if bind { local_host(host)? } else { remote_host(host)? };
    let local = match local {
        Some(l) => format!("{};", local_host(l)?),
        None => String::new(),
    };
    let port = port.map(|p| format!(":{}", high_port(p))).unwrap_or_default();
    Some(format!("{local}{host}{port}"))
}

/// A valid port moved into 20000..32000, clear of privileged and
/// well-known ports and of the ports the kernel hands out for outgoing
/// connections; anything else as it is.
fn high_port(port: &str) -> String {
    match port.parse::<u16>() {
        Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => (20_000 + p % 12_000).to_string(),
        _ => port.to_string(),
    }
}

/// A literal address, `[v6]` allowed.
fn literal(host: &str) -> Option<IpAddr> {
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host).parse().ok()
}

/// Whether resolving `host` could ask the DNS (it looks like a name).
fn needs_dns(host: &str) -> bool {
    let name_like = !host.is_empty()
        && host
            .split('.')
            .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    name_like && literal(host).is_none() && host != "localhost"
}

/// A host to bind to (or connect from): kept unless only the DNS knows it.
fn local_host(host: &str) -> Option<&str> {
    (host == "*" || !needs_dns(host) || !iface::addresses(host).is_empty()).then_some(host)
}

/// A host to connect to: a literal becomes loopback of its family, a name
/// is kept only if it needs no DNS.
fn remote_host(host: &str) -> Option<&str> {
    match literal(host) {
        Some(IpAddr::V4(_)) => Some("127.0.0.1"),
        Some(IpAddr::V6(_)) => Some("[::1]"),
        None => (!needs_dns(host)).then_some(host),
    }
}

/// Levels an option record can name; see `level`.
const TRANSPORT_LEVELS: [i32; 4] = [-1, -2, -3, -4];

/// An options input: a byte choosing the socket (type, raw), then records
/// `level selector, option, value length, value`.
fn run_options(input: &[u8]) {
    let Some((&first, mut records)) = input.split_first() else { return };
    let kind = TYPES[usize::from(first & 0x0F) % TYPES.len()];
    let raw = first & 0x80 != 0;
    let socket = Socket::new(7, if raw { AF_SP_RAW } else { AF_SP }, kind.number()).expect("socket");
    while let [selector, option, len, rest @ ..] = records {
        let n = usize::from(*len).min(rest.len());
        let level = level(*selector, kind, *option);
        let option = option_number(*selector, *option);
        set_and_get(&socket, kind, level, option, &rest[..n]);
        records = &rest[n..];
    }
    read_all(&socket, kind, raw);
    socket.close(Error::BadSocket);
}

/// Selector → level: the socket level, this protocol's, a transport's, or
/// an arbitrary number.
fn level(selector: u8, kind: SocketType, option: u8) -> i32 {
    match selector & 0x07 {
        0 => 0,
        1 => kind.number(),
        2..=5 => TRANSPORT_LEVELS[usize::from(selector & 0x07) - 2],
        6 => TYPES[usize::from(option) % TYPES.len()].number(),
        _ => i32::from(selector as i8).wrapping_mul(0x0101_0101),
    }
}

/// The option number: small, or (high selector bit) far out of range.
fn option_number(selector: u8, option: u8) -> i32 {
    let small = i32::from(option as i8);
    if selector & 0x80 != 0 {
        small.wrapping_mul(0x0100_0000)
    } else {
        small
    }
}

/// Sets an option; a value that was taken reads back as it was given.
fn set_and_get(socket: &Arc<Socket>, kind: SocketType, level: i32, option: i32, value: &[u8]) {
    let set = socket.set_option(level, option, value);
    let got = socket.get_option(level, option);
    match set {
        Err(e) => {
            assert!(matches!(e, Error::Invalid | Error::NoSuchOption), "set({level}, {option}) failed with {e:?}")
        }
        Ok(()) => match got {
            Ok(OptionValue::Int(v)) => assert_eq!(Some(v), int(value), "({level}, {option}) read back"),
            Ok(OptionValue::Bytes(b)) => assert_eq!(b, value, "({level}, {option}) read back"),
            // Subscriptions are write-only.
            Err(Error::NoSuchOption) if kind == SocketType::Sub && level == kind.number() => {}
            Err(e) => panic!("({level}, {option}) was set, yet reading it failed with {e:?}"),
        },
    }
}

fn int(value: &[u8]) -> Option<i32> {
    Some(i32::from_ne_bytes(value.try_into().ok()?))
}

/// Every socket-level option reads back; the fixed ones are right.
fn read_all(socket: &Socket, kind: SocketType, raw: bool) {
    for option in 1..=17 {
        let got = socket.get_option(0, option);
        let want_fixed = match option {
            12 => Some(if raw { AF_SP_RAW } else { AF_SP }),
            13 => Some(kind.number()),
            _ => None,
        };
        match (got, want_fixed) {
            (Ok(OptionValue::Int(v)), Some(want)) => assert_eq!(v, want, "option {option}"),
            (Err(Error::NoSuchOption), _) if matches!(option, 10 | 11) => {} // SNDFD/RCVFD of a one-way type
            (Ok(_), None) => {}
            (other, _) => panic!("socket option {option}: {other:?}"),
        }
    }
}

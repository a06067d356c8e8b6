//! tcp:// addresses and sockets. Binds take `*`, a literal address or an
//! interface name, then `:port`; connects take `[local;]host:port`, the
//! host a literal or a name (resolved later, off the caller's thread).
//! IPv6 literals are written in brackets and need NN_IPV4ONLY = 0.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::os::fd::OwnedFd;
use std::sync::Arc;

use rustix::io::Errno;
use rustix::net::{AddressFamily, SocketFlags, SocketType};

use super::dialer::{Dialer, Target};
use super::endpoint::{ConnContext, Endpoint};
use super::listener::{Listener, StreamAcceptor};
use crate::core::error::{Error, Result};
use crate::reactor::Reactor;

/// Splits `host:port`; EINVAL for a missing or bad port.
fn split_port(s: &str) -> Result<(&str, u16)> {
    let (host, port) = s.rsplit_once(':').ok_or(Error::Invalid)?;
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Invalid);
    }
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok((host, p)),
        _ => Err(Error::Invalid),
    }
}

/// A literal address, `[v6]` allowed; None if `host` is not one.
fn literal(host: &str) -> Option<IpAddr> {
    let inner = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    inner.parse().ok()
}

/// A local address: `*`, a literal, an interface name, or a host name
/// such as `localhost` (nanomsg stops at interface names). ENODEV if it is
/// none of those, or IPv6 where only IPv4 is allowed.
fn local_address(host: &str, ipv4_only: bool) -> Result<IpAddr> {
    let usable = |a: &IpAddr| a.is_ipv4() || !ipv4_only;
    let ip = if host == "*" {
        if ipv4_only { IpAddr::V4(Ipv4Addr::UNSPECIFIED) } else { IpAddr::V6(Ipv6Addr::UNSPECIFIED) }
    } else if let Some(ip) = literal(host) {
        ip
    } else if let Some(ip) = super::iface::addresses(host).into_iter().find(usable) {
        ip
    } else if valid_hostname(host) {
        (host, 0u16)
            .to_socket_addrs()
            .ok()
            .and_then(|found| found.map(|a| a.ip()).find(usable))
            .ok_or(Error::NoDevice)?
    } else {
        return Err(Error::NoDevice);
    };
    if ipv4_only && ip.is_ipv6() {
        return Err(Error::NoDevice);
    }
    Ok(ip)
}

/// Whether `host` could be a DNS name (letters, digits, '-', '.').
fn valid_hostname(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn socket_for(addr: &SocketAddr) -> std::result::Result<OwnedFd, Errno> {
    let family = if addr.is_ipv4() { AddressFamily::INET } else { AddressFamily::INET6 };
    rustix::net::socket_with(family, SocketType::STREAM, SocketFlags::NONBLOCK | SocketFlags::CLOEXEC, None)
}

/// Starts a non-blocking connect; true if it completed at once.
pub fn connect_fd(addr: SocketAddr, local: Option<IpAddr>) -> std::result::Result<(OwnedFd, bool), Errno> {
    let fd = socket_for(&addr)?;
    if let Some(ip) = local {
        rustix::net::bind(&fd, &SocketAddr::new(ip, 0))?;
    }
    match rustix::net::connect(&fd, &addr) {
        Ok(()) => Ok((fd, true)),
        Err(Errno::INPROGRESS) | Err(Errno::AGAIN) | Err(Errno::INTR) => Ok((fd, false)),
        Err(e) => Err(e),
    }
}

/// The local address of a bind to `host:port`.
pub(super) fn bind_address(rest: &str, ipv4_only: bool) -> Result<SocketAddr> {
    let (host, port) = split_port(rest)?;
    Ok(SocketAddr::new(local_address(host, ipv4_only)?, port))
}

/// A listening socket bound to `addr`.
pub(super) fn listen_fd(addr: &SocketAddr) -> Result<OwnedFd> {
    let fd = socket_for(addr).map_err(super::error_of)?;
    let _ = rustix::net::sockopt::set_socket_reuseaddr(&fd, true);
    if addr.is_ipv6() {
        let _ = rustix::net::sockopt::set_ipv6_v6only(&fd, false);
    }
    rustix::net::bind(&fd, addr).map_err(super::error_of)?;
    rustix::net::listen(&fd, super::LISTEN_BACKLOG).map_err(super::error_of)?;
    Ok(fd)
}

/// `nn_bind` of a tcp address.
pub fn bind(rest: &str, ctx: ConnContext, reactor: Arc<Reactor>) -> Result<Arc<dyn Endpoint>> {
    let fd = listen_fd(&bind_address(rest, ctx.options.ipv4_only)?)?;
    let acceptor = StreamAcceptor::new(ctx, reactor.clone());
    let listener = Listener::start(fd, acceptor, None, reactor).map_err(|_| Error::TooManySockets)?;
    Ok(listener)
}

/// Where a connect to `[local;]host:port` goes.
pub(super) fn target(rest: &str, ipv4_only: bool) -> Result<Target> {
    let (local, remote) = match rest.split_once(';') {
        Some((l, r)) => (Some(local_address(l, ipv4_only)?), r),
        None => (None, rest),
    };
    let (host, port) = split_port(remote)?;
    let host = match literal(host) {
        Some(ip) if ipv4_only && ip.is_ipv6() => return Err(Error::Invalid),
        Some(ip) => ip.to_string(),
        None if valid_hostname(host) => host.to_string(),
        None => return Err(Error::Invalid),
    };
    Ok(Target::Tcp { host, port, local })
}

/// `nn_connect` to a tcp address.
pub fn connect(rest: &str, ctx: ConnContext, reactor: Arc<Reactor>) -> Result<Arc<dyn Endpoint>> {
    let target = target(rest, ctx.options.ipv4_only)?;
    let dialer = Dialer::start(target, ctx, reactor).map_err(|_| Error::TooManySockets)?;
    Ok(dialer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_and_hosts() {
        assert_eq!(split_port("127.0.0.1:5555"), Ok(("127.0.0.1", 5555)));
        assert_eq!(split_port("[::1]:80"), Ok(("[::1]", 80)));
        assert_eq!(split_port("host"), Err(Error::Invalid));
        assert_eq!(split_port("host:"), Err(Error::Invalid));
        assert_eq!(split_port("host:0"), Err(Error::Invalid));
        assert_eq!(split_port("host:65536"), Err(Error::Invalid));
        assert_eq!(split_port("host:+5"), Err(Error::Invalid));
        assert_eq!(local_address("*", true), Ok(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
        assert_eq!(local_address("lo", true), Ok("127.0.0.1".parse().unwrap()));
        assert_eq!(local_address("[::1]", true), Err(Error::NoDevice));
        assert_eq!(local_address("[::1]", false), Ok("::1".parse().unwrap()));
        assert_eq!(local_address("nnrs-no-such-host.invalid", true), Err(Error::NoDevice));
        assert_eq!(local_address("localhost", true), Ok("127.0.0.1".parse().unwrap()));
        assert!(valid_hostname("localhost") && valid_hostname("a-b.example"));
        assert!(!valid_hostname("a..b") && !valid_hostname("-a") && !valid_hostname("a b"));
    }
}

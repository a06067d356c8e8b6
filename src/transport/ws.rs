//! ws:// addresses and endpoints: `host:port/path`, the path "/" when
//! left out. Connects are tcp connects whose connection speaks the
//! WebSocket client side. Binds share one listening socket per address:
//! each bind adds its path, so several sockets (or one socket several
//! times) can serve different paths on one port; the HTTP upgrade says
//! which path, and so which socket, a connection is for.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::os::fd::OwnedFd;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

use super::endpoint::{ConnContext, Endpoint, WsRole};
use super::listener::{Acceptor, Conns, Listener};
use super::pipe::PipeId;
use super::stream::{ConnObserver, Side};
use super::ws_upgrade::Upgrade;
use crate::core::error::{Error, Result};
use crate::core::stats::Stat;
use crate::reactor::Reactor;

/// Splits `host:port/path` into `host:port` and the path.
fn split_path(rest: &str) -> (&str, String) {
    match rest.find('/') {
        Some(at) => (&rest[..at], rest[at..].to_string()),
        None => (rest, "/".to_string()),
    }
}

/// `nn_connect` to a ws address.
pub fn connect(rest: &str, mut ctx: ConnContext, reactor: Arc<Reactor>) -> Result<Arc<dyn Endpoint>> {
    let (authority, path) = split_path(rest);
    let target = super::tcp::target(authority, ctx.options.ipv4_only)?;
    // The Host header names what the user named, not the local part.
    let host = authority.rsplit(';').next().unwrap_or(authority).to_string();
    ctx.ws = Some(WsRole::Client { host, path });
    let dialer = super::dialer::Dialer::start(target, ctx, reactor).map_err(|_| Error::TooManySockets)?;
    Ok(dialer)
}

/// `nn_bind` of a ws address: EADDRINUSE if the path is taken already.
pub fn bind(rest: &str, mut ctx: ConnContext, reactor: Arc<Reactor>) -> Result<Arc<dyn Endpoint>> {
    let (authority, path) = split_path(rest);
    let addr = super::tcp::bind_address(authority, ctx.options.ipv4_only)?;
    ctx.ws = Some(WsRole::Server);
    let mut ports = ports();
    let port = match ports.get(&addr).and_then(Weak::upgrade) {
        Some(port) => port,
        None => {
            let port = Port::open(addr, reactor.clone())?;
            ports.insert(addr, Arc::downgrade(&port));
            port
        }
    };
    let mut routes = port.lock_routes();
    if routes.get(&path).and_then(Weak::upgrade).is_some() {
        return Err(Error::AddressInUse);
    }
    let route = Arc::new_cyclic(|me| Route {
        path: path.clone(),
        ctx,
        conns: Conns::default(),
        port: port.clone(),
        reactor,
        me: me.clone(),
    });
    routes.insert(path, Arc::downgrade(&route));
    Ok(route)
}

/// The shared ports, by local address.
fn ports() -> MutexGuard<'static, HashMap<SocketAddr, Weak<Port>>> {
    static PORTS: OnceLock<Mutex<HashMap<SocketAddr, Weak<Port>>>> = OnceLock::new();
    PORTS.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// Holds the ports still until the hold drops (around fork()).
pub fn hold() -> impl Sized + 'static {
    ports()
}

/// One listening socket and the paths bound on it.
pub struct Port {
    addr: SocketAddr,
    /// Taken when the last route leaves (the listener holds the port).
    listener: Mutex<Option<Arc<Listener>>>,
    routes: Mutex<HashMap<String, Weak<Route>>>,
    /// Upgrades in progress, by their fd number.
    upgrades: Mutex<HashMap<i32, Arc<Upgrade>>>,
    reactor: Arc<Reactor>,
    me: Weak<Port>,
}

impl Port {
    fn open(addr: SocketAddr, reactor: Arc<Reactor>) -> Result<Arc<Port>> {
        let fd = super::tcp::listen_fd(&addr)?;
        let port = Arc::new_cyclic(|me| Port {
            addr,
            listener: Mutex::default(),
            routes: Mutex::default(),
            upgrades: Mutex::default(),
            reactor: reactor.clone(),
            me: me.clone(),
        });
        let acceptor: Arc<dyn Acceptor> = port.clone();
        let listener = Listener::start(fd, acceptor, None, reactor).map_err(|_| Error::TooManySockets)?;
        *port.listener.lock().unwrap_or_else(|e| e.into_inner()) = Some(listener);
        Ok(port)
    }

    fn lock_routes(&self) -> MutexGuard<'_, HashMap<String, Weak<Route>>> {
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_upgrades(&self) -> MutexGuard<'_, HashMap<i32, Arc<Upgrade>>> {
        self.upgrades.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The endpoint bound at `path`, if any.
    pub fn route(&self, path: &str) -> Option<Arc<Route>> {
        self.lock_routes().get(path).and_then(Weak::upgrade)
    }

    /// An upgrade finished, one way or the other.
    pub fn upgrade_done(&self, fd_number: i32) {
        self.lock_upgrades().remove(&fd_number);
    }

    /// A route left: the last one closes the port.
    fn remove_route(&self, path: &str) {
        let mut ports = ports();
        let mut routes = self.lock_routes();
        routes.remove(path);
        routes.retain(|_, r| r.strong_count() > 0);
        if !routes.is_empty() {
            return;
        }
        drop(routes);
        if ports.get(&self.addr).is_some_and(|p| p.ptr_eq(&self.me)) {
            ports.remove(&self.addr);
        }
        drop(ports);
        let listener = self.listener.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(listener) = listener {
            listener.shutdown();
        }
    }

    /// The sockets bound here, for counting.
    fn owners(&self) -> Vec<Arc<Route>> {
        self.lock_routes().values().filter_map(Weak::upgrade).collect()
    }
}

impl Acceptor for Port {
    fn accepted(&self, fd: OwnedFd) {
        let number = std::os::fd::AsRawFd::as_raw_fd(&fd);
        if let Ok(upgrade) = Upgrade::start(fd, self.me.clone(), self.reactor.clone()) {
            self.lock_upgrades().insert(number, upgrade);
        }
    }

    fn accept_failed(&self) {
        for route in self.owners() {
            if let Some(owner) = route.ctx.owner.upgrade() {
                owner.count(Stat::AcceptErrors, 1);
            }
        }
    }

    fn stop(&self) {
        let upgrades: Vec<_> = self.lock_upgrades().drain().map(|(_, u)| u).collect();
        for upgrade in upgrades {
            upgrade.abandon();
        }
    }
}

/// One bound ws endpoint: a path on a port, and its connections.
pub struct Route {
    path: String,
    ctx: ConnContext,
    conns: Conns,
    /// Keeps the port open while the route lives.
    port: Arc<Port>,
    reactor: Arc<Reactor>,
    me: Weak<Route>,
}

impl Route {
    /// The subprotocol this endpoint's socket accepts.
    pub fn type_name(&self) -> &'static str {
        self.ctx.options.type_name
    }

    /// A connection whose upgrade was answered becomes one of ours.
    pub fn adopt(&self, fd: OwnedFd, early: Vec<u8>) {
        let observer: Weak<dyn ConnObserver> = self.me.clone();
        self.conns.start(fd, Side::Upgraded(early), &self.ctx, observer, &self.reactor);
    }
}

impl Endpoint for Route {
    fn shutdown(&self) {
        self.port.remove_route(&self.path);
        self.conns.close_all();
    }
}

impl ConnObserver for Route {
    fn conn_closed(&self, id: PipeId, _established: bool) {
        self.conns.remove(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(split_path("127.0.0.1:80"), ("127.0.0.1:80", "/".to_string()));
        assert_eq!(split_path("h:80/a/b"), ("h:80", "/a/b".to_string()));
        assert_eq!(split_path("[::1]:80/"), ("[::1]:80", "/".to_string()));
    }
}

//! ipc:// addresses: Unix domain stream sockets at a path. A bind removes a
//! stale socket file nobody listens on (a crashed process's), refuses one in
//! use with EADDRINUSE, and applies NN_IPC_SEC_ATTR as the file's mode.

use std::os::fd::OwnedFd;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;

use rustix::io::Errno;
use rustix::net::{AddressFamily, SocketAddrUnix, SocketFlags, SocketType};

use super::dialer::{Dialer, Target};
use super::endpoint::{ConnContext, Endpoint};
use super::listener::{Listener, StreamAcceptor};
use crate::core::error::{Error, Result};
use crate::reactor::Reactor;

fn unix_socket() -> std::result::Result<OwnedFd, Errno> {
    rustix::net::socket_with(AddressFamily::UNIX, SocketType::STREAM, SocketFlags::NONBLOCK | SocketFlags::CLOEXEC, None)
}

fn address(path: &str) -> Result<SocketAddrUnix> {
    if path.is_empty() {
        return Err(Error::Invalid);
    }
    SocketAddrUnix::new(path).map_err(|_| Error::NameTooLong)
}

/// Starts a non-blocking connect; true if it completed at once.
pub fn connect_fd(path: &std::path::Path) -> std::result::Result<(OwnedFd, bool), Errno> {
    let addr = SocketAddrUnix::new(path).map_err(|_| Errno::NAMETOOLONG)?;
    let fd = unix_socket()?;
    match rustix::net::connect(&fd, &addr) {
        Ok(()) => Ok((fd, true)),
        Err(Errno::INPROGRESS) | Err(Errno::AGAIN) | Err(Errno::INTR) => Ok((fd, false)),
        Err(e) => Err(e),
    }
}

/// Whether a process listens at `path` now.
fn in_use(path: &str) -> bool {
    std::os::unix::net::UnixStream::connect(path).is_ok()
}

/// `nn_bind` of an ipc path.
pub fn bind(path: &str, ctx: ConnContext, reactor: Arc<Reactor>) -> Result<Arc<dyn Endpoint>> {
    let addr = address(path)?;
    let fd = unix_socket().map_err(super::error_of)?;
    match rustix::net::bind(&fd, &addr) {
        Ok(()) => {}
        Err(Errno::ADDRINUSE) if !in_use(path) => {
            let _ = std::fs::remove_file(path);
            rustix::net::bind(&fd, &addr).map_err(super::error_of)?;
        }
        Err(e) => return Err(super::error_of(e)),
    }
    if ctx.options.ipc_file_mode != 0 {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(ctx.options.ipc_file_mode));
    }
    rustix::net::listen(&fd, super::LISTEN_BACKLOG).map_err(super::error_of)?;
    let acceptor = StreamAcceptor::new(ctx, reactor.clone());
    let listener = Listener::start(fd, acceptor, Some(PathBuf::from(path)), reactor).map_err(|_| Error::TooManySockets)?;
    Ok(listener)
}

/// `nn_connect` to an ipc path.
pub fn connect(path: &str, ctx: ConnContext, reactor: Arc<Reactor>) -> Result<Arc<dyn Endpoint>> {
    address(path)?;
    let dialer = Dialer::start(Target::Unix(PathBuf::from(path)), ctx, reactor).map_err(|_| Error::TooManySockets)?;
    Ok(dialer)
}

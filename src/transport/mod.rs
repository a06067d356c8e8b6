//! Transports: inproc, ipc, tcp and ws. Each is named by an address scheme
//! and an option level (NN_INPROC = -1 … NN_WS = -4). `bind` and `connect`
//! make endpoints, which make pipes and hand them to the socket through
//! `pipe::PipeOwner`. tcp and ipc share one stream connection, listener and
//! dialer; each of those files is mostly addresses and sockets.

pub mod addr;
pub mod dialer;
pub mod endpoint;
pub mod iface;
pub mod inproc;
pub mod ipc;
pub mod listener;
pub mod options;
pub mod pipe;
pub mod stream;
pub mod tcp;
pub mod ws;
mod ws_upgrade;

use std::sync::{Arc, Weak};

use rustix::io::Errno;

use crate::core::error::{Error, Result};
use crate::reactor::Reactor;
use crate::wire::frame::Framing;
use addr::Address;
use endpoint::{ConnContext, Endpoint, EndpointOptions};
use pipe::PipeOwner;

/// One of the four transports.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Inproc,
    Ipc,
    Tcp,
    Ws,
}

/// Option level of the inproc transport.
pub const NN_INPROC: i32 = -1;
/// Option level of the ipc transport.
pub const NN_IPC: i32 = -2;
/// Option level of the tcp transport.
pub const NN_TCP: i32 = -3;
/// Option level of the ws transport.
pub const NN_WS: i32 = -4;

/// Pending connections a listening socket keeps (the kernel caps it).
const LISTEN_BACKLOG: i32 = 4096;

impl Transport {
    /// The transport of an address scheme ("tcp" …), if there is one.
    pub fn from_scheme(scheme: &str) -> Option<Transport> {
        match scheme {
            "inproc" => Some(Transport::Inproc),
            "ipc" => Some(Transport::Ipc),
            "tcp" => Some(Transport::Tcp),
            "ws" => Some(Transport::Ws),
            _ => None,
        }
    }

    /// The transport whose option level is `level`, if there is one.
    pub fn from_level(level: i32) -> Option<Transport> {
        match level {
            NN_INPROC => Some(Transport::Inproc),
            NN_IPC => Some(Transport::Ipc),
            NN_TCP => Some(Transport::Tcp),
            NN_WS => Some(Transport::Ws),
            _ => None,
        }
    }
}

/// The engine error for a failed socket call.
fn error_of(e: Errno) -> Error {
    match e {
        Errno::ADDRINUSE => Error::AddressInUse,
        Errno::ADDRNOTAVAIL => Error::AddressNotAvailable,
        Errno::ACCESS | Errno::PERM => Error::AccessDenied,
        Errno::NAMETOOLONG => Error::NameTooLong,
        Errno::MFILE | Errno::NFILE => Error::TooManySockets,
        Errno::NOMEM | Errno::NOBUFS => Error::OutOfMemory,
        Errno::NOENT | Errno::NOTDIR => Error::NoDevice,
        _ => Error::Invalid,
    }
}

fn reactor() -> Result<Arc<Reactor>> {
    Reactor::global().map_err(|_| Error::TooManySockets)
}

fn stream_context(owner: Weak<dyn PipeOwner>, options: EndpointOptions, framing: Framing) -> ConnContext {
    ConnContext { owner, options, framing, ws: None }
}

/// Makes a bound (`bind`) or connecting endpoint for `address`.
pub fn open_endpoint(
    address: Address<'_>,
    bind: bool,
    owner: Weak<dyn PipeOwner>,
    options: EndpointOptions,
) -> Result<Arc<dyn Endpoint>> {
    let rest = address.rest;
    match (address.transport, bind) {
        (Transport::Inproc, true) => inproc::bind(rest, owner, options),
        (Transport::Inproc, false) => inproc::connect(rest, owner, options),
        (Transport::Ipc, true) => ipc::bind(rest, stream_context(owner, options, Framing::Ipc), reactor()?),
        (Transport::Ipc, false) => ipc::connect(rest, stream_context(owner, options, Framing::Ipc), reactor()?),
        (Transport::Tcp, true) => tcp::bind(rest, stream_context(owner, options, Framing::Tcp), reactor()?),
        (Transport::Tcp, false) => tcp::connect(rest, stream_context(owner, options, Framing::Tcp), reactor()?),
        (Transport::Ws, true) => ws::bind(rest, stream_context(owner, options, Framing::Tcp), reactor()?),
        (Transport::Ws, false) => ws::connect(rest, stream_context(owner, options, Framing::Tcp), reactor()?),
    }
}

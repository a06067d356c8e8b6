//! `nn_device`: forwards every message received on one raw socket to the
//! other, both ways, until a socket closes or `nn_term` is called. With one
//! socket it sends each message back out of the same socket (loopback).

use std::sync::Arc;

use rustix::event::{PollFd, PollFlags};

use super::error::{Error, Result};
use super::socket::Socket;
use super::table::SocketTable;

/// Runs the device; returns the error that ended it (ETERM after nn_term,
/// EBADF after a socket was closed). Both sockets must be raw, and each
/// the type the other talks to (EINVAL).
pub fn run(table: &SocketTable, a: Arc<Socket>, b: Option<Arc<Socket>>) -> Error {
    match forward(table, &a, b.as_ref().unwrap_or(&a)) {
        Ok(never) => match never {},
        Err(e) => e,
    }
}

enum Never {}

fn forward(table: &SocketTable, a: &Socket, b: &Socket) -> Result<Never> {
    if !a.is_raw() || !b.is_raw() || a.kind().peer() != b.kind() {
        return Err(Error::Invalid);
    }
    let term = table.term_signal()?;
    let sides = [(a, b), (b, a)];
    loop {
        // Which sides can receive at all (PUB and PUSH never do).
        let signals: Vec<_> = sides.iter().map(|(from, _)| from.recv_signal()).collect::<Result<_>>()?;
        let mut fds: Vec<PollFd<'_>> = signals.iter().flatten().map(|s| PollFd::new(*s, PollFlags::IN)).collect();
        fds.push(PollFd::new(term, PollFlags::IN));
        match rustix::event::poll(&mut fds, None) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(_) => return Err(Error::Invalid),
        }
        if term.is_set() {
            return Err(Error::Terminated);
        }
        for (from, to) in sides {
            match from.recv(true) {
                Ok(msg) => to.send(msg, false).map_err(|(_, e)| e)?,
                Err(Error::WouldBlock) | Err(Error::NotSupported) => {}
                Err(e) => return Err(e),
            }
        }
    }
}

//! `nn_poll`: waits on the readiness fds of several sockets, and on the
//! table's termination signal so that `nn_term` ends the wait with ETERM.

use std::ffi::c_int;
use std::sync::Arc;

use rustix::event::{PollFd, PollFlags, Timespec};

use super::guard::call;
use super::types::nn_pollfd;
use crate::core::error::{Error, Result};
use crate::core::socket::Socket;
use crate::core::table;

/// NN_POLLIN.
pub const NN_POLLIN: i16 = 1;
/// NN_POLLOUT.
pub const NN_POLLOUT: i16 = 2;

/// `nn_poll(fds, nfds, timeout)`: the number of entries with something
/// ready, 0 on timeout (milliseconds; negative waits for ever). A socket
/// type that never sends never reports NN_POLLOUT (nanomsg fails the whole
/// call with ENOPROTOOPT there); one that never receives, never NN_POLLIN.
#[no_mangle]
pub extern "C" fn nn_poll(fds: *mut nn_pollfd, nfds: c_int, timeout: c_int) -> c_int {
    call(-1, || {
        let count = usize::try_from(nfds).map_err(|_| Error::Invalid)?;
        if count == 0 {
            return wait(&mut [], &[], &[], timeout).map(|_| 0);
        }
        if fds.is_null() {
            return Err(Error::BadPointer);
        }
        // SAFETY: the caller gives `nfds` entries at `fds`.
        let entries = unsafe { std::slice::from_raw_parts_mut(fds, count) };
        let sockets: Vec<Arc<Socket>> = entries.iter().map(|e| table::global().get(e.fd)).collect::<Result<_>>()?;
        let mut watched = Vec::new();
        let mut owners = Vec::new();
        for (i, (entry, socket)) in entries.iter().zip(&sockets).enumerate() {
            if entry.events & NN_POLLIN != 0 {
                if let Some(signal) = socket.recv_signal()? {
                    watched.push(PollFd::new(signal, PollFlags::IN));
                    owners.push((i, NN_POLLIN));
                }
            }
            if entry.events & NN_POLLOUT != 0 {
                if let Some(signal) = socket.send_signal()? {
                    watched.push(PollFd::new(signal, PollFlags::IN));
                    owners.push((i, NN_POLLOUT));
                }
            }
        }
        let ready = wait(&mut watched, &owners, &sockets, timeout)?;
        for entry in entries.iter_mut() {
            entry.revents = 0;
        }
        for (i, bit) in ready {
            entries[i].revents |= bit;
        }
        Ok(entries.iter().filter(|e| e.revents != 0).count() as c_int)
    })
}

/// Polls `watched` plus the termination signal; returns which owners are
/// ready, ETERM once `nn_term` was called, EBADF once one of `sockets` was
/// closed (a closed socket's fds turn readable to end the wait), EINTR on
/// a signal.
fn wait(
    watched: &mut [PollFd<'_>],
    owners: &[(usize, i16)],
    sockets: &[Arc<Socket>],
    timeout: c_int,
) -> Result<Vec<(usize, i16)>> {
    let term = table::global().term_signal()?;
    let mut all: Vec<PollFd<'_>> = watched.to_vec();
    all.push(PollFd::new(term, PollFlags::IN));
    let limit = u64::try_from(timeout).ok().map(|ms| Timespec {
        tv_sec: (ms / 1000) as i64,
        tv_nsec: ((ms % 1000) * 1_000_000) as i64,
    });
    match rustix::event::poll(&mut all, limit.as_ref()) {
        Ok(_) => {}
        Err(rustix::io::Errno::INTR) => return Err(Error::Interrupted),
        Err(_) => return Err(Error::Invalid),
    }
    let (_, socket_fds) = all.split_last().ok_or(Error::Internal)?;
    if term.is_set() {
        return Err(Error::Terminated);
    }
    for socket in sockets {
        socket.check_open()?;
    }
    Ok(socket_fds.iter().zip(owners).filter(|(fd, _)| !fd.revents().is_empty()).map(|(_, o)| *o).collect())
}

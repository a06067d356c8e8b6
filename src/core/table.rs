//! The process-wide socket table: C's `int` socket ids (0..511) mapped to
//! sockets. Fresh ids count up from 0; a freed id is reused first (last
//! freed, first reused), as nanomsg does. `terminate` (nn_term) closes every
//! socket with ETERM and refuses new ones from then on.
//!
//! Every call of the C API looks its socket up. A thread remembers the
//! sockets it used last, and finds them again without the table's lock
//! while no socket has closed since: two threads working one socket each
//! (an inproc sender and its receiver) then share no lock to look up.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak};

use super::error::{Error, Result};
use super::ready::ReadySignal;
use super::socket::Socket;

/// Most sockets open at once.
pub const MAX_SOCKETS: usize = 512;

#[derive(Debug, Default)]
struct Slots {
    sockets: Vec<Option<Arc<Socket>>>,
    /// Freed ids, the most recently freed last.
    free: Vec<usize>,
    terminated: bool,
}

/// The table held still; see `SocketTable::hold`.
pub struct TableHold<'a> {
    _guard: RwLockWriteGuard<'a, Slots>,
}

/// Sockets a thread remembers.
const REMEMBERED: usize = 4;

/// A socket a thread found in a table.
struct Remembered {
    /// The table's address, and how many closes it had seen then.
    table: usize,
    closes: u64,
    id: i32,
    socket: Weak<Socket>,
}

thread_local! {
    /// The sockets this thread looked up last, the newest first. Weak:
    /// remembering a socket does not keep it (and its fds) alive.
    static REMEMBER: RefCell<Vec<Remembered>> = const { RefCell::new(Vec::new()) };
}

/// A table of sockets.
#[derive(Debug, Default)]
pub struct SocketTable {
    slots: RwLock<Slots>,
    /// Counts closes (and `terminate`): a socket a thread remembers from
    /// before one may be gone, or its id another socket's.
    closes: AtomicU64,
    /// Raised by `terminate`, so that `nn_poll` can wake on it.
    term_signal: OnceLock<ReadySignal>,
}

impl SocketTable {
    /// An empty table.
    pub fn new() -> SocketTable {
        SocketTable::default()
    }

    fn read(&self) -> RwLockReadGuard<'_, Slots> {
        self.slots.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Slots> {
        self.slots.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Holds the table still (no thread inside it) until the hold drops:
    /// taken around fork() so that a child never inherits it locked.
    pub fn hold(&self) -> TableHold<'_> {
        TableHold { _guard: self.write() }
    }

    /// Opens a socket (`nn_socket`) and returns its id.
    // Takes the table lock.
    pub fn create(&self, domain: i32, protocol: i32) -> Result<i32> {
        let mut slots = self.write();
        if slots.terminated {
            return Err(Error::Terminated);
        }
        let id = match slots.free.last() {
            Some(&id) => id,
            None if slots.sockets.len() < MAX_SOCKETS => slots.sockets.len(),
            None => return Err(Error::TooManySockets),
        };
        let socket = Socket::new(id, domain, protocol)?;
        if id == slots.sockets.len() {
            slots.sockets.push(Some(socket));
        } else {
            slots.free.pop();
            slots.sockets[id] = Some(socket);
        }
        Ok(id as i32)
    }

    /// The open socket with this id; EBADF if there is none.
    // Takes the table lock (shared), unless the thread remembers the socket.
    pub fn get(&self, id: i32) -> Result<Arc<Socket>> {
        let table = self as *const SocketTable as usize;
        let closes = self.closes.load(Ordering::Acquire);
        let remembered = REMEMBER.try_with(|r| {
            let r = r.borrow();
            r.iter().find(|s| s.table == table && s.id == id && s.closes == closes).and_then(|s| s.socket.upgrade())
        });
        if let Ok(Some(socket)) = remembered {
            return Ok(socket);
        }
        let socket = {
            let slots = self.read();
            usize::try_from(id)
                .ok()
                .and_then(|i| slots.sockets.get(i))
                .and_then(|s| s.clone())
                .ok_or(Error::BadSocket)?
        };
        let _ = REMEMBER.try_with(|r| {
            let mut r = r.borrow_mut();
            r.retain(|s| s.table != table || (s.id != id && s.closes == closes));
            r.truncate(REMEMBERED - 1);
            r.insert(0, Remembered { table, closes, id, socket: Arc::downgrade(&socket) });
        });
        Ok(socket)
    }

    /// Closes a socket (`nn_close`): its id is freed at once, and calls
    /// blocked on it return EBADF.
    // Takes the table lock, then the socket's.
    pub fn close(&self, id: i32) -> Result<()> {
        let socket = {
            let mut slots = self.write();
            let i = usize::try_from(id).map_err(|_| Error::BadSocket)?;
            let socket = slots.sockets.get_mut(i).and_then(Option::take).ok_or(Error::BadSocket)?;
            slots.free.push(i);
            self.closes.fetch_add(1, Ordering::Release);
            socket
        };
        socket.close(Error::BadSocket);
        Ok(())
    }

    /// Shuts the table down (`nn_term`): every socket is closed, its blocked
    /// calls return ETERM and its id EBADF; `create` fails with ETERM.
    // Takes the table lock, then each socket's.
    pub fn terminate(&self) {
        let sockets: Vec<Arc<Socket>> = {
            let mut slots = self.write();
            slots.terminated = true;
            slots.free.clear();
            self.closes.fetch_add(1, Ordering::Release);
            slots.sockets.iter_mut().filter_map(Option::take).collect()
        };
        for socket in sockets {
            socket.close(Error::Terminated);
        }
        if let Ok(signal) = self.term_signal() {
            signal.set(true);
        }
    }

    /// A signal that becomes readable when the table is terminated.
    pub fn term_signal(&self) -> Result<&ReadySignal> {
        if let Some(s) = self.term_signal.get() {
            return Ok(s);
        }
        let fresh = ReadySignal::new()?;
        if self.read().terminated {
            fresh.set(true);
        }
        let _ = self.term_signal.set(fresh);
        self.term_signal.get().ok_or(Error::Internal)
    }
}

/// The table behind the C API.
pub fn global() -> &'static SocketTable {
    static TABLE: OnceLock<SocketTable> = OnceLock::new();
    TABLE.get_or_init(SocketTable::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::socket::{AF_SP, AF_SP_RAW};

    #[test]
    fn ids_count_up_and_the_last_freed_comes_back_first() {
        let t = SocketTable::new();
        let ids: Vec<i32> = (0..4).map(|_| t.create(AF_SP, 16).unwrap()).collect();
        assert_eq!(ids, [0, 1, 2, 3]);
        t.close(1).unwrap();
        t.close(2).unwrap();
        assert_eq!(t.create(AF_SP, 16), Ok(2));
        assert_eq!(t.create(AF_SP, 16), Ok(1));
        assert_eq!(t.create(AF_SP, 16), Ok(4));
        assert_eq!(t.close(9).err(), Some(Error::BadSocket));
        assert_eq!(t.get(-1).err(), Some(Error::BadSocket));
    }

    #[test]
    fn a_remembered_socket_is_forgotten_when_its_id_is_reused() {
        let t = SocketTable::new();
        let id = t.create(AF_SP, 16).unwrap();
        let first = t.get(id).unwrap();
        assert!(Arc::ptr_eq(&first, &t.get(id).unwrap()), "found again");
        t.close(id).unwrap();
        assert_eq!(t.get(id).err(), Some(Error::BadSocket));
        assert_eq!(t.create(AF_SP_RAW, 16), Ok(id));
        let second = t.get(id).unwrap();
        assert!(!Arc::ptr_eq(&first, &second) && second.is_raw());
        drop(first);
        let other = SocketTable::new();
        assert_eq!(other.get(id).err(), Some(Error::BadSocket), "another table's socket");
    }

    #[test]
    fn a_failed_create_does_not_use_an_id() {
        let t = SocketTable::new();
        assert_eq!(t.create(AF_SP, 1), Err(Error::Invalid));
        assert_eq!(t.create(7, 16), Err(Error::AddressFamilyNotSupported));
        assert_eq!(t.create(AF_SP_RAW, 16), Ok(0));
    }

    #[test]
    fn the_table_is_bounded() {
        let t = SocketTable::new();
        for _ in 0..MAX_SOCKETS {
            t.create(AF_SP, 16).unwrap();
        }
        assert_eq!(t.create(AF_SP, 16), Err(Error::TooManySockets));
        t.close(100).unwrap();
        assert_eq!(t.create(AF_SP, 16), Ok(100));
    }

    #[test]
    fn terminate_closes_everything_for_good() {
        let t = SocketTable::new();
        let id = t.create(AF_SP, 16).unwrap();
        let s = t.get(id).unwrap();
        t.terminate();
        assert!(t.term_signal().unwrap().is_set());
        assert_eq!(s.recv(true).err(), Some(Error::Terminated));
        assert_eq!(t.get(id).err(), Some(Error::BadSocket));
        assert_eq!(t.create(AF_SP, 16), Err(Error::Terminated));
    }
}

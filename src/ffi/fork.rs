//! fork() while other threads are inside the library. A child has only
//! the forking thread: a lock another thread held at the fork would stay
//! locked in the child for ever. So the process-wide locks a child's new
//! sockets need (the socket table, the buffer stock, the chunk registry)
//! are taken just before fork() and released just after it, in parent and
//! child alike. (The child also starts its own I/O thread: see the
//! reactor.)

use std::cell::RefCell;
use std::sync::Once;

use crate::core::{msg, table};

/// The holds taken by the forking thread.
struct Held {
    // Fields drop in order: the table was taken first, so it goes last.
    _live: super::chunk::RegistryHold,
    _stock: msg::pool::StockHold,
    _table: table::TableHold<'static>,
}

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

extern "C" fn before_fork() {
    let table = table::global().hold();
    let held = Held { _live: super::chunk::hold(), _stock: msg::pool::hold(), _table: table };
    HELD.with(|h| *h.borrow_mut() = Some(held));
}

extern "C" fn after_fork() {
    HELD.with(|h| drop(h.borrow_mut().take()));
}

/// Installs the fork handlers, once.
pub fn watch_forks() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: the handlers only take and drop the library's own locks,
        // on the forking thread (and in the child, its copy of it).
        unsafe { libc::pthread_atfork(Some(before_fork), Some(after_fork), Some(after_fork)) };
    });
}

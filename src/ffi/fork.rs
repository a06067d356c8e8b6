//! fork() while other threads are inside the library. A child has only
//! the forking thread: a lock another thread held at the fork would stay
//! locked in the child for ever. So the process-wide locks a child's new
//! sockets need (the inproc names, the WebSocket ports, the reactor slot,
//! the socket table, the buffer stock, the chunk registry) are taken just
//! before fork() and released just after it, in parent and child alike,
//! in the order the library nests them. (The child also starts its own
//! I/O thread: see the reactor, and leaves the lock-free buffer stocks
//! alone: see `msg::pool`.)

use std::any::Any;
use std::cell::RefCell;
use std::sync::Once;

use crate::core::{msg, table};
use crate::{reactor, transport};

/// The holds taken by the forking thread, in the order taken: an inproc
/// bind reaches the reactor slot through a socket, a ws bind through its
/// port; the table, the stock and the registry nest nothing.
type Held = Vec<Box<dyn Any>>;

thread_local! {
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

extern "C" fn before_fork() {
    // Taken in this order (a vec! evaluates its elements in order).
    let held: Held = vec![
        Box::new(transport::inproc::hold()),
        Box::new(transport::ws::hold()),
        Box::new(reactor::hold()),
        Box::new(table::global().hold()),
        Box::new(msg::pool::hold()),
        Box::new(super::chunk::hold()),
    ];
    HELD.with(|h| *h.borrow_mut() = Some(held));
}

extern "C" fn after_fork_in_child() {
    msg::pool::forked_child();
    after_fork();
}

extern "C" fn after_fork() {
    // Released in the reverse order.
    if let Some(mut held) = HELD.with(|h| h.borrow_mut().take()) {
        while held.pop().is_some() {}
    }
}

/// Installs the fork handlers, once.
pub fn watch_forks() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: the handlers only take and drop the library's own locks,
        // on the forking thread (and in the child, its copy of it).
        unsafe { libc::pthread_atfork(Some(before_fork), Some(after_fork), Some(after_fork_in_child)) };
    });
}

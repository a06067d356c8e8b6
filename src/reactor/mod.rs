//! The I/O thread: one per process, started with the first endpoint (and
//! again in a child after fork()). It waits on epoll for the fds of
//! listeners and connections, and on a heap of timers, and calls their
//! handlers. Handlers run on this thread and must
//! not block; they are held weakly, so a dropped connection simply stops
//! getting events.

mod timers;

use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once, Weak};
use std::time::{Duration, Instant};

use rustix::event::epoll::{self, EventData, EventFlags};
use rustix::event::{eventfd, EventfdFlags, Timespec};

use timers::Timers;

/// What a handler wants to hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interest {
    /// The fd is readable (or an incoming connection waits).
    pub read: bool,
    /// The fd is writable (or a connect finished).
    pub write: bool,
    /// Report changes only (edge-triggered): the handler reads and writes
    /// until EAGAIN each time, and nothing needs re-arming.
    pub edge: bool,
    /// The peer closed its side (reported as readable), even without
    /// `read`.
    pub hangup: bool,
}

impl Interest {
    /// Nothing but errors.
    pub const NONE: Interest = Interest { read: false, write: false, edge: false, hangup: false };
    /// Readability, for as long as it lasts.
    pub const READ: Interest = Interest { read: true, write: false, edge: false, hangup: true };
    /// Every change of readability and writability.
    pub const EDGES: Interest = Interest { read: true, write: true, edge: true, hangup: true };

    fn flags(self) -> EventFlags {
        let mut f = EventFlags::empty();
        if self.read {
            f |= EventFlags::IN;
        }
        if self.hangup {
            f |= EventFlags::RDHUP;
        }
        if self.write {
            f |= EventFlags::OUT;
        }
        if self.edge {
            f |= EventFlags::ET;
        }
        f
    }
}

/// What happened to an fd.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ready {
    /// Readable, or the peer closed its side (or both sides are closed).
    pub readable: bool,
    /// Writable.
    pub writable: bool,
    /// The socket has an error.
    pub failed: bool,
    /// The peer closed its side (or both sides are closed): reads end
    /// with it, however short the one before.
    pub hangup: bool,
}

/// Something the reactor calls back.
pub trait Handler: Send + Sync {
    /// The registered fd is ready.
    fn on_ready(&self, ready: Ready);
    /// A timer set with this handler's key fired with `token`.
    fn on_timer(&self, token: u64) {
        let _ = token;
    }
}

/// Identifies a registration: slot index and generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u64);

impl Key {
    fn slot(self) -> usize {
        (self.0 & 0xffff_ffff) as usize
    }
}

/// The key of the reactor's own wake-up eventfd.
const WAKE: u64 = u64::MAX;

#[derive(Default)]
struct Slots {
    handlers: Vec<Option<(u32, Weak<dyn Handler>)>>,
    free: Vec<usize>,
    generation: u32,
}

type Task = Box<dyn FnOnce() + Send>;

/// The process's I/O thread and its registrations.
pub struct Reactor {
    epoll: OwnedFd,
    wake: OwnedFd,
    slots: Mutex<Slots>,
    timers: Mutex<Timers>,
    tasks: Mutex<Vec<Task>>,
}

/// The process's reactor, and the fork generation it was started in.
static REACTOR: Mutex<Option<(u64, Arc<Reactor>)>> = Mutex::new(None);

/// Holds the process's reactor slot still until the hold drops: taken
/// around fork() so that a child never inherits it locked.
pub fn hold() -> impl Sized + 'static {
    lock(&REACTOR)
}

/// Counts the forks this process's line has gone through (in the child).
static FORKS: AtomicU64 = AtomicU64::new(0);

extern "C" fn forked_child() {
    FORKS.fetch_add(1, Ordering::AcqRel);
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Reactor {
    /// The process's reactor, started on first use, and again in a child
    /// after `fork()` (the parent's I/O thread does not come along).
    pub fn global() -> io::Result<Arc<Reactor>> {
        static WATCH_FORKS: Once = Once::new();
        WATCH_FORKS.call_once(|| {
            // SAFETY: registers a handler that only bumps an atomic counter,
            // which is async-signal-safe as a fork handler must be.
            unsafe { libc::pthread_atfork(None, None, Some(forked_child)) };
        });
        let generation = FORKS.load(Ordering::Acquire);
        let mut slot = lock(&REACTOR);
        if let Some((born, reactor)) = slot.as_ref() {
            if *born == generation {
                return Ok(reactor.clone());
            }
        }
        let reactor = Arc::new(Reactor::new()?);
        let runner = reactor.clone();
        std::thread::Builder::new().name("nnrs-reactor".into()).spawn(move || runner.run())?;
        *slot = Some((generation, reactor.clone()));
        Ok(reactor)
    }

    fn new() -> io::Result<Reactor> {
        let epoll = epoll::create(epoll::CreateFlags::CLOEXEC)?;
        let wake = eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK)?;
        epoll::add(&epoll, &wake, EventData::new_u64(WAKE), EventFlags::IN)?;
        Ok(Reactor {
            epoll,
            wake,
            slots: Mutex::default(),
            timers: Mutex::new(Timers::default()),
            tasks: Mutex::default(),
        })
    }

    /// Watches `fd` for `interest`, calling `handler` on this thread.
    // Takes the slots lock.
    pub fn register(&self, fd: impl AsFd, interest: Interest, handler: Weak<dyn Handler>) -> io::Result<Key> {
        let key = self.claim_slot(handler);
        if let Err(e) = epoll::add(&self.epoll, fd, EventData::new_u64(key.0), interest.flags()) {
            self.forget(key);
            return Err(e.into());
        }
        Ok(key)
    }

    /// A key for timers only, with no fd.
    pub fn register_timer_only(&self, handler: Weak<dyn Handler>) -> Key {
        self.claim_slot(handler)
    }

    /// Changes what a registered fd is watched for.
    pub fn reregister(&self, fd: impl AsFd, key: Key, interest: Interest) -> io::Result<()> {
        epoll::modify(&self.epoll, fd, EventData::new_u64(key.0), interest.flags())?;
        Ok(())
    }

    fn claim_slot(&self, handler: Weak<dyn Handler>) -> Key {
        let mut s = lock(&self.slots);
        s.generation = s.generation.wrapping_add(1);
        let generation = s.generation;
        let slot = match s.free.pop() {
            Some(i) => i,
            None => {
                s.handlers.push(None);
                s.handlers.len() - 1
            }
        };
        s.handlers[slot] = Some((generation, handler));
        Key(((generation as u64) << 32) | slot as u64)
    }

    /// Stops watching `fd`; its handler gets no further events or timers.
    pub fn deregister(&self, fd: impl AsFd, key: Key) {
        let _ = epoll::delete(&self.epoll, fd);
        self.forget(key);
    }

    /// Drops a registration: its handler hears nothing more.
    pub fn forget(&self, key: Key) {
        let mut s = lock(&self.slots);
        if let Some(Some((generation, _))) = s.handlers.get(key.slot()) {
            if u64::from(*generation) == key.0 >> 32 {
                s.handlers[key.slot()] = None;
                s.free.push(key.slot());
            }
        }
    }

    fn handler(&self, key: u64) -> Option<Arc<dyn Handler>> {
        let s = lock(&self.slots);
        match s.handlers.get(Key(key).slot()) {
            Some(Some((generation, h))) if u64::from(*generation) == key >> 32 => h.upgrade(),
            _ => None,
        }
    }

    /// Calls `on_timer(token)` of the handler of `key` at `at`.
    pub fn add_timer(&self, at: Instant, key: Key, token: u64) {
        let earliest = lock(&self.timers).add(at, key, token);
        if earliest {
            self.wake_up();
        }
    }

    /// Runs `task` on the reactor thread soon.
    pub fn run_soon(&self, task: Task) {
        let mut tasks = lock(&self.tasks);
        tasks.push(task);
        let first = tasks.len() == 1;
        drop(tasks);
        // Tasks already waiting have woken the thread, which takes all of
        // them after it has read the wake-up (see `run`): one wake-up for
        // a PUB's flushes to every subscriber, not one each.
        if first {
            self.wake_up();
        }
    }

    fn wake_up(&self) {
        let _ = rustix::io::write(&self.wake, &1u64.to_ne_bytes());
    }

    fn run(&self) {
        let mut events: Vec<epoll::Event> = Vec::with_capacity(256);
        loop {
            let timeout = lock(&self.timers).next().map(|at| {
                let d = at.saturating_duration_since(Instant::now()) + Duration::from_micros(50);
                Timespec { tv_sec: d.as_secs() as i64, tv_nsec: i64::from(d.subsec_nanos()) }
            });
            events.clear();
            match epoll::wait(&self.epoll, rustix::buffer::spare_capacity(&mut events), timeout.as_ref()) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
            for ev in &events {
                let key = ev.data.u64();
                if key == WAKE {
                    let mut buf = [0u8; 8];
                    let _ = rustix::io::read(&self.wake, &mut buf);
                    let tasks = std::mem::take(&mut *lock(&self.tasks));
                    for task in tasks {
                        task();
                    }
                    continue;
                }
                let Some(handler) = self.handler(key) else { continue };
                let f = ev.flags;
                // A hang-up is news for the reader: what the peer sent
                // before it is still there, and the read that finds the
                // end closes the connection.
                handler.on_ready(Ready {
                    readable: f.intersects(EventFlags::IN | EventFlags::RDHUP | EventFlags::HUP),
                    writable: f.contains(EventFlags::OUT),
                    failed: f.contains(EventFlags::ERR),
                    hangup: f.intersects(EventFlags::RDHUP | EventFlags::HUP),
                });
            }
            let due = lock(&self.timers).take_due(Instant::now());
            for (key, token) in due {
                if let Some(handler) = self.handler(key.0) {
                    handler.on_timer(token);
                }
            }
        }
    }
}

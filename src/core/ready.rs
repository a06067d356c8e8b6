//! A readiness signal as a file descriptor (an eventfd): readable exactly
//! while the condition it stands for holds. NN_SNDFD / NN_RCVFD and
//! `nn_poll` hand these to the caller's poll loop.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::sync::Mutex;

use rustix::event::{eventfd, EventfdFlags};

use super::error::{Error, Result};

/// A level-triggered signal backed by an eventfd.
#[derive(Debug)]
pub struct ReadySignal {
    fd: OwnedFd,
    raised: Mutex<bool>,
}

impl ReadySignal {
    /// A new signal, lowered.
    pub fn new() -> Result<ReadySignal> {
        let fd = eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK)
            .map_err(|_| Error::TooManySockets)?;
        Ok(ReadySignal { fd, raised: Mutex::new(false) })
    }

    /// Makes the fd readable (`true`) or not (`false`); idempotent.
    pub fn set(&self, ready: bool) {
        let mut raised = self.raised.lock().unwrap_or_else(|e| e.into_inner());
        if *raised == ready {
            return;
        }
        let done = if ready {
            rustix::io::write(&self.fd, &1u64.to_ne_bytes()).is_ok()
        } else {
            let mut buf = [0u8; 8];
            rustix::io::read(&self.fd, &mut buf).is_ok()
        };
        if done {
            *raised = ready;
        }
    }

    /// Whether the signal is raised.
    pub fn is_set(&self) -> bool {
        *self.raised.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The descriptor, for the caller's poll.
    pub fn raw_fd(&self) -> i32 {
        self.fd.as_raw_fd()
    }
}

impl AsFd for ReadySignal {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustix::event::{poll, PollFd, PollFlags, Timespec};

    fn readable(s: &ReadySignal) -> bool {
        let mut fds = [PollFd::new(s, PollFlags::IN)];
        let zero = Timespec { tv_sec: 0, tv_nsec: 0 };
        poll(&mut fds, Some(&zero)).unwrap() == 1
    }

    #[test]
    fn follows_the_level() {
        let s = ReadySignal::new().unwrap();
        assert!(!readable(&s));
        s.set(true);
        s.set(true);
        assert!(readable(&s) && s.is_set());
        s.set(false);
        assert!(!readable(&s) && !s.is_set());
    }
}

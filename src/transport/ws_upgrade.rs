//! The server's half of the WebSocket upgrade, before any socket owns the
//! connection: read the client's request (at most MAX_HEAD bytes, within
//! UPGRADE_TIMEOUT), find the endpoint bound at its path, check that it
//! asks for that socket's subprotocol, and answer 101 and hand the fd
//! over, or answer the HTTP status that says what was wrong and close.
//! Nothing a client sends here reaches a socket.

use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use rustix::io::Errno;

use super::ws::Port;
use crate::reactor::{Handler, Interest, Key, Ready, Reactor};
use crate::wire::ws_http::{self, Refusal, MAX_HEAD};

/// How long a client has to send its whole request.
const UPGRADE_TIMEOUT: Duration = Duration::from_secs(2);
/// Timer token of that deadline.
const DEADLINE: u64 = 1;
/// Bytes read at a time.
const READ_CHUNK: usize = 2048;

/// One connection whose upgrade request is being read.
pub struct Upgrade {
    /// The fd and the bytes read so far; `None` once answered.
    state: Mutex<Option<(OwnedFd, Vec<u8>)>>,
    number: i32,
    port: Weak<Port>,
    reactor: Arc<Reactor>,
    key: OnceLock<Key>,
    me: Weak<Upgrade>,
}

/// How an upgrade ends.
enum Outcome {
    /// To be answered with `answer` (101); `early`, the bytes after the
    /// request, go with the fd.
    Upgraded { route: Arc<super::ws::Route>, answer: Vec<u8>, early: Vec<u8> },
    /// Refused with this status.
    Refused(Refusal),
}

impl Upgrade {
    /// Waits for the request on an accepted fd.
    pub fn start(fd: OwnedFd, port: Weak<Port>, reactor: Arc<Reactor>) -> std::io::Result<Arc<Upgrade>> {
        let upgrade = Arc::new_cyclic(|me| Upgrade {
            number: fd.as_raw_fd(),
            state: Mutex::new(Some((fd, Vec::new()))),
            port,
            reactor,
            key: OnceLock::new(),
            me: me.clone(),
        });
        let handler: Weak<dyn Handler> = upgrade.me.clone();
        let state = upgrade.state.lock().unwrap_or_else(|e| e.into_inner());
        let Some((fd, _)) = state.as_ref() else { return Err(std::io::ErrorKind::NotConnected.into()) };
        // Registering reports bytes already there, so nothing is read here.
        let key = upgrade.reactor.register(fd, Interest { read: true, write: false, edge: true, hangup: true }, handler)?;
        drop(state);
        let _ = upgrade.key.set(key);
        upgrade.reactor.add_timer(Instant::now() + UPGRADE_TIMEOUT, key, DEADLINE);
        Ok(upgrade)
    }

    /// Reads what has come and answers once the request is complete.
    fn read(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Some((fd, buf)) = state.as_mut() else { return };
        let outcome = loop {
            let at = buf.len();
            buf.resize(at + READ_CHUNK, 0);
            let result = rustix::io::read(&*fd, &mut buf[at..]);
            buf.truncate(at + *result.as_ref().unwrap_or(&0));
            match result {
                Ok(0) | Err(Errno::AGAIN) => {}
                // Read on while there is room for a head: a client that
                // sends more without ending it is refused below.
                Ok(_) if buf.len() >= MAX_HEAD => {}
                Ok(_) | Err(Errno::INTR) => continue,
                Err(_) => break None,
            }
            let eof = matches!(result, Ok(0));
            break match ws_http::parse_request(buf) {
                Ok(Some((request, used))) => Some(self.route(request, buf.split_off(used))),
                Ok(None) if eof => None,
                Ok(None) => return,
                Err(refusal) => Some(Outcome::Refused(refusal)),
            };
        };
        let Some((fd, _)) = state.take() else { return };
        drop(state);
        self.finish(fd, outcome);
    }

    /// Where a well-formed request goes.
    fn route(&self, request: ws_http::Request, early: Vec<u8>) -> Outcome {
        let Some(route) = self.port.upgrade().and_then(|p| p.route(&request.path)) else {
            return Outcome::Refused(ws_http::NOT_FOUND);
        };
        let protocol = ws_http::subprotocol(route.type_name());
        if !request.protocols.contains(&protocol) {
            return Outcome::Refused(ws_http::WRONG_PROTOCOL);
        }
        let answer = ws_http::accept_response(&request, &protocol);
        Outcome::Upgraded { route, answer, early }
    }

    /// Answers (`None`: the client went away) and lets go of the fd.
    fn finish(&self, fd: OwnedFd, outcome: Option<Outcome>) {
        if let Some(key) = self.key.get() {
            self.reactor.deregister(&fd, *key);
        }
        match outcome {
            Some(Outcome::Upgraded { route, answer, early }) if write_all_now(&fd, &answer) => route.adopt(fd, early),
            Some(Outcome::Refused(refusal)) => {
                write_all_now(&fd, &ws_http::refusal_response(refusal));
            }
            Some(Outcome::Upgraded { .. }) | None => {}
        }
        if let Some(port) = self.port.upgrade() {
            port.upgrade_done(self.number);
        }
    }

    /// The port is closing: drop the connection unanswered.
    pub fn abandon(&self) {
        let taken = self.state.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let (Some((fd, _)), Some(key)) = (taken, self.key.get()) {
            self.reactor.deregister(&fd, *key);
        }
    }
}

/// Writes a short answer to a fresh connection, whose send buffer is
/// empty; false if the kernel did not take all of it.
fn write_all_now(fd: &OwnedFd, bytes: &[u8]) -> bool {
    loop {
        match rustix::io::write(fd, bytes) {
            Ok(n) => return n == bytes.len(),
            Err(Errno::INTR) => continue,
            Err(_) => return false,
        }
    }
}

impl Handler for Upgrade {
    fn on_ready(&self, ready: Ready) {
        if ready.readable || ready.failed {
            self.read();
        }
    }

    fn on_timer(&self, token: u64) {
        if token != DEADLINE {
            return;
        }
        let taken = self.state.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some((fd, _)) = taken {
            self.finish(fd, Some(Outcome::Refused(ws_http::TIMEOUT)));
        }
    }
}

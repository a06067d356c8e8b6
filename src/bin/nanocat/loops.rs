//! The four ways nanocat uses a socket: send (PUSH, PUB), receive (PULL,
//! SUB, and any type given no data), send then receive (REQ, SURVEYOR,
//! BUS, PAIR) and answer (REP, RESPONDENT). With an interval the sending
//! ones repeat on a fixed period; a receive that times out (or that the
//! protocol refuses, EFSM) ends receiving, except when answering.

use std::io::Write;
use std::thread::sleep;
use std::time::Instant;

use crate::cli::Format;
use crate::format::render;
use crate::run::{cannot, duration, millis};
use crate::socket::Socket;
use crate::Failure;

const EAGAIN: i32 = libc::EAGAIN;
const ETIMEDOUT: i32 = libc::ETIMEDOUT;
/// nanomsg's own code for "not in this state" (NN_HAUSNUMERO + 54).
const EFSM: i32 = 156_384_712 + 54;

/// Prints one message to stdout at once, so a reader sees each as it
/// arrives. A write error is ignored as C's stdio would; a closed pipe
/// ends the process by SIGPIPE before that.
fn print(format: Format, msg: &[u8]) {
    if format == Format::No {
        return;
    }
    let mut text = Vec::with_capacity(msg.len() + 8);
    render(format, msg, &mut text);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&text).and_then(|()| out.flush());
}

/// Sleeps until `instant`, if it is still ahead.
fn sleep_until(instant: Instant) {
    if let Some(left) = instant.checked_duration_since(Instant::now()) {
        sleep(left);
    }
}

/// The end of this period, or none for a period that cannot be waited.
fn period_end(start: Instant, interval: f64) -> Option<Instant> {
    duration(interval).and_then(|d| start.checked_add(d))
}

/// Sends `data` once, or every `interval` seconds for ever.
pub fn send(socket: &Socket, data: &[u8], interval: Option<f64>) -> Result<(), Failure> {
    loop {
        let start = Instant::now();
        socket.send(data).map_err(cannot("send"))?;
        match interval.and_then(|i| period_end(start, i)) {
            Some(end) => sleep_until(end),
            None => return Ok(()),
        }
    }
}

/// Prints what arrives until a receive times out or is refused.
pub fn receive(socket: &Socket, format: Format) -> Result<(), Failure> {
    loop {
        match socket.recv(|msg| print(format, msg)) {
            Ok(()) => {}
            Err(e) if e.0 == EAGAIN => {}
            Err(e) if e.0 == ETIMEDOUT || e.0 == EFSM => return Ok(()),
            Err(e) => return Err(cannot("recv")(e)),
        }
    }
}

/// Sends `data`, then prints what comes back: until receiving ends, or,
/// with an interval, until the period is over and it is time to send again.
pub fn send_and_receive(socket: &Socket, data: &[u8], interval: Option<f64>, format: Format) -> Result<(), Failure> {
    loop {
        let start = Instant::now();
        socket.send(data).map_err(cannot("send"))?;
        let Some(end) = interval.and_then(|i| period_end(start, i)) else {
            return receive(socket, format);
        };
        while let Some(left) = end.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
            // Wait for an answer no longer than the rest of the period.
            let ms = millis(left.as_secs_f64()).max(1);
            socket.set_recv_timeout(ms).map_err(cannot("set recv timeout"))?;
            match socket.recv(|msg| print(format, msg)) {
                Ok(()) => {}
                Err(e) if e.0 == EAGAIN => {}
                Err(e) if e.0 == ETIMEDOUT || e.0 == EFSM => {
                    sleep_until(end);
                    break;
                }
                Err(e) => return Err(cannot("recv")(e)),
            }
        }
    }
}

/// Prints each request or survey and answers it with `data`, for ever: a
/// receive timeout here is an error, as in nanocat.
pub fn answer(socket: &Socket, data: &[u8], format: Format) -> Result<(), Failure> {
    loop {
        match socket.recv(|msg| print(format, msg)) {
            Ok(()) => {}
            Err(e) if e.0 == EAGAIN => continue,
            Err(e) => return Err(cannot("recv")(e)),
        }
        socket.send(data).map_err(cannot("send"))?;
    }
}

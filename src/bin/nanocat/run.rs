//! One run of nanocat: open the socket, set its options, bind and connect,
//! wait the delay, then hand over to the loop the socket type calls for.
//! Any failing call ends the run with "Can't ...: <nn_strerror>" and
//! status 3, as nanocat does.

use std::ffi::c_int;
use std::thread::sleep;
use std::time::Duration;

use crate::config::Config;
use crate::kind::Kind;
use crate::loops;
use crate::socket::{NnError, Socket};
use crate::Failure;

/// Seconds as the milliseconds a timeout option takes; an infinite,
/// negative or unreadable time means no timeout (-1).
pub fn millis(seconds: f64) -> c_int {
    let ms = seconds * 1000.0;
    if ms.is_finite() && ms >= 0.0 {
        // `as` saturates: anything beyond ~24 days waits ~24 days.
        ms as c_int
    } else {
        -1
    }
}

/// A whole number of seconds, or none for an unusable one.
pub fn duration(seconds: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(seconds).ok()
}

/// `Can't <what>: <message>`, status 3.
pub fn cannot(what: &str) -> impl FnOnce(NnError) -> Failure + '_ {
    move |e| Failure::library(format!("Can't {what}: {e}\n"))
}

fn open(config: &Config) -> Result<Socket, Failure> {
    let socket = Socket::open(config.kind.protocol()).map_err(cannot("create socket"))?;
    if let Some(name) = &config.socket_name {
        socket.set_name(name).map_err(cannot("set socket name"))?;
    }
    if let Some(seconds) = config.recv_timeout {
        socket.set_recv_timeout(millis(seconds)).map_err(cannot("set recv timeout"))?;
    }
    if let Some(seconds) = config.send_timeout {
        socket.set_send_timeout(millis(seconds)).map_err(cannot("set send timeout"))?;
    }
    if config.kind == Kind::Sub {
        if config.subscriptions.is_empty() {
            socket.subscribe(b"").map_err(cannot("subscribe"))?;
        }
        for prefix in &config.subscriptions {
            socket.subscribe(prefix).map_err(cannot("subscribe"))?;
        }
    }
    for addr in &config.binds {
        socket.bind(addr).map_err(cannot("bind"))?;
    }
    for addr in &config.connects {
        socket.connect(addr).map_err(cannot("connect"))?;
    }
    Ok(socket)
}

/// Runs to the end; the socket is closed (and what it queued flushed, up
/// to NN_LINGER) before this returns.
pub fn run(config: &Config) -> Result<(), Failure> {
    let socket = open(config)?;
    if let Some(pause) = config.delay.and_then(duration) {
        sleep(pause);
    }
    let data = config.data.as_deref();
    match (config.kind, data) {
        (Kind::Push | Kind::Pub, Some(data)) => loops::send(&socket, data, config.interval),
        (Kind::Req | Kind::Surveyor | Kind::Bus | Kind::Pair, Some(data)) => {
            loops::send_and_receive(&socket, data, config.interval, config.format)
        }
        (Kind::Rep | Kind::Respondent, Some(data)) => loops::answer(&socket, data, config.format),
        // Only receiving types are left: the rules give the others data.
        _ => loops::receive(&socket, config.format),
    }
}

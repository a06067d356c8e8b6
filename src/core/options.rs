//! Generic socket options (level NN_SOL_SOCKET): their numbers, defaults
//! and valid ranges. Protocol and transport options live in their layers;
//! the read-only options NN_DOMAIN, NN_PROTOCOL, NN_SNDFD and NN_RCVFD are
//! answered by the socket itself.

use super::error::{Error, Result};
use super::optval::{bool_value, int_in_range, OptionValue};

/// Option level of the generic socket options.
pub const NN_SOL_SOCKET: i32 = 0;

/// Numbers of the generic socket options.
#[allow(missing_docs)]
pub mod id {
    pub const LINGER: i32 = 1;
    pub const SNDBUF: i32 = 2;
    pub const RCVBUF: i32 = 3;
    pub const SNDTIMEO: i32 = 4;
    pub const RCVTIMEO: i32 = 5;
    pub const RECONNECT_IVL: i32 = 6;
    pub const RECONNECT_IVL_MAX: i32 = 7;
    pub const SNDPRIO: i32 = 8;
    pub const RCVPRIO: i32 = 9;
    pub const SNDFD: i32 = 10;
    pub const RCVFD: i32 = 11;
    pub const DOMAIN: i32 = 12;
    pub const PROTOCOL: i32 = 13;
    pub const IPV4ONLY: i32 = 14;
    pub const SOCKET_NAME: i32 = 15;
    pub const RCVMAXSIZE: i32 = 16;
    pub const MAXTTL: i32 = 17;
}

/// Longest NN_SOCKET_NAME accepted, in bytes.
pub const MAX_SOCKET_NAME: usize = 63;

/// The settable generic options of one socket. Times are milliseconds;
/// a negative NN_LINGER, NN_SNDTIMEO or NN_RCVTIMEO means "no limit", as
/// nanomsg documents.
#[derive(Debug, Clone)]
pub struct SocketOptions {
    /// NN_LINGER: how long `nn_close` waits for queued messages.
    pub linger: i32,
    /// NN_SNDBUF: bytes the send side may queue.
    pub sndbuf: i32,
    /// NN_RCVBUF: bytes the receive side may queue.
    pub rcvbuf: i32,
    /// NN_SNDTIMEO.
    pub sndtimeo: i32,
    /// NN_RCVTIMEO.
    pub rcvtimeo: i32,
    /// NN_RECONNECT_IVL.
    pub reconnect_ivl: i32,
    /// NN_RECONNECT_IVL_MAX (0: the interval does not grow).
    pub reconnect_ivl_max: i32,
    /// NN_SNDPRIO, 1 (highest) to 16.
    pub sndprio: i32,
    /// NN_RCVPRIO, 1 (highest) to 16.
    pub rcvprio: i32,
    /// NN_IPV4ONLY.
    pub ipv4only: bool,
    /// NN_SOCKET_NAME.
    pub name: Vec<u8>,
    /// NN_RCVMAXSIZE (-1: no limit).
    pub rcvmaxsize: i32,
    /// NN_MAXTTL: hops a request or survey may take, 1 to 255.
    pub maxttl: i32,
}

impl SocketOptions {
    /// The defaults nanomsg gives a fresh socket; its name is its id.
    pub fn new(socket_id: usize) -> Self {
        SocketOptions {
            linger: 0,
            sndbuf: 128 * 1024,
            rcvbuf: 128 * 1024,
            sndtimeo: -1,
            rcvtimeo: -1,
            reconnect_ivl: 100,
            reconnect_ivl_max: 0,
            sndprio: 8,
            rcvprio: 8,
            ipv4only: true,
            name: socket_id.to_string().into_bytes(),
            rcvmaxsize: 1024 * 1024,
            maxttl: 8,
        }
    }

    /// Sets one option from the bytes the caller passed.
    pub fn set(&mut self, option: i32, value: &[u8]) -> Result<()> {
        const MAX: i32 = i32::MAX;
        match option {
            id::LINGER => self.linger = int_in_range(value, i32::MIN, MAX)?,
            id::SNDBUF => self.sndbuf = int_in_range(value, 1, MAX)?,
            id::RCVBUF => self.rcvbuf = int_in_range(value, 1, MAX)?,
            id::SNDTIMEO => self.sndtimeo = int_in_range(value, i32::MIN, MAX)?,
            id::RCVTIMEO => self.rcvtimeo = int_in_range(value, i32::MIN, MAX)?,
            id::RECONNECT_IVL => self.reconnect_ivl = int_in_range(value, 0, MAX)?,
            id::RECONNECT_IVL_MAX => self.reconnect_ivl_max = int_in_range(value, 0, MAX)?,
            id::SNDPRIO => self.sndprio = int_in_range(value, 1, 16)?,
            id::RCVPRIO => self.rcvprio = int_in_range(value, 1, 16)?,
            id::IPV4ONLY => self.ipv4only = bool_value(value)?,
            id::RCVMAXSIZE => self.rcvmaxsize = int_in_range(value, -1, MAX)?,
            id::MAXTTL => self.maxttl = int_in_range(value, 1, 255)?,
            id::SOCKET_NAME => {
                if value.len() > MAX_SOCKET_NAME {
                    return Err(Error::Invalid);
                }
                self.name = value.to_vec();
            }
            _ => return Err(Error::NoSuchOption),
        }
        Ok(())
    }

    /// Reads one option back.
    pub fn get(&self, option: i32) -> Result<OptionValue> {
        let int = OptionValue::Int;
        Ok(match option {
            id::LINGER => int(self.linger),
            id::SNDBUF => int(self.sndbuf),
            id::RCVBUF => int(self.rcvbuf),
            id::SNDTIMEO => int(self.sndtimeo),
            id::RCVTIMEO => int(self.rcvtimeo),
            id::RECONNECT_IVL => int(self.reconnect_ivl),
            id::RECONNECT_IVL_MAX => int(self.reconnect_ivl_max),
            id::SNDPRIO => int(self.sndprio),
            id::RCVPRIO => int(self.rcvprio),
            id::IPV4ONLY => int(self.ipv4only as i32),
            id::RCVMAXSIZE => int(self.rcvmaxsize),
            id::MAXTTL => int(self.maxttl),
            id::SOCKET_NAME => OptionValue::Bytes(self.name.clone()),
            _ => return Err(Error::NoSuchOption),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(v: i32) -> [u8; 4] {
        v.to_ne_bytes()
    }

    #[test]
    fn defaults_match_nanomsg() {
        let o = SocketOptions::new(7);
        assert_eq!(o.get(id::SNDBUF), Ok(OptionValue::Int(131072)));
        assert_eq!(o.get(id::RCVMAXSIZE), Ok(OptionValue::Int(1048576)));
        assert_eq!(o.get(id::SOCKET_NAME), Ok(OptionValue::Bytes(b"7".to_vec())));
    }

    #[test]
    fn ranges_are_checked() {
        let mut o = SocketOptions::new(0);
        assert_eq!(o.set(id::SNDPRIO, &int(0)), Err(Error::Invalid));
        assert_eq!(o.set(id::SNDPRIO, &int(16)), Ok(()));
        assert_eq!(o.set(id::SNDBUF, &int(0)), Err(Error::Invalid));
        assert_eq!(o.set(id::MAXTTL, &int(256)), Err(Error::Invalid));
        assert_eq!(o.set(id::RCVMAXSIZE, &int(-1)), Ok(()));
        assert_eq!(o.set(id::SOCKET_NAME, &[b'x'; 64]), Err(Error::Invalid));
        assert_eq!(o.set(99, &int(1)), Err(Error::NoSuchOption));
    }
}

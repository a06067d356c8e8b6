//! Transport options (levels NN_IPC, NN_TCP, NN_WS), kept per socket and
//! handed to each endpoint the socket creates.

use super::{Transport, NN_IPC, NN_TCP, NN_WS};
use crate::core::error::{Error, Result};
use crate::core::optval::{bool_value, int_in_range, OptionValue};

/// NN_IPC_SEC_ATTR: on POSIX, the permission bits of a bound socket file.
pub const NN_IPC_SEC_ATTR: i32 = 1;
/// NN_IPC_OUTBUFSZ: send buffer size of ipc connections, bytes.
pub const NN_IPC_OUTBUFSZ: i32 = 2;
/// NN_IPC_INBUFSZ: receive buffer size of ipc connections, bytes.
pub const NN_IPC_INBUFSZ: i32 = 3;
/// NN_TCP_NODELAY: disable Nagle's algorithm.
pub const NN_TCP_NODELAY: i32 = 1;
/// NN_WS_MSG_TYPE: frame type of outgoing WebSocket messages.
pub const NN_WS_MSG_TYPE: i32 = 1;
/// NN_WS_MSG_TYPE_TEXT.
pub const NN_WS_MSG_TYPE_TEXT: i32 = 1;
/// NN_WS_MSG_TYPE_BINARY.
pub const NN_WS_MSG_TYPE_BINARY: i32 = 2;

/// The transport options of one socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportOptions {
    /// NN_IPC_SEC_ATTR: file mode of bound ipc socket files (0: umask).
    pub ipc_file_mode: i32,
    /// NN_IPC_OUTBUFSZ.
    pub ipc_outbufsz: i32,
    /// NN_IPC_INBUFSZ.
    pub ipc_inbufsz: i32,
    /// NN_TCP_NODELAY.
    pub tcp_nodelay: bool,
    /// NN_WS_MSG_TYPE.
    pub ws_msg_type: i32,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            ipc_file_mode: 0,
            ipc_outbufsz: 4096,
            ipc_inbufsz: 4096,
            tcp_nodelay: false,
            ws_msg_type: NN_WS_MSG_TYPE_BINARY,
        }
    }
}

/// Checks an NN_WS_MSG_TYPE value (also used for its control message).
pub fn ws_msg_type(value: &[u8]) -> Result<i32> {
    int_in_range(value, NN_WS_MSG_TYPE_TEXT, NN_WS_MSG_TYPE_BINARY)
}

impl TransportOptions {
    /// Sets an option at a transport level.
    pub fn set(&mut self, level: i32, option: i32, value: &[u8]) -> Result<()> {
        match (level, option) {
            (NN_IPC, NN_IPC_SEC_ATTR) => self.ipc_file_mode = int_in_range(value, 0, 0o7777)?,
            (NN_IPC, NN_IPC_OUTBUFSZ) => self.ipc_outbufsz = int_in_range(value, 1, i32::MAX)?,
            (NN_IPC, NN_IPC_INBUFSZ) => self.ipc_inbufsz = int_in_range(value, 1, i32::MAX)?,
            (NN_TCP, NN_TCP_NODELAY) => self.tcp_nodelay = bool_value(value)?,
            (NN_WS, NN_WS_MSG_TYPE) => self.ws_msg_type = ws_msg_type(value)?,
            _ => return Err(Error::NoSuchOption),
        }
        Ok(())
    }

    /// Reads an option at a transport level back.
    pub fn get(&self, level: i32, option: i32) -> Result<OptionValue> {
        let v = match (Transport::from_level(level), option) {
            (Some(Transport::Ipc), NN_IPC_SEC_ATTR) => self.ipc_file_mode,
            (Some(Transport::Ipc), NN_IPC_OUTBUFSZ) => self.ipc_outbufsz,
            (Some(Transport::Ipc), NN_IPC_INBUFSZ) => self.ipc_inbufsz,
            (Some(Transport::Tcp), NN_TCP_NODELAY) => self.tcp_nodelay as i32,
            (Some(Transport::Ws), NN_WS_MSG_TYPE) => self.ws_msg_type,
            _ => return Err(Error::NoSuchOption),
        };
        Ok(OptionValue::Int(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_and_read_back() {
        let mut t = TransportOptions::default();
        t.set(NN_TCP, NN_TCP_NODELAY, &1i32.to_ne_bytes()).unwrap();
        assert_eq!(t.get(NN_TCP, NN_TCP_NODELAY), Ok(OptionValue::Int(1)));
        assert_eq!(t.set(NN_WS, NN_WS_MSG_TYPE, &3i32.to_ne_bytes()), Err(Error::Invalid));
        assert_eq!(t.set(NN_IPC, NN_IPC_SEC_ATTR, &0o600i32.to_ne_bytes()), Ok(()));
        assert_eq!(t.get(-1, 1), Err(Error::NoSuchOption));
        assert_eq!(t.set(NN_TCP, 2, &0i32.to_ne_bytes()), Err(Error::NoSuchOption));
    }
}

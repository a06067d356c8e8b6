//! Transports: inproc, ipc, tcp and ws. Each is named by an address scheme
//! and an option level (NN_INPROC = -1 … NN_WS = -4). Connections arrive
//! with the messaging engine; until then only addresses and options exist.

pub mod addr;
pub mod options;

/// One of the four transports.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Inproc,
    Ipc,
    Tcp,
    Ws,
}

/// Option level of the inproc transport.
pub const NN_INPROC: i32 = -1;
/// Option level of the ipc transport.
pub const NN_IPC: i32 = -2;
/// Option level of the tcp transport.
pub const NN_TCP: i32 = -3;
/// Option level of the ws transport.
pub const NN_WS: i32 = -4;

impl Transport {
    /// The transport of an address scheme ("tcp" …), if there is one.
    pub fn from_scheme(scheme: &str) -> Option<Transport> {
        match scheme {
            "inproc" => Some(Transport::Inproc),
            "ipc" => Some(Transport::Ipc),
            "tcp" => Some(Transport::Tcp),
            "ws" => Some(Transport::Ws),
            _ => None,
        }
    }

    /// The transport whose option level is `level`, if there is one.
    pub fn from_level(level: i32) -> Option<Transport> {
        match level {
            NN_INPROC => Some(Transport::Inproc),
            NN_IPC => Some(Transport::Ipc),
            NN_TCP => Some(Transport::Tcp),
            NN_WS => Some(Transport::Ws),
            _ => None,
        }
    }
}

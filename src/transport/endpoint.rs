//! What every transport's endpoint shares: the options it was created with
//! and the handle its socket keeps to shut it down.

use std::sync::Weak;

use super::pipe::PipeOwner;
use crate::wire::frame::Framing;

/// The socket's options as they were when the endpoint was created.
#[derive(Debug, Clone)]
pub struct EndpointOptions {
    /// Our protocol id (sent in the handshake).
    pub protocol: u16,
    /// The protocol id a peer must have.
    pub peer_protocol: u16,
    /// NN_RCVMAXSIZE (`None`: no limit).
    pub recv_max_size: Option<u64>,
    /// NN_SNDBUF: bytes a pipe may queue.
    pub send_buffer: usize,
    /// NN_RCVBUF.
    pub recv_buffer: usize,
    /// NN_RECONNECT_IVL, milliseconds.
    pub reconnect_ivl: u64,
    /// NN_RECONNECT_IVL_MAX, milliseconds (0: no growth).
    pub reconnect_ivl_max: u64,
    /// NN_SNDPRIO.
    pub send_priority: u8,
    /// NN_RCVPRIO.
    pub recv_priority: u8,
    /// NN_IPV4ONLY.
    pub ipv4_only: bool,
    /// NN_TCP_NODELAY.
    pub tcp_nodelay: bool,
    /// NN_IPC_SEC_ATTR read as a file mode (0: leave to the umask).
    pub ipc_file_mode: u32,
    /// NN_WS_MSG_TYPE: the WebSocket opcode of outgoing messages.
    pub ws_msg_type: u8,
    /// Our socket type's name ("req" …): the WebSocket subprotocol a
    /// server accepts.
    pub type_name: &'static str,
    /// The peer's type name: the subprotocol a client asks for.
    pub peer_type_name: &'static str,
}

/// A live endpoint, as its socket holds it.
pub trait Endpoint: Send + Sync {
    /// Stops listening or dialing and closes every pipe it made.
    fn shutdown(&self);
}

/// Who a stream connection reports to: its socket, and the endpoint that
/// made it (a dialer reconnects when it ends).
#[derive(Clone)]
pub struct ConnContext {
    /// The socket.
    pub owner: Weak<dyn PipeOwner>,
    /// The endpoint's options.
    pub options: EndpointOptions,
    /// tcp or ipc framing.
    pub framing: Framing,
    /// Which end of a WebSocket (over tcp framing's socket) this is.
    pub ws: Option<WsRole>,
}

/// The end of a WebSocket connection.
#[derive(Debug, Clone)]
pub enum WsRole {
    /// The accepting end: it answered the upgrade, takes masked frames.
    Server,
    /// The connecting end: it sends the upgrade request to `host` for
    /// `path`, and masks its frames.
    Client {
        /// The Host header.
        host: String,
        /// The request target.
        path: String,
    },
}

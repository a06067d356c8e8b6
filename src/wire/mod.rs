//! Byte-level codecs of the SP wire: the stream handshake and the tcp / ipc
//! framing. Pure functions over bytes, so they can be tested and fuzzed
//! without a socket.

pub mod frame;
pub mod sp;
pub mod ws_decoder;
pub mod ws_frame;
pub mod ws_http;

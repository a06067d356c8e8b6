//! nnrs: libnanomsg rewritten in Rust, a drop-in replacement at the C ABI.
//!
//! Layers call only downward: `ffi` (the C entry points) → `core` (socket
//! table, sockets, options, messages) → `protocol` (socket types) →
//! `transport` (addresses and connections).

#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod core;
pub mod ffi;
pub mod protocol;
pub mod reactor;
pub mod transport;
pub mod wire;

//! The structures of `nn.h`, laid out as C lays them out.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_short, c_void};

/// One buffer of a scatter/gather array.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct nn_iovec {
    /// Start of the buffer (for NN_MSG: where the chunk pointer is).
    pub iov_base: *mut c_void,
    /// Its length, or NN_MSG.
    pub iov_len: usize,
}

/// The message descriptor of `nn_sendmsg` / `nn_recvmsg`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct nn_msghdr {
    /// The buffers.
    pub msg_iov: *mut nn_iovec,
    /// How many.
    pub msg_iovlen: c_int,
    /// Control data (for NN_MSG: where the chunk pointer is).
    pub msg_control: *mut c_void,
    /// Its length, or NN_MSG.
    pub msg_controllen: usize,
}

/// The header of one control message.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct nn_cmsghdr {
    /// Header and data length, in bytes.
    pub cmsg_len: usize,
    /// Its level (PROTO_SP, or a transport's).
    pub cmsg_level: c_int,
    /// Its type at that level.
    pub cmsg_type: c_int,
}

/// One socket of `nn_poll`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct nn_pollfd {
    /// The socket.
    pub fd: c_int,
    /// NN_POLLIN | NN_POLLOUT wanted.
    pub events: c_short,
    /// What is ready.
    pub revents: c_short,
}

/// One row of the symbol table.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct nn_symbol_properties {
    /// The symbol's value.
    pub value: c_int,
    /// Its name, a static string.
    pub name: *const c_char,
    /// NN_NS_*.
    pub ns: c_int,
    /// NN_TYPE_*.
    pub r#type: c_int,
    /// NN_UNIT_*.
    pub unit: c_int,
}

/// `(size_t) -1`: "the buffer is a chunk pointer" in lengths.
pub const NN_MSG: usize = usize::MAX;
/// The one flag of the send and receive calls.
pub const NN_DONTWAIT: c_int = 1;

//! A nanomsg socket driven through the library's C API, as any C program
//! would drive it: `nn_socket`, `nn_bind`, `nn_setsockopt`, `nn_send`,
//! `nn_recv` and `nn_close`, with errors read from `nn_errno`. This is the
//! only file of the program that touches raw pointers.

use std::ffi::{c_int, c_void, CStr};
use std::fmt;

use nanomsg::ffi::chunk::nn_freemsg;
use nanomsg::ffi::errors::{message, nn_errno};
use nanomsg::ffi::io::{nn_recv, nn_send};
use nanomsg::ffi::options::nn_setsockopt;
use nanomsg::ffi::sockets::{nn_bind, nn_close, nn_connect, nn_socket};
use nanomsg::ffi::types::NN_MSG;

/// nn.h's numbers for the few constants the program uses.
const AF_SP: c_int = 1;
const NN_SOL_SOCKET: c_int = 0;
const NN_SNDTIMEO: c_int = 4;
const NN_RCVTIMEO: c_int = 5;
const NN_SOCKET_NAME: c_int = 15;
const NN_SUB: c_int = 33;
const NN_SUB_SUBSCRIBE: c_int = 1;

/// An errno the library reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NnError(pub c_int);

impl NnError {
    fn last() -> NnError {
        NnError(nn_errno())
    }
}

/// `nn_strerror`'s text for the code.
impl fmt::Display for NnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&message(self.0).to_string_lossy())
    }
}

/// A call's result: -1 means the error is in `nn_errno`.
fn check(rc: c_int) -> Result<c_int, NnError> {
    if rc < 0 {
        Err(NnError::last())
    } else {
        Ok(rc)
    }
}

/// An open socket; closed when dropped.
pub struct Socket(c_int);

impl Socket {
    /// A cooked socket of `protocol` (NN_PUSH, NN_PULL, ...).
    pub fn open(protocol: c_int) -> Result<Socket, NnError> {
        check(nn_socket(AF_SP, protocol)).map(Socket)
    }

    pub fn bind(&self, addr: &CStr) -> Result<(), NnError> {
        check(nn_bind(self.0, addr.as_ptr())).map(drop)
    }

    pub fn connect(&self, addr: &CStr) -> Result<(), NnError> {
        check(nn_connect(self.0, addr.as_ptr())).map(drop)
    }

    fn set(&self, level: c_int, option: c_int, value: &[u8]) -> Result<(), NnError> {
        check(nn_setsockopt(self.0, level, option, value.as_ptr().cast(), value.len())).map(drop)
    }

    /// NN_RCVTIMEO in milliseconds, -1 for none.
    pub fn set_recv_timeout(&self, ms: c_int) -> Result<(), NnError> {
        self.set(NN_SOL_SOCKET, NN_RCVTIMEO, &ms.to_ne_bytes())
    }

    /// NN_SNDTIMEO in milliseconds, -1 for none.
    pub fn set_send_timeout(&self, ms: c_int) -> Result<(), NnError> {
        self.set(NN_SOL_SOCKET, NN_SNDTIMEO, &ms.to_ne_bytes())
    }

    pub fn set_name(&self, name: &[u8]) -> Result<(), NnError> {
        self.set(NN_SOL_SOCKET, NN_SOCKET_NAME, name)
    }

    /// NN_SUB_SUBSCRIBE: receive the messages that start with `prefix`.
    pub fn subscribe(&self, prefix: &[u8]) -> Result<(), NnError> {
        self.set(NN_SUB, NN_SUB_SUBSCRIBE, prefix)
    }

    /// Sends one message, blocking up to NN_SNDTIMEO.
    pub fn send(&self, msg: &[u8]) -> Result<(), NnError> {
        check(nn_send(self.0, msg.as_ptr().cast(), msg.len(), 0)).map(drop)
    }

    /// Receives one message, blocking up to NN_RCVTIMEO, and hands it to
    /// `use_msg` without copying it.
    pub fn recv<T>(&self, use_msg: impl FnOnce(&[u8]) -> T) -> Result<T, NnError> {
        let mut chunk: *mut c_void = std::ptr::null_mut();
        let len = check(nn_recv(self.0, (&raw mut chunk).cast(), NN_MSG, 0))?;
        let len = usize::try_from(len).unwrap_or(0);
        let msg: &[u8] = if len == 0 || chunk.is_null() {
            &[]
        } else {
            // SAFETY: with NN_MSG, nn_recv stored a chunk of `len` bytes at
            // `chunk`; it stays valid until the nn_freemsg below.
            unsafe { std::slice::from_raw_parts(chunk.cast::<u8>(), len) }
        };
        let result = use_msg(msg);
        if !chunk.is_null() {
            nn_freemsg(chunk);
        }
        Ok(result)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        nn_close(self.0);
    }
}

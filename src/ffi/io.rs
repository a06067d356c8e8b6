//! Sending and receiving: `nn_send`, `nn_recv`, `nn_sendmsg`, `nn_recvmsg`.
//! Pointers are checked before a message is taken from the socket, so a bad
//! argument never costs a message. NN_MSG chunks are adopted on send and
//! handed out on receive without copying; a failed send leaves the chunk
//! with the caller, as nanomsg documents.

use std::ffi::{c_int, c_void};

use super::chunk::{self, HEADROOM};
use super::cmsg::{self, PROTO_SP, SP_HDR};
use super::guard::call;
use super::types::{nn_iovec, nn_msghdr, NN_DONTWAIT, NN_MSG};
use crate::core::error::{Error, Result};
use crate::core::msg::{Body, Msg};
use crate::core::socket::Socket;
use crate::core::table;
use crate::transport::options::{ws_msg_type, NN_WS_MSG_TYPE};
use crate::transport::NN_WS;

fn dontwait(flags: c_int) -> bool {
    flags & NN_DONTWAIT != 0
}

/// A message length as the int the C calls return.
fn length_result(n: usize) -> c_int {
    c_int::try_from(n).unwrap_or(c_int::MAX)
}

/// The caller's bytes: EFAULT for NULL with a non-zero length.
fn user_bytes<'a>(buf: *const c_void, len: usize) -> Result<&'a [u8]> {
    match (buf.is_null(), len) {
        (_, 0) => Ok(&[]),
        (true, _) => Err(Error::BadPointer),
        // SAFETY: the caller gives `len` readable bytes at `buf`.
        (false, n) => Ok(unsafe { std::slice::from_raw_parts(buf.cast::<u8>(), n) }),
    }
}

/// The chunk pointer stored at `at` (NN_MSG arguments); EFAULT for NULL.
fn chunk_at(at: *const c_void) -> Result<*mut c_void> {
    if at.is_null() {
        return Err(Error::BadPointer);
    }
    // SAFETY: with NN_MSG the caller passes the address of a chunk pointer.
    Ok(unsafe { *at.cast::<*mut c_void>() })
}

/// Sends `msg`; if it was adopted from `chunk` and the send fails, the
/// chunk goes back to the caller unchanged.
fn send(socket: &Socket, msg: Msg, adopted: Option<*mut c_void>, flags: c_int) -> Result<c_int> {
    let n = msg.body.len();
    match socket.send(msg, dontwait(flags)) {
        Ok(()) => Ok(length_result(n)),
        Err((msg, e)) => {
            if adopted.is_some() {
                // The body is untouched, so this republishes the same chunk.
                chunk::from_body(msg.body)?;
            }
            Err(e)
        }
    }
}

/// `nn_send(s, buf, len, flags)`: sends `len` bytes, or with `len` NN_MSG
/// the chunk whose pointer is at `buf`. Returns the bytes sent.
#[no_mangle]
pub extern "C" fn nn_send(s: c_int, buf: *const c_void, len: usize, flags: c_int) -> c_int {
    call(-1, || {
        let socket = table::global().get(s)?;
        if len == NN_MSG {
            let chunk = chunk_at(buf)?;
            let body = chunk::into_body(chunk)?;
            send(&socket, Msg::new(body), Some(chunk), flags)
        } else {
            let body = Body::copy_from(user_bytes(buf, len)?, HEADROOM)?;
            send(&socket, Msg::new(body), None, flags)
        }
    })
}

/// `nn_recv(s, buf, len, flags)`: receives one message into `len` bytes at
/// `buf` (truncating) or, with `len` NN_MSG, as a chunk stored at `buf`.
/// Returns the message's full length.
#[no_mangle]
pub extern "C" fn nn_recv(s: c_int, buf: *mut c_void, len: usize, flags: c_int) -> c_int {
    call(-1, || {
        let socket = table::global().get(s)?;
        if buf.is_null() && len != 0 {
            return Err(Error::BadPointer);
        }
        let msg = socket.recv(dontwait(flags))?;
        let n = msg.body.len();
        if len == NN_MSG {
            let chunk = chunk::from_body(msg.body)?;
            // SAFETY: with NN_MSG `buf` is where the caller wants the pointer.
            unsafe { *buf.cast::<*mut c_void>() = chunk.cast() };
        } else if len > 0 {
            // SAFETY: `len` writable bytes at `buf` (non-NULL, checked).
            unsafe { std::ptr::copy_nonoverlapping(msg.body.as_slice().as_ptr(), buf.cast::<u8>(), n.min(len)) };
        }
        Ok(length_result(n))
    })
}

/// The iovecs of a message header: EINVAL for a negative count, EFAULT for
/// NULL where some are promised.
fn iovecs<'a>(hdr: &nn_msghdr) -> Result<&'a [nn_iovec]> {
    let count = usize::try_from(hdr.msg_iovlen).map_err(|_| Error::Invalid)?;
    if count == 0 {
        return Ok(&[]);
    }
    if hdr.msg_iov.is_null() {
        return Err(Error::BadPointer);
    }
    // SAFETY: the caller gives `msg_iovlen` iovecs at `msg_iov`.
    Ok(unsafe { std::slice::from_raw_parts(hdr.msg_iov, count) })
}

/// The chunk of a single-iovec NN_MSG message, if that is what `iov` is;
/// NN_MSG anywhere else is EINVAL.
fn single_chunk_iov(iov: &[nn_iovec]) -> Result<Option<*mut c_void>> {
    match iov {
        [one] if one.iov_len == NN_MSG => Ok(Some(one.iov_base)),
        _ if iov.iter().any(|v| v.iov_len == NN_MSG) => Err(Error::Invalid),
        _ => Ok(None),
    }
}

/// The control bytes of a header, and the chunk holding them if NN_MSG.
fn control<'a>(hdr: &nn_msghdr) -> Result<(&'a [u8], Option<*mut c_void>)> {
    if hdr.msg_control.is_null() {
        return Ok((&[], None));
    }
    if hdr.msg_controllen != NN_MSG {
        return Ok((user_bytes(hdr.msg_control, hdr.msg_controllen)?, None));
    }
    let chunk = chunk_at(hdr.msg_control)?;
    let len = chunk::len(chunk)?;
    Ok((user_bytes(chunk, len)?, Some(chunk)))
}

/// `nn_sendmsg(s, msghdr, flags)`: sends the concatenated iovecs (or one
/// NN_MSG chunk); a raw socket takes the SP header from the PROTO_SP/SP_HDR
/// control message, and an NN_WS/NN_WS_MSG_TYPE control message (an int)
/// sets the WebSocket frame type of this message. An NN_MSG control chunk
/// is freed once sent.
#[no_mangle]
pub extern "C" fn nn_sendmsg(s: c_int, msghdr: *const nn_msghdr, flags: c_int) -> c_int {
    call(-1, || {
        let socket = table::global().get(s)?;
        // SAFETY: NULL is refused; otherwise the caller's header.
        let hdr = unsafe { msghdr.as_ref() }.ok_or(Error::BadPointer)?;
        let iov = iovecs(hdr)?;
        let (control, control_chunk) = control(hdr)?;
        let header = match cmsg::find(control, PROTO_SP, SP_HDR) {
            Some(data) if socket.is_raw() => cmsg::sp_header_of(data).ok_or(Error::Invalid)?.to_vec(),
            _ => Vec::new(),
        };
        let (body, adopted) = match single_chunk_iov(iov)? {
            Some(at) => {
                let chunk = chunk_at(at)?;
                (chunk::into_body(chunk)?, Some(chunk))
            }
            None => (gather(iov)?, None),
        };
        let ws_type = match cmsg::find(control, NN_WS, NN_WS_MSG_TYPE) {
            Some(data) => ws_msg_type(data.get(..4).ok_or(Error::Invalid)?)? as u8,
            None => 0,
        };
        let sent = send(&socket, Msg { header, body, ws_type }, adopted, flags)?;
        if let Some(c) = control_chunk {
            drop(chunk::into_body(c)?);
        }
        Ok(sent)
    })
}

/// Concatenates the iovecs into one body.
fn gather(iov: &[nn_iovec]) -> Result<Body> {
    let total = iov.iter().try_fold(0usize, |sum, v| sum.checked_add(v.iov_len)).ok_or(Error::Invalid)?;
    let mut buf = crate::core::msg::pool::take(HEADROOM.checked_add(total).ok_or(Error::Invalid)?)?;
    buf.resize(HEADROOM, 0);
    for v in iov {
        buf.extend_from_slice(user_bytes(v.iov_base, v.iov_len)?);
    }
    Ok(Body::from_parts(buf, HEADROOM))
}

/// Spreads `bytes` over the iovecs, in order, as far as they reach.
fn scatter(bytes: &[u8], iov: &[nn_iovec]) -> Result<()> {
    let mut rest = bytes;
    for v in iov {
        let n = rest.len().min(v.iov_len);
        if n == 0 {
            continue;
        }
        if v.iov_base.is_null() {
            return Err(Error::BadPointer);
        }
        // SAFETY: `iov_len` writable bytes at `iov_base`, n <= iov_len.
        unsafe { std::ptr::copy_nonoverlapping(rest.as_ptr(), v.iov_base.cast::<u8>(), n) };
        rest = &rest[n..];
    }
    Ok(())
}

/// `nn_recvmsg(s, msghdr, flags)`: receives one message into the iovecs
/// (or as one NN_MSG chunk); when the header has a control buffer, the SP
/// header is given as a PROTO_SP/SP_HDR control message (in a new chunk
/// for NN_MSG, else copied if it fits). Returns the message's full length.
#[no_mangle]
pub extern "C" fn nn_recvmsg(s: c_int, msghdr: *mut nn_msghdr, flags: c_int) -> c_int {
    call(-1, || {
        let socket = table::global().get(s)?;
        // SAFETY: NULL is refused; otherwise the caller's header.
        let hdr = unsafe { msghdr.as_mut() }.ok_or(Error::BadPointer)?;
        let iov = iovecs(hdr)?;
        let chunk_slot = single_chunk_iov(iov)?;
        if chunk_slot == Some(std::ptr::null_mut()) {
            return Err(Error::BadPointer);
        }
        let msg = socket.recv(dontwait(flags))?;
        let n = msg.body.len();
        if !hdr.msg_control.is_null() {
            let mut records = Vec::new();
            cmsg::push(&mut records, PROTO_SP, SP_HDR, &cmsg::sp_header_data(&msg.header));
            if hdr.msg_controllen == NN_MSG {
                let chunk = chunk::from_body(Body::copy_from(&records, HEADROOM)?)?;
                // SAFETY: with NN_MSG, msg_control is where the pointer goes.
                unsafe { *hdr.msg_control.cast::<*mut c_void>() = chunk.cast() };
            } else if records.len() <= hdr.msg_controllen {
                // SAFETY: msg_controllen writable bytes at msg_control.
                unsafe { std::ptr::copy_nonoverlapping(records.as_ptr(), hdr.msg_control.cast::<u8>(), records.len()) };
            }
        }
        match chunk_slot {
            Some(at) => {
                let chunk = chunk::from_body(msg.body)?;
                // SAFETY: non-NULL (checked), where the caller wants it.
                unsafe { *at.cast::<*mut c_void>() = chunk.cast() };
            }
            None => scatter(msg.body.as_slice(), iov)?,
        }
        Ok(length_result(n))
    })
}

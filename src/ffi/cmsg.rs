//! Control messages: `nn_cmsg_nxthdr_` (behind NN_CMSG_FIRSTHDR/NXTHDR) and
//! the safe reading and writing of control buffers that `nn_sendmsg` and
//! `nn_recvmsg` use. A control buffer is a run of records: a header
//! (`nn_cmsghdr`, 16 bytes) then data, each record padded to 8 bytes.

use std::ffi::c_void;
use std::mem::size_of;

use super::types::{nn_cmsghdr, nn_msghdr, NN_MSG};

/// Level of the control messages that carry SP headers.
pub const PROTO_SP: i32 = 1;
/// Type of the control message that carries a raw message's SP header.
pub const SP_HDR: i32 = 1;

const HDR: usize = size_of::<nn_cmsghdr>();

/// Rounds up to the alignment of control records (that of size_t).
fn align(len: usize) -> usize {
    let a = size_of::<usize>();
    len.saturating_add(a - 1) & !(a - 1)
}

/// The data of the first control record with this level and type.
pub fn find(control: &[u8], level: i32, kind: i32) -> Option<&[u8]> {
    let mut at = 0;
    while control.len().saturating_sub(at) >= HDR {
        let word = |i: usize, n: usize| &control[at + i..at + i + n];
        let len = usize::from_ne_bytes(word(0, 8).try_into().ok()?);
        let lvl = i32::from_ne_bytes(word(8, 4).try_into().ok()?);
        let typ = i32::from_ne_bytes(word(12, 4).try_into().ok()?);
        if len < HDR || len > control.len() - at {
            return None;
        }
        if (lvl, typ) == (level, kind) {
            return Some(&control[at + HDR..at + len]);
        }
        at = at.saturating_add(align(len));
    }
    None
}

/// Appends one control record. Its length covers the padding too, as
/// nanomsg's records do.
pub fn push(control: &mut Vec<u8>, level: i32, kind: i32, data: &[u8]) {
    let len = align(HDR + data.len());
    control.extend_from_slice(&len.to_ne_bytes());
    control.extend_from_slice(&level.to_ne_bytes());
    control.extend_from_slice(&kind.to_ne_bytes());
    control.extend_from_slice(data);
    control.resize(control.len() + len - HDR - data.len(), 0);
}

/// The data of an SP_HDR record for this SP header, laid out as nanomsg
/// lays it out: the header's length as a size_t, then its bytes.
pub fn sp_header_data(header: &[u8]) -> Vec<u8> {
    let mut data = header.len().to_ne_bytes().to_vec();
    data.extend_from_slice(header);
    data
}

/// The SP header in the data of an SP_HDR record (see `sp_header_data`);
/// `None` if the length it gives does not fit the record.
pub fn sp_header_of(data: &[u8]) -> Option<&[u8]> {
    let (len, rest) = data.split_at_checked(size_of::<usize>())?;
    let len = usize::from_ne_bytes(len.try_into().ok()?);
    rest.get(..len)
}

/// `nn_cmsg_nxthdr_(mhdr, cmsg)`: the record after `cmsg` (the first one
/// for NULL), or NULL when no whole header fits after it.
#[no_mangle]
pub extern "C" fn nn_cmsg_nxthdr_(mhdr: *const nn_msghdr, cmsg: *const nn_cmsghdr) -> *mut nn_cmsghdr {
    super::guard::call(std::ptr::null_mut(), || {
        // SAFETY: a NULL header gives NULL; otherwise the caller passes its
        // own message header, as NN_CMSG_FIRSTHDR/NXTHDR do.
        let Some(m) = (unsafe { mhdr.as_ref() }) else { return Ok(std::ptr::null_mut()) };
        let (base, size) = if m.msg_controllen == NN_MSG {
            if m.msg_control.is_null() {
                return Ok(std::ptr::null_mut());
            }
            // SAFETY: with NN_MSG, msg_control points at a chunk pointer.
            let chunk = unsafe { *m.msg_control.cast::<*mut c_void>() };
            (chunk.cast::<u8>(), super::chunk::len(chunk).unwrap_or(0))
        } else {
            (m.msg_control.cast::<u8>(), m.msg_controllen)
        };
        if base.is_null() {
            return Ok(std::ptr::null_mut());
        }
        let offset = if cmsg.is_null() {
            0
        } else {
            let here = (cmsg as usize).wrapping_sub(base as usize);
            if here > size.saturating_sub(HDR) {
                return Ok(std::ptr::null_mut());
            }
            // SAFETY: `cmsg` lies inside the control buffer (checked above).
            let len = unsafe { (*cmsg).cmsg_len };
            if len < HDR {
                // A record that cannot even hold its header: stop rather
                // than hand the same record back for ever.
                return Ok(std::ptr::null_mut());
            }
            here.saturating_add(align(len))
        };
        if offset.saturating_add(HDR) > size {
            return Ok(std::ptr::null_mut());
        }
        // SAFETY: offset + HDR <= size, inside the caller's buffer.
        Ok(unsafe { base.add(offset) }.cast())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let mut c = Vec::new();
        push(&mut c, 5, 6, b"abc");
        push(&mut c, PROTO_SP, SP_HDR, &sp_header_data(&[0x80, 0, 0, 1]));
        assert_eq!(c.len(), 24 + 32);
        let data = find(&c, PROTO_SP, SP_HDR).unwrap();
        assert_eq!(data.len(), 16, "the length covers the padding");
        assert_eq!(sp_header_of(data), Some(&[0x80, 0, 0, 1][..]));
        assert_eq!(find(&c, 5, 6), Some(&b"abc\0\0\0\0\0"[..]));
        assert_eq!(find(&c, 9, 9), None);
        assert_eq!(find(&c[..18], 5, 6), None, "a record longer than the buffer");
        assert_eq!(sp_header_of(&[9, 0, 0, 0, 0, 0, 0, 0, 1]), None, "a length beyond the record");
        assert_eq!(sp_header_of(&[1, 0, 0]), None);
    }

    #[test]
    fn walking_a_buffer() {
        let mut c = Vec::new();
        push(&mut c, 1, 1, b"abcd");
        push(&mut c, 2, 2, b"");
        let m = nn_msghdr {
            msg_iov: std::ptr::null_mut(),
            msg_iovlen: 0,
            msg_control: c.as_mut_ptr().cast(),
            msg_controllen: c.len(),
        };
        let first = nn_cmsg_nxthdr_(&m, std::ptr::null());
        assert_eq!(first.cast::<u8>(), c.as_mut_ptr());
        let second = nn_cmsg_nxthdr_(&m, first);
        assert_eq!(second as usize - first as usize, 24);
        assert!(nn_cmsg_nxthdr_(&m, second).is_null());
        assert!(nn_cmsg_nxthdr_(std::ptr::null(), std::ptr::null()).is_null());
    }
}

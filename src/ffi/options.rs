//! `nn_setsockopt`, `nn_getsockopt` and `nn_get_statistic`.

use std::ffi::{c_int, c_void};

use super::guard::call;
use crate::core::error::Error;
use crate::core::optval::OptionValue;
use crate::core::table;

/// `nn_setsockopt(s, level, option, optval, optvallen)`. A NULL `optval`
/// is EFAULT unless `optvallen` is 0.
#[no_mangle]
pub extern "C" fn nn_setsockopt(s: c_int, level: c_int, option: c_int, optval: *const c_void, optvallen: usize) -> c_int {
    call(-1, || {
        let socket = table::global().get(s)?;
        let value: &[u8] = match (optval.is_null(), optvallen) {
            (_, 0) => &[],
            (true, _) => return Err(Error::BadPointer),
            // SAFETY: the caller gives `optvallen` readable bytes at `optval`.
            (false, n) => unsafe { std::slice::from_raw_parts(optval.cast::<u8>(), n) },
        };
        socket.set_option(level, option, value).map(|_| 0)
    })
}

/// `nn_getsockopt(s, level, option, optval, optvallen)`: copies as much of
/// the value as `*optvallen` allows and sets `*optvallen` to its full size.
#[no_mangle]
pub extern "C" fn nn_getsockopt(s: c_int, level: c_int, option: c_int, optval: *mut c_void, optvallen: *mut usize) -> c_int {
    call(-1, || {
        let socket = table::global().get(s)?;
        if optvallen.is_null() {
            return Err(Error::BadPointer);
        }
        // SAFETY: non-NULL, the caller's size_t.
        let room = unsafe { *optvallen };
        if optval.is_null() && room > 0 {
            return Err(Error::BadPointer);
        }
        let value = socket.get_option(level, option)?;
        let bytes: Vec<u8> = match value {
            OptionValue::Int(v) => v.to_ne_bytes().to_vec(),
            OptionValue::Bytes(b) => b,
        };
        let n = room.min(bytes.len());
        if n > 0 {
            // SAFETY: the caller gives `room` writable bytes at `optval`
            // (non-NULL, checked above) and n <= room.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), optval.cast::<u8>(), n) };
        }
        // SAFETY: non-NULL, the caller's size_t.
        unsafe { *optvallen = bytes.len() };
        Ok(0)
    })
}

/// `nn_get_statistic(s, stat)`: the counter's value, or `(uint64_t) -1`
/// with EBADF / EINVAL.
#[no_mangle]
pub extern "C" fn nn_get_statistic(s: c_int, stat: c_int) -> u64 {
    call(u64::MAX, || table::global().get(s)?.statistic(stat))
}

//! `nn_device`: the C entry point of `core::device`.

use std::ffi::c_int;

use super::guard::call;
use crate::core::table;

/// `nn_device(s1, s2)`: forwards between two raw sockets (or, when one of
/// them is -1, loops the other back to itself) until `nn_term`; always
/// returns -1, with ETERM after `nn_term`, EBADF for a bad or closed
/// socket, EINVAL for a cooked one.
#[no_mangle]
pub extern "C" fn nn_device(s1: c_int, s2: c_int) -> c_int {
    call(-1, || {
        let t = table::global();
        let (first, second) = if s1 < 0 && s2 >= 0 { (s2, s1) } else { (s1, s2) };
        let a = t.get(first)?;
        let b = if second < 0 { None } else { Some(t.get(second)?) };
        Err(crate::core::device::run(t, a, b))
    })
}

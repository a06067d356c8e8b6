//! Socket lifecycle: `nn_socket`, `nn_close`, `nn_term`, and endpoints:
//! `nn_bind`, `nn_connect`, `nn_shutdown`.

use std::ffi::{c_char, c_int};

use super::guard::call;
use crate::core::error::{Error, Result};
use crate::core::table;
use crate::transport::addr::NN_SOCKADDR_MAX;

/// `nn_socket(domain, protocol)`: a new socket's id.
#[no_mangle]
pub extern "C" fn nn_socket(domain: c_int, protocol: c_int) -> c_int {
    call(-1, || {
        super::fork::watch_forks();
        table::global().create(domain, protocol)
    })
}

/// `nn_close(s)`: closes the socket; calls blocked on it return EBADF.
#[no_mangle]
pub extern "C" fn nn_close(s: c_int) -> c_int {
    call(-1, || table::global().close(s).map(|_| 0))
}

/// `nn_term()`: wakes every blocked call with ETERM, closes every socket and
/// makes `nn_socket` fail with ETERM from then on.
#[no_mangle]
pub extern "C" fn nn_term() {
    call((), || {
        table::global().terminate();
        Ok(())
    })
}

/// Reads an address argument: EFAULT for NULL, ENAMETOOLONG from
/// NN_SOCKADDR_MAX bytes on (without reading further), EINVAL if not UTF-8.
fn address_arg<'a>(addr: *const c_char) -> Result<&'a str> {
    if addr.is_null() {
        return Err(Error::BadPointer);
    }
    let bytes = addr.cast::<u8>();
    let mut len = 0;
    // SAFETY: a C string: every byte up to its NUL is readable, and the
    // scan stops at the NUL or at NN_SOCKADDR_MAX, whichever comes first.
    while unsafe { *bytes.add(len) } != 0 {
        len += 1;
        if len >= NN_SOCKADDR_MAX {
            return Err(Error::NameTooLong);
        }
    }
    // SAFETY: the `len` bytes before the NUL, just scanned.
    let slice = unsafe { std::slice::from_raw_parts(bytes, len) };
    std::str::from_utf8(slice).map_err(|_| Error::Invalid)
}

/// `nn_bind(s, addr)`: a new local endpoint's id.
#[no_mangle]
pub extern "C" fn nn_bind(s: c_int, addr: *const c_char) -> c_int {
    call(-1, || {
        let socket = table::global().get(s)?;
        socket.add_endpoint(address_arg(addr)?, true)
    })
}

/// `nn_connect(s, addr)`: a new remote endpoint's id.
#[no_mangle]
pub extern "C" fn nn_connect(s: c_int, addr: *const c_char) -> c_int {
    call(-1, || {
        let socket = table::global().get(s)?;
        socket.add_endpoint(address_arg(addr)?, false)
    })
}

/// `nn_shutdown(s, how)`: removes endpoint `how`; EINVAL if there is none.
#[no_mangle]
pub extern "C" fn nn_shutdown(s: c_int, how: c_int) -> c_int {
    call(-1, || table::global().get(s)?.remove_endpoint(how).map(|_| 0))
}

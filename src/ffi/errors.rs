//! `nn_errno` and `nn_strerror`. Messages are static strings, so the
//! pointer `nn_strerror` returns stays valid for ever and in every thread.

use std::ffi::{c_char, c_int, CStr};

use crate::core::error::{EFSM, ETERM, NN_HAUSNUMERO};

/// The message of every code nnrs can report, by the platform's number.
const MESSAGES: &[(i32, &CStr)] = &[
    (libc::ENOTSUP, c"Operation not supported by this socket type"),
    (libc::EPROTONOSUPPORT, c"Transport not supported"),
    (libc::ENOBUFS, c"No buffer space available"),
    (libc::ENETDOWN, c"Network is down"),
    (libc::EADDRINUSE, c"Address already in use"),
    (libc::EADDRNOTAVAIL, c"Address not available on this host"),
    (libc::ECONNREFUSED, c"Connection refused"),
    (libc::EINPROGRESS, c"Operation in progress"),
    (libc::ENOTSOCK, c"Not a socket"),
    (libc::EAFNOSUPPORT, c"Domain not supported (use AF_SP or AF_SP_RAW)"),
    (libc::EPROTO, c"Protocol error"),
    (libc::EAGAIN, c"Resource temporarily unavailable (try again)"),
    (libc::EBADF, c"Bad socket (not open, or closed)"),
    (libc::EINVAL, c"Invalid argument"),
    (libc::EMFILE, c"Too many open sockets"),
    (libc::EFAULT, c"Bad address (NULL or not a message chunk)"),
    (libc::EACCES, c"Permission denied"),
    (libc::ENETRESET, c"Connection reset by the network"),
    (libc::ENETUNREACH, c"Network is unreachable"),
    (libc::EHOSTUNREACH, c"Host is unreachable"),
    (libc::ENOTCONN, c"Not connected"),
    (libc::EMSGSIZE, c"Message too long"),
    (libc::ETIMEDOUT, c"Operation timed out"),
    (libc::ECONNABORTED, c"Connection aborted"),
    (libc::ECONNRESET, c"Connection reset by peer"),
    (libc::ENOPROTOOPT, c"Option not available at this level or for this socket"),
    (libc::EISCONN, c"Already connected"),
    (libc::ESOCKTNOSUPPORT, c"Socket type not supported"),
    (libc::EINTR, c"Interrupted by a signal"),
    (libc::ENAMETOOLONG, c"Address too long"),
    (libc::ENODEV, c"No such interface or host"),
    (libc::ENOMEM, c"Out of memory"),
    (libc::ENOTRECOVERABLE, c"Internal error in nnrs (reported on stderr)"),
    (ETERM, c"The library is terminating (nn_term was called)"),
    (EFSM, c"Operation not allowed in the socket's current state"),
];

/// The codes nn.h numbers from NN_HAUSNUMERO on platforms without them,
/// with the platform code each stands for (offset 1 = ENOTSUP, …).
const HAUSNUMERO_CODES: [i32; 28] = [
    libc::ENOTSUP,
    libc::EPROTONOSUPPORT,
    libc::ENOBUFS,
    libc::ENETDOWN,
    libc::EADDRINUSE,
    libc::EADDRNOTAVAIL,
    libc::ECONNREFUSED,
    libc::EINPROGRESS,
    libc::ENOTSOCK,
    libc::EAFNOSUPPORT,
    libc::EPROTO,
    libc::EAGAIN,
    libc::EBADF,
    libc::EINVAL,
    libc::EMFILE,
    libc::EFAULT,
    libc::EACCES,
    libc::ENETRESET,
    libc::ENETUNREACH,
    libc::EHOSTUNREACH,
    libc::ENOTCONN,
    libc::EMSGSIZE,
    libc::ETIMEDOUT,
    libc::ECONNABORTED,
    libc::ECONNRESET,
    libc::ENOPROTOOPT,
    libc::EISCONN,
    libc::ESOCKTNOSUPPORT,
];

/// The message for any code; a generic one for codes nnrs never reports.
pub fn message(code: i32) -> &'static CStr {
    let code = match code.checked_sub(NN_HAUSNUMERO) {
        Some(offset @ 1..=28) => HAUSNUMERO_CODES[offset as usize - 1],
        _ => code,
    };
    MESSAGES.iter().find(|(c, _)| *c == code).map_or(c"Unknown error", |(_, m)| m)
}

/// `nn_errno()`: the errno left by the calling thread's last failed call.
#[no_mangle]
pub extern "C" fn nn_errno() -> c_int {
    super::guard::call(libc::EINVAL, || Ok(super::guard::errno()))
}

/// `nn_strerror(errnum)`: a readable message, never NULL.
#[no_mangle]
pub extern "C" fn nn_strerror(errnum: c_int) -> *const c_char {
    super::guard::call(c"Unknown error".as_ptr(), || Ok(message(errnum).as_ptr()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_message() {
        assert_eq!(message(libc::EBADF), message(NN_HAUSNUMERO + 13));
        assert_eq!(message(ETERM).to_str().unwrap(), "The library is terminating (nn_term was called)");
        assert_eq!(message(-5).to_str().unwrap(), "Unknown error");
        assert_eq!(message(NN_HAUSNUMERO + 29).to_str().unwrap(), "Unknown error");
        for code in HAUSNUMERO_CODES {
            assert_ne!(message(code).to_str().unwrap(), "Unknown error");
        }
    }
}

//! `nn_symbol` and `nn_symbol_info`: the library's table of named constants
//! (namespaces, versions, domains, transports, protocols, options, flags,
//! errors, limits, events, statistics), row for row as libnanomsg lists them.

use std::ffi::{c_char, c_int, CStr};
use std::mem::size_of;

use super::types::nn_symbol_properties;
use crate::core::error::{Error, Result};

/// One row: name, value, namespace, type, unit.
#[derive(Clone, Copy)]
struct Symbol {
    name: &'static CStr,
    value: i32,
    ns: i32,
    kind: i32,
    unit: i32,
}

const fn sym(name: &'static CStr, value: i32, ns: i32, kind: i32, unit: i32) -> Symbol {
    Symbol { name, value, ns, kind, unit }
}

/// The table, in libnanomsg's order.
const SYMBOLS: &[Symbol] = &[
    sym(c"NN_NS_NAMESPACE", 0, 0, 0, 0),
    sym(c"NN_NS_VERSION", 1, 0, 0, 0),
    sym(c"NN_NS_DOMAIN", 2, 0, 0, 0),
    sym(c"NN_NS_TRANSPORT", 3, 0, 0, 0),
    sym(c"NN_NS_PROTOCOL", 4, 0, 0, 0),
    sym(c"NN_NS_OPTION_LEVEL", 5, 0, 0, 0),
    sym(c"NN_NS_SOCKET_OPTION", 6, 0, 0, 0),
    sym(c"NN_NS_TRANSPORT_OPTION", 7, 0, 0, 0),
    sym(c"NN_NS_OPTION_TYPE", 8, 0, 0, 0),
    sym(c"NN_NS_OPTION_UNIT", 9, 0, 0, 0),
    sym(c"NN_NS_FLAG", 10, 0, 0, 0),
    sym(c"NN_NS_ERROR", 11, 0, 0, 0),
    sym(c"NN_NS_LIMIT", 12, 0, 0, 0),
    sym(c"NN_NS_EVENT", 13, 0, 0, 0),
    sym(c"NN_NS_STATISTIC", 14, 0, 0, 0),
    sym(c"NN_TYPE_NONE", 0, 8, 0, 0),
    sym(c"NN_TYPE_INT", 1, 8, 0, 0),
    sym(c"NN_TYPE_STR", 2, 8, 0, 0),
    sym(c"NN_UNIT_NONE", 0, 9, 0, 0),
    sym(c"NN_UNIT_BYTES", 1, 9, 0, 0),
    sym(c"NN_UNIT_MILLISECONDS", 2, 9, 0, 0),
    sym(c"NN_UNIT_PRIORITY", 3, 9, 0, 0),
    sym(c"NN_UNIT_BOOLEAN", 4, 9, 0, 0),
    sym(c"NN_UNIT_COUNTER", 6, 9, 0, 0),
    sym(c"NN_UNIT_MESSAGES", 5, 9, 0, 0),
    sym(c"NN_VERSION_CURRENT", 5, 1, 0, 0),
    sym(c"NN_VERSION_REVISION", 1, 1, 0, 0),
    sym(c"NN_VERSION_AGE", 0, 1, 0, 0),
    sym(c"AF_SP", 1, 2, 0, 0),
    sym(c"AF_SP_RAW", 2, 2, 0, 0),
    sym(c"NN_INPROC", -1, 3, 0, 0),
    sym(c"NN_IPC", -2, 3, 0, 0),
    sym(c"NN_TCP", -3, 3, 0, 0),
    sym(c"NN_WS", -4, 3, 0, 0),
    sym(c"NN_PAIR", 16, 4, 0, 0),
    sym(c"NN_PUB", 32, 4, 0, 0),
    sym(c"NN_SUB", 33, 4, 0, 0),
    sym(c"NN_REP", 49, 4, 0, 0),
    sym(c"NN_REQ", 48, 4, 0, 0),
    sym(c"NN_PUSH", 80, 4, 0, 0),
    sym(c"NN_PULL", 81, 4, 0, 0),
    sym(c"NN_SURVEYOR", 98, 4, 0, 0),
    sym(c"NN_RESPONDENT", 99, 4, 0, 0),
    sym(c"NN_BUS", 112, 4, 0, 0),
    sym(c"NN_SOCKADDR_MAX", 128, 12, 0, 0),
    sym(c"NN_SOL_SOCKET", 0, 5, 0, 0),
    sym(c"NN_LINGER", 1, 6, 1, 2),
    sym(c"NN_SNDBUF", 2, 6, 1, 1),
    sym(c"NN_RCVBUF", 3, 6, 1, 1),
    sym(c"NN_RCVMAXSIZE", 16, 6, 1, 1),
    sym(c"NN_SNDTIMEO", 4, 6, 1, 2),
    sym(c"NN_RCVTIMEO", 5, 6, 1, 2),
    sym(c"NN_RECONNECT_IVL", 6, 6, 1, 2),
    sym(c"NN_RECONNECT_IVL_MAX", 7, 6, 1, 2),
    sym(c"NN_SNDPRIO", 8, 6, 1, 3),
    sym(c"NN_RCVPRIO", 9, 6, 1, 3),
    sym(c"NN_SNDFD", 10, 6, 1, 0),
    sym(c"NN_RCVFD", 11, 6, 1, 0),
    sym(c"NN_DOMAIN", 12, 6, 1, 0),
    sym(c"NN_PROTOCOL", 13, 6, 1, 0),
    sym(c"NN_IPV4ONLY", 14, 6, 1, 4),
    sym(c"NN_SOCKET_NAME", 15, 6, 2, 0),
    sym(c"NN_MAXTTL", 17, 6, 1, 0),
    sym(c"NN_SUB_SUBSCRIBE", 1, 7, 2, 0),
    sym(c"NN_SUB_UNSUBSCRIBE", 2, 7, 2, 0),
    sym(c"NN_REQ_RESEND_IVL", 1, 7, 1, 2),
    sym(c"NN_SURVEYOR_DEADLINE", 1, 7, 1, 2),
    sym(c"NN_TCP_NODELAY", 1, 7, 1, 4),
    sym(c"NN_WS_MSG_TYPE", 1, 7, 1, 0),
    sym(c"NN_DONTWAIT", 1, 10, 0, 0),
    sym(c"NN_WS_MSG_TYPE_TEXT", 1, 10, 0, 0),
    sym(c"NN_WS_MSG_TYPE_BINARY", 2, 10, 0, 0),
    sym(c"NN_POLLIN", 1, 13, 0, 0),
    sym(c"NN_POLLOUT", 2, 13, 0, 0),
    sym(c"EADDRINUSE", 98, 11, 0, 0),
    sym(c"EADDRNOTAVAIL", 99, 11, 0, 0),
    sym(c"EAFNOSUPPORT", 97, 11, 0, 0),
    sym(c"EAGAIN", 11, 11, 0, 0),
    sym(c"EBADF", 9, 11, 0, 0),
    sym(c"ECONNREFUSED", 111, 11, 0, 0),
    sym(c"EFAULT", 14, 11, 0, 0),
    sym(c"EFSM", 156384766, 11, 0, 0),
    sym(c"EINPROGRESS", 115, 11, 0, 0),
    sym(c"EINTR", 4, 11, 0, 0),
    sym(c"EINVAL", 22, 11, 0, 0),
    sym(c"EMFILE", 24, 11, 0, 0),
    sym(c"ENAMETOOLONG", 36, 11, 0, 0),
    sym(c"ENETDOWN", 100, 11, 0, 0),
    sym(c"ENOBUFS", 105, 11, 0, 0),
    sym(c"ENODEV", 19, 11, 0, 0),
    sym(c"ENOMEM", 12, 11, 0, 0),
    sym(c"ENOPROTOOPT", 92, 11, 0, 0),
    sym(c"ENOTSOCK", 88, 11, 0, 0),
    sym(c"ENOTSUP", 95, 11, 0, 0),
    sym(c"EPROTO", 71, 11, 0, 0),
    sym(c"EPROTONOSUPPORT", 93, 11, 0, 0),
    sym(c"ETERM", 156384765, 11, 0, 0),
    sym(c"ETIMEDOUT", 110, 11, 0, 0),
    sym(c"EACCES", 13, 11, 0, 0),
    sym(c"ECONNABORTED", 103, 11, 0, 0),
    sym(c"ECONNRESET", 104, 11, 0, 0),
    sym(c"EHOSTUNREACH", 113, 11, 0, 0),
    sym(c"EMSGSIZE", 90, 11, 0, 0),
    sym(c"ENETRESET", 102, 11, 0, 0),
    sym(c"ENETUNREACH", 101, 11, 0, 0),
    sym(c"ENOTCONN", 107, 11, 0, 0),
    sym(c"NN_STAT_ESTABLISHED_CONNECTIONS", 101, 14, 1, 6),
    sym(c"NN_STAT_ACCEPTED_CONNECTIONS", 102, 14, 1, 6),
    sym(c"NN_STAT_DROPPED_CONNECTIONS", 103, 14, 1, 6),
    sym(c"NN_STAT_BROKEN_CONNECTIONS", 104, 14, 1, 6),
    sym(c"NN_STAT_CONNECT_ERRORS", 105, 14, 1, 6),
    sym(c"NN_STAT_BIND_ERRORS", 106, 14, 1, 6),
    sym(c"NN_STAT_ACCEPT_ERRORS", 107, 14, 1, 6),
    sym(c"NN_STAT_MESSAGES_SENT", 301, 14, 1, 5),
    sym(c"NN_STAT_MESSAGES_RECEIVED", 302, 14, 1, 5),
    sym(c"NN_STAT_BYTES_SENT", 303, 14, 1, 1),
    sym(c"NN_STAT_BYTES_RECEIVED", 304, 14, 1, 1),
    sym(c"NN_STAT_CURRENT_CONNECTIONS", 201, 14, 1, 0),
    sym(c"NN_STAT_INPROGRESS_CONNECTIONS", 202, 14, 1, 0),
    sym(c"NN_STAT_CURRENT_SND_PRIORITY", 401, 14, 1, 3),
    sym(c"NN_STAT_CURRENT_EP_ERRORS", 203, 14, 1, 0),
];

fn row(i: c_int) -> Result<&'static Symbol> {
    usize::try_from(i).ok().and_then(|i| SYMBOLS.get(i)).ok_or(Error::Invalid)
}

/// `nn_symbol(i, &value)`: the name of row `i` and its value, or NULL with
/// EINVAL past the end. `value` may be NULL.
#[no_mangle]
pub extern "C" fn nn_symbol(i: c_int, value: *mut c_int) -> *const c_char {
    super::guard::call(std::ptr::null(), || {
        let s = row(i)?;
        if !value.is_null() {
            // SAFETY: a non-NULL pointer the caller gave for one int.
            unsafe { value.write(s.value) };
        }
        Ok(s.name.as_ptr())
    })
}

/// `nn_symbol_info(i, buf, buflen)`: copies up to `buflen` bytes of row `i`
/// into `buf` and returns how many; 0 past the end of the table, and 0 with
/// EFAULT for a NULL `buf`, EINVAL for a negative length.
#[no_mangle]
pub extern "C" fn nn_symbol_info(i: c_int, buf: *mut nn_symbol_properties, buflen: c_int) -> c_int {
    super::guard::call(0, || {
        let Ok(s) = row(i) else { return Ok(0) };
        if buf.is_null() {
            return Err(Error::BadPointer);
        }
        let wanted = usize::try_from(buflen).map_err(|_| Error::Invalid)?;
        let props = nn_symbol_properties {
            value: s.value,
            name: s.name.as_ptr(),
            ns: s.ns,
            r#type: s.kind,
            unit: s.unit,
        };
        let n = wanted.min(size_of::<nn_symbol_properties>());
        // SAFETY: the caller gave `buflen` writable bytes at `buf`; n is no
        // more than that nor than the size of `props`.
        unsafe { std::ptr::copy_nonoverlapping((&props as *const nn_symbol_properties).cast::<u8>(), buf.cast::<u8>(), n) };
        Ok(n as c_int)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_ends_with_null_and_zero() {
        assert!(!nn_symbol(0, std::ptr::null_mut()).is_null());
        assert!(nn_symbol(SYMBOLS.len() as c_int, std::ptr::null_mut()).is_null());
        assert!(nn_symbol(-1, std::ptr::null_mut()).is_null());
        let mut p = std::mem::MaybeUninit::<nn_symbol_properties>::zeroed();
        assert_eq!(nn_symbol_info(SYMBOLS.len() as c_int, p.as_mut_ptr(), 32), 0);
        assert_eq!(nn_symbol_info(46, p.as_mut_ptr(), 32), 32);
        // SAFETY: fully written by the call above.
        let p = unsafe { p.assume_init() };
        assert_eq!((p.value, p.ns, p.r#type, p.unit), (1, 6, 1, 2));
        assert_eq!(nn_symbol_info(0, std::ptr::null_mut(), 32), 0);
    }
}

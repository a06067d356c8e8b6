//! The one error type of the engine. Each variant is one errno code that a
//! nanomsg caller can see; `errno()` gives the number C reads.

/// nanomsg numbers its own codes from here (the header's NN_HAUSNUMERO).
pub const NN_HAUSNUMERO: i32 = 156_384_712;
/// The library was terminated by `nn_term`.
pub const ETERM: i32 = NN_HAUSNUMERO + 53;
/// The operation is not allowed in the protocol's current state.
pub const EFSM: i32 = NN_HAUSNUMERO + 54;

/// Result of every fallible engine operation.
pub type Result<T> = std::result::Result<T, Error>;

/// Every failure a nanomsg call can report, one variant per errno code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// ENOTSUP: the socket type cannot do this (recv on PUB, send on SUB).
    NotSupported,
    /// EPROTONOSUPPORT: unknown or unavailable transport scheme.
    ProtocolNotSupported,
    /// EAFNOSUPPORT: a domain other than AF_SP / AF_SP_RAW.
    AddressFamilyNotSupported,
    /// EADDRINUSE: the address is already bound.
    AddressInUse,
    /// EADDRNOTAVAIL: the address is not local.
    AddressNotAvailable,
    /// ECONNREFUSED.
    ConnectionRefused,
    /// EAGAIN: NN_DONTWAIT and nothing could be done at once.
    WouldBlock,
    /// EBADF: not an open socket (or closed while the call waited).
    BadSocket,
    /// EINVAL: an argument or option value out of range.
    Invalid,
    /// EMFILE: the socket table is full.
    TooManySockets,
    /// EFAULT: a NULL or foreign pointer.
    BadPointer,
    /// EACCES.
    AccessDenied,
    /// ENETUNREACH.
    NetworkUnreachable,
    /// EHOSTUNREACH.
    HostUnreachable,
    /// EMSGSIZE: a message too large for its destination.
    MessageTooLarge,
    /// ETIMEDOUT: NN_SNDTIMEO / NN_RCVTIMEO or a survey deadline passed.
    TimedOut,
    /// ECONNRESET.
    ConnectionReset,
    /// ENOPROTOOPT: unknown option or level, or a read-only option set.
    NoSuchOption,
    /// ENAMETOOLONG: an address of NN_SOCKADDR_MAX bytes or more.
    NameTooLong,
    /// ENODEV: an interface or host that does not resolve.
    NoDevice,
    /// ENOMEM: an allocation that cannot be made.
    OutOfMemory,
    /// EINTR: a signal interrupted a blocking call.
    Interrupted,
    /// ETERM: `nn_term` was called.
    Terminated,
    /// EFSM: the protocol's state does not allow this now.
    WrongState,
    /// ENOTRECOVERABLE: a bug inside nnrs was caught at the C boundary.
    Internal,
}

impl Error {
    /// The errno value C callers compare against.
    pub fn errno(self) -> i32 {
        use Error::*;
        match self {
            NotSupported => libc::ENOTSUP,
            ProtocolNotSupported => libc::EPROTONOSUPPORT,
            AddressFamilyNotSupported => libc::EAFNOSUPPORT,
            AddressInUse => libc::EADDRINUSE,
            AddressNotAvailable => libc::EADDRNOTAVAIL,
            ConnectionRefused => libc::ECONNREFUSED,
            WouldBlock => libc::EAGAIN,
            BadSocket => libc::EBADF,
            Invalid => libc::EINVAL,
            TooManySockets => libc::EMFILE,
            BadPointer => libc::EFAULT,
            AccessDenied => libc::EACCES,
            NetworkUnreachable => libc::ENETUNREACH,
            HostUnreachable => libc::EHOSTUNREACH,
            MessageTooLarge => libc::EMSGSIZE,
            TimedOut => libc::ETIMEDOUT,
            ConnectionReset => libc::ECONNRESET,
            NoSuchOption => libc::ENOPROTOOPT,
            NameTooLong => libc::ENAMETOOLONG,
            NoDevice => libc::ENODEV,
            OutOfMemory => libc::ENOMEM,
            Interrupted => libc::EINTR,
            Terminated => ETERM,
            WrongState => EFSM,
            Internal => libc::ENOTRECOVERABLE,
        }
    }
}

impl From<std::collections::TryReserveError> for Error {
    fn from(_: std::collections::TryReserveError) -> Self {
        Error::OutOfMemory
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanomsg_only_codes_sit_above_hausnumero() {
        assert_eq!(Error::Terminated.errno(), 156_384_765);
        assert_eq!(Error::WrongState.errno(), 156_384_766);
        assert_eq!(Error::BadSocket.errno(), 9);
    }
}

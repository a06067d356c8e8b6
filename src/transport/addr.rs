//! Endpoint addresses, `scheme://rest`: the checks every transport shares,
//! with the errno nanomsg gives for each failure.

use super::Transport;
use crate::core::error::{Error, Result};

/// Longest address accepted is one byte less than this (room for the NUL).
pub const NN_SOCKADDR_MAX: usize = 128;

/// An address split into its transport and the transport-specific rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Address<'a> {
    /// The transport named by the scheme.
    pub transport: Transport,
    /// What follows `://`.
    pub rest: &'a str,
}

/// Splits and checks an address: ENAMETOOLONG from NN_SOCKADDR_MAX bytes,
/// EINVAL without `://`, EPROTONOSUPPORT for an unknown scheme.
pub fn parse(addr: &str) -> Result<Address<'_>> {
    if addr.len() >= NN_SOCKADDR_MAX {
        return Err(Error::NameTooLong);
    }
    let (scheme, rest) = addr.split_once("://").ok_or(Error::Invalid)?;
    let transport = Transport::from_scheme(scheme).ok_or(Error::ProtocolNotSupported)?;
    Ok(Address { transport, rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_follow_nanomsg() {
        assert_eq!(parse("tcp://127.0.0.1:5555").unwrap().transport, Transport::Tcp);
        assert_eq!(parse("ipc:///tmp/x").unwrap().rest, "/tmp/x");
        assert_eq!(parse("tcp:127.0.0.1"), Err(Error::Invalid));
        assert_eq!(parse("zmq://x"), Err(Error::ProtocolNotSupported));
        let long = format!("ipc://{}", "a".repeat(122));
        assert_eq!(long.len(), 128);
        assert_eq!(parse(&long), Err(Error::NameTooLong));
        assert!(parse(&long[..127]).is_ok());
    }
}

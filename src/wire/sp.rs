//! The SP stream handshake (sp-tcp-mapping and sp-ipc-mapping RFCs): each
//! side sends 8 bytes, `00 'S' 'P' 00`, its protocol id as a big-endian
//! u16, then two reserved zero bytes.

/// Length of the handshake header.
pub const HANDSHAKE_LEN: usize = 8;

/// Why a peer's handshake is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandshakeError {
    /// Not `00 'S' 'P' 00`: not an SP peer, or another SP version.
    NotSp,
    /// An SP peer whose protocol cannot talk to ours.
    WrongProtocol(u16),
}

/// The header we send, for protocol id `protocol`.
pub fn handshake(protocol: u16) -> [u8; HANDSHAKE_LEN] {
    let [hi, lo] = protocol.to_be_bytes();
    [0, b'S', b'P', 0, hi, lo, 0, 0]
}

/// Checks a peer's header: it must be SP version 0 and carry `expected`
/// (our protocol's peer). The reserved bytes are not checked.
pub fn check_handshake(header: &[u8; HANDSHAKE_LEN], expected: u16) -> Result<(), HandshakeError> {
    if header[..4] != [0, b'S', b'P', 0] {
        return Err(HandshakeError::NotSp);
    }
    let protocol = u16::from_be_bytes([header[4], header[5]]);
    if protocol != expected {
        return Err(HandshakeError::WrongProtocol(protocol));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_handshake_bytes() {
        assert_eq!(handshake(0x10), [0x00, 0x53, 0x50, 0x00, 0x00, 0x10, 0x00, 0x00]);
        assert_eq!(check_handshake(&handshake(0x31), 0x31), Ok(()));
        assert_eq!(check_handshake(&handshake(0x30), 0x31), Err(HandshakeError::WrongProtocol(0x30)));
        assert_eq!(check_handshake(b"GET / HT", 0x10), Err(HandshakeError::NotSp));
        assert_eq!(check_handshake(&[0, b'S', b'P', 1, 0, 0x10, 0, 0], 0x10), Err(HandshakeError::NotSp));
    }
}

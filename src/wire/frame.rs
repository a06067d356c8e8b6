//! Stream framing. tcp: a u64 big-endian length, then the message. ipc: a
//! type byte (1 = message), the same length, then the message. The message
//! is the SP header followed by the body; the protocol tells them apart.

/// The framing of one stream transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// tcp: `len:u64be`.
    Tcp,
    /// ipc: `0x01 len:u64be`.
    Ipc,
}

/// The ipc type byte of a message frame.
pub const IPC_MSG: u8 = 1;

/// Longest frame prefix (ipc).
pub const MAX_PREFIX: usize = 9;

/// Why a frame is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameError {
    /// An ipc type byte other than 1.
    BadType(u8),
    /// A length over the receiver's NN_RCVMAXSIZE.
    TooLarge(u64),
}

impl Framing {
    /// Bytes before the message.
    pub fn prefix_len(self) -> usize {
        match self {
            Framing::Tcp => 8,
            Framing::Ipc => 9,
        }
    }

    /// The prefix of a message of `len` bytes; its first `prefix_len()`
    /// bytes are meaningful.
    pub fn prefix(self, len: u64) -> [u8; MAX_PREFIX] {
        let mut out = [0u8; MAX_PREFIX];
        match self {
            Framing::Tcp => out[..8].copy_from_slice(&len.to_be_bytes()),
            Framing::Ipc => {
                out[0] = IPC_MSG;
                out[1..].copy_from_slice(&len.to_be_bytes());
            }
        }
        out
    }

    /// Reads a frame prefix from the start of `bytes`: `Ok(None)` until the
    /// whole prefix is there, then the message length. `max` is the longest
    /// message accepted (`None`: no limit).
    pub fn parse_prefix(self, bytes: &[u8], max: Option<u64>) -> Result<Option<u64>, FrameError> {
        let n = self.prefix_len();
        if bytes.len() < n {
            if self == Framing::Ipc && !bytes.is_empty() && bytes[0] != IPC_MSG {
                return Err(FrameError::BadType(bytes[0]));
            }
            return Ok(None);
        }
        if self == Framing::Ipc && bytes[0] != IPC_MSG {
            return Err(FrameError::BadType(bytes[0]));
        }
        let len_bytes: [u8; 8] = bytes[n - 8..n].try_into().expect("8 bytes");
        let len = u64::from_be_bytes(len_bytes);
        match max {
            Some(max) if len > max => Err(FrameError::TooLarge(len)),
            _ => Ok(Some(len)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_round_trip() {
        for framing in [Framing::Tcp, Framing::Ipc] {
            let p = framing.prefix(300);
            let n = framing.prefix_len();
            assert_eq!(framing.parse_prefix(&p[..n], None), Ok(Some(300)));
            assert_eq!(framing.parse_prefix(&p[..n - 1], None), Ok(None));
            assert_eq!(framing.parse_prefix(&p[..n], Some(299)), Err(FrameError::TooLarge(300)));
        }
        assert_eq!(Framing::Tcp.prefix(5)[..8], [0, 0, 0, 0, 0, 0, 0, 5]);
        assert_eq!(Framing::Ipc.prefix(5)[..9], [1, 0, 0, 0, 0, 0, 0, 0, 5]);
    }

    #[test]
    fn ipc_type_byte_is_checked_at_once() {
        assert_eq!(Framing::Ipc.parse_prefix(&[2], None), Err(FrameError::BadType(2)));
        assert_eq!(Framing::Ipc.parse_prefix(&[0, 0, 0, 0, 0, 0, 0, 0, 1], None), Err(FrameError::BadType(0)));
        assert_eq!(Framing::Ipc.parse_prefix(&[], None), Ok(None));
    }
}

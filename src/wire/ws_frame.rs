//! WebSocket frames (RFC 6455 §5): the header codec, masking, and the
//! close codes a malformed frame earns. One SP message is one WebSocket
//! message, possibly split over several frames.

/// Opcode of a frame that continues a fragmented message.
pub const CONTINUATION: u8 = 0x0;
/// Opcode of a text message (UTF-8).
pub const TEXT: u8 = 0x1;
/// Opcode of a binary message.
pub const BINARY: u8 = 0x2;
/// Opcode of the close frame.
pub const CLOSE: u8 = 0x8;
/// Opcode of a ping.
pub const PING: u8 = 0x9;
/// Opcode of a pong.
pub const PONG: u8 = 0xA;

/// Longest frame header: 2 bytes, 8 of length, 4 of mask.
pub const MAX_HEADER: usize = 14;
/// Longest payload of a control frame.
pub const MAX_CONTROL: u64 = 125;

/// Close code: normal closure.
pub const NORMAL: u16 = 1000;
/// Close code: the peer broke the protocol.
pub const PROTOCOL_ERROR: u16 = 1002;
/// Close code: a text message that is not UTF-8.
pub const INVALID_DATA: u16 = 1007;
/// Close code: a message over NN_RCVMAXSIZE.
pub const TOO_BIG: u16 = 1009;

/// A decoded frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Last frame of its message.
    pub fin: bool,
    /// What the frame carries.
    pub opcode: u8,
    /// The masking key, when the payload is masked.
    pub mask: Option<[u8; 4]>,
    /// Payload length.
    pub len: u64,
    /// Bytes the header took.
    pub size: usize,
}

impl Header {
    /// Whether this is a control frame (close, ping, pong).
    pub fn is_control(&self) -> bool {
        self.opcode & 0x8 != 0
    }
}

/// Reads a frame header from the start of `buf`: `Ok(None)` until it is
/// all there, the close code if it is malformed (reserved bits or
/// opcodes, a fragmented or oversize control frame, a length with its top
/// bit set).
pub fn parse_header(buf: &[u8]) -> Result<Option<Header>, u16> {
    let [b0, b1, ..] = *buf else { return Ok(None) };
    let (fin, opcode) = (b0 & 0x80 != 0, b0 & 0x0F);
    if b0 & 0x70 != 0 || !matches!(opcode, CONTINUATION | TEXT | BINARY | CLOSE | PING | PONG) {
        return Err(PROTOCOL_ERROR);
    }
    let masked = b1 & 0x80 != 0;
    let (len, mut size) = match b1 & 0x7F {
        126 => match buf.get(2..4) {
            Some(b) => (u64::from(u16::from_be_bytes([b[0], b[1]])), 4),
            None => return Ok(None),
        },
        127 => match buf.get(2..10) {
            Some(b) => (u64::from_be_bytes(b.try_into().expect("8 bytes")), 10),
            None => return Ok(None),
        },
        n => (u64::from(n), 2),
    };
    if len >> 63 != 0 {
        return Err(PROTOCOL_ERROR);
    }
    let mask = if masked {
        let Some(key) = buf.get(size..size + 4) else { return Ok(None) };
        size += 4;
        Some(key.try_into().expect("4 bytes"))
    } else {
        None
    };
    let header = Header { fin, opcode, mask, len, size };
    if header.is_control() && (!fin || len > MAX_CONTROL) {
        return Err(PROTOCOL_ERROR);
    }
    Ok(Some(header))
}

/// The header of a frame; the first `.1` bytes of `.0` are meaningful.
pub fn encode_header(fin: bool, opcode: u8, len: u64, mask: Option<[u8; 4]>) -> ([u8; MAX_HEADER], usize) {
    let mut out = [0u8; MAX_HEADER];
    out[0] = if fin { 0x80 } else { 0 } | (opcode & 0x0F);
    let mask_bit = if mask.is_some() { 0x80 } else { 0 };
    let mut size = match len {
        0..=125 => {
            out[1] = mask_bit | len as u8;
            2
        }
        126..=0xFFFF => {
            out[1] = mask_bit | 126;
            out[2..4].copy_from_slice(&(len as u16).to_be_bytes());
            4
        }
        _ => {
            out[1] = mask_bit | 127;
            out[2..10].copy_from_slice(&len.to_be_bytes());
            10
        }
    };
    if let Some(key) = mask {
        out[size..size + 4].copy_from_slice(&key);
        size += 4;
    }
    (out, size)
}

/// Masks or unmasks `data` in place with `key`, `offset` bytes into the
/// frame's payload (masking is its own inverse). Eight bytes at a time.
pub fn apply_mask(data: &mut [u8], key: [u8; 4], offset: usize) {
    let mut rotated = [0u8; 8];
    for (i, b) in rotated.iter_mut().enumerate() {
        *b = key[(offset + i) % 4];
    }
    let wide = u64::from_ne_bytes(rotated);
    let mut chunks = data.chunks_exact_mut(8);
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes((&*chunk).try_into().expect("8 bytes")) ^ wide;
        chunk.copy_from_slice(&word.to_ne_bytes());
    }
    for (b, k) in chunks.into_remainder().iter_mut().zip(rotated) {
        *b ^= k;
    }
}

/// The payload of a close frame with this code.
pub fn close_payload(code: u16) -> [u8; 2] {
    code.to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_round_trip() {
        for len in [0u64, 5, 125, 126, 65535, 65536, 1 << 40] {
            for mask in [None, Some([1, 2, 3, 4])] {
                let (bytes, size) = encode_header(true, BINARY, len, mask);
                let h = parse_header(&bytes[..size]).unwrap().unwrap();
                assert_eq!(h, Header { fin: true, opcode: BINARY, mask, len, size });
                assert_eq!(parse_header(&bytes[..size - 1]), Ok(None));
            }
        }
        assert_eq!(parse_header(&[0x81]), Ok(None));
    }

    #[test]
    fn malformed_headers_earn_a_close_code() {
        assert_eq!(parse_header(&[0xC2, 0x00]), Err(PROTOCOL_ERROR), "reserved bit");
        assert_eq!(parse_header(&[0x83, 0x00]), Err(PROTOCOL_ERROR), "reserved opcode");
        assert_eq!(parse_header(&[0x09, 0x00]), Err(PROTOCOL_ERROR), "fragmented ping");
        assert_eq!(parse_header(&[0x89, 126, 0, 126]), Err(PROTOCOL_ERROR), "126-byte ping");
        assert!(parse_header(&[0x89, 125]).unwrap().unwrap().is_control());
        let mut huge = [0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(parse_header(&huge), Err(PROTOCOL_ERROR));
        huge[2] = 0x7F;
        assert_eq!(parse_header(&huge).unwrap().unwrap().len, 0x7F00_0000_0000_0000);
    }

    #[test]
    fn masking_is_its_own_inverse_at_any_offset() {
        let key = [0xA1, 0xB2, 0xC3, 0xD4];
        let plain: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let mut whole = plain.clone();
        apply_mask(&mut whole, key, 0);
        for (i, (m, p)) in whole.iter().zip(&plain).enumerate() {
            assert_eq!(*m, p ^ key[i % 4]);
        }
        // Unmasked in two pieces, the second starting mid-key.
        let (a, b) = whole.split_at_mut(13);
        apply_mask(a, key, 0);
        apply_mask(b, key, 13);
        assert_eq!(whole, plain);
    }
}

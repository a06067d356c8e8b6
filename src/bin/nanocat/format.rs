//! How nanocat prints a received message, byte for byte, in each format.
//! Pure functions over bytes: what is written to stdout is decided here
//! and nowhere else.

use std::fmt::Write as _;

use crate::cli::Format;

/// Appends `msg` printed in `format` to `out`.
pub fn render(format: Format, msg: &[u8], out: &mut Vec<u8>) {
    match format {
        Format::No => {}
        Format::Raw => out.extend_from_slice(msg),
        Format::Ascii => {
            out.extend(msg.iter().map(|&b| if is_print(b) { b } else { b'.' }));
            out.push(b'\n');
        }
        Format::Quoted => {
            out.push(b'"');
            for &b in msg {
                match b {
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b'\\' | b'"' => out.extend_from_slice(&[b'\\', b]),
                    _ if is_print(b) => out.push(b),
                    _ => push_hex(b, out),
                }
            }
            out.extend_from_slice(b"\"\n");
        }
        Format::Msgpack => {
            msgpack_bin_header(msg.len(), out);
            out.extend_from_slice(msg);
        }
        Format::Hex => {
            out.push(b'"');
            msg.iter().for_each(|&b| push_hex(b, out));
            out.extend_from_slice(b"\"\n");
        }
    }
}

/// C's isprint in the C locale: space to tilde.
fn is_print(b: u8) -> bool {
    (0x20..0x7f).contains(&b)
}

fn push_hex(b: u8, out: &mut Vec<u8>) {
    let mut text = String::with_capacity(4);
    let _ = write!(text, "\\x{b:02x}");
    out.extend_from_slice(text.as_bytes());
}

/// The MessagePack "bin" family header: bin 8, 16 or 32 by length (never
/// the fixed-size string forms, even for short messages).
fn msgpack_bin_header(len: usize, out: &mut Vec<u8>) {
    if let Ok(n) = u8::try_from(len) {
        out.extend_from_slice(&[0xc4, n]);
    } else if let Ok(n) = u16::try_from(len) {
        out.push(0xc5);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        // A message is at most 4 GiB on the wire nanocat reads from.
        let n = u32::try_from(len).unwrap_or(u32::MAX);
        out.push(0xc6);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(format: Format, msg: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        render(format, msg, &mut out);
        out
    }

    #[test]
    fn each_format() {
        let msg = b"a\"\\\n\r\t\x00\xff~";
        assert_eq!(show(Format::No, msg), b"");
        assert_eq!(show(Format::Raw, msg), msg);
        assert_eq!(show(Format::Ascii, msg), b"a\"\\.....~\n");
        assert_eq!(show(Format::Quoted, msg), b"\"a\\\"\\\\\\n\\r\\x09\\x00\\xff~\"\n");
        assert_eq!(show(Format::Hex, b"hi\x00"), b"\"\\x68\\x69\\x00\"\n");
        assert_eq!(show(Format::Msgpack, b"hello"), b"\xc4\x05hello");
        assert_eq!(show(Format::Msgpack, b""), b"\xc4\x00");
    }

    #[test]
    fn msgpack_lengths() {
        assert_eq!(show(Format::Msgpack, &[7; 256])[..3], [0xc5, 1, 0]);
        assert_eq!(show(Format::Msgpack, &[7; 70000])[..5], [0xc6, 0, 1, 0x11, 0x70]);
    }
}

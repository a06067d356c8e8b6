//! Option values as the C API passes them: a native `int` or a byte string.
//! A leaf module: the protocol and transport layers use it too.

use super::error::{Error, Result};

/// The value of one option, as `nn_getsockopt` hands it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    /// A C `int`.
    Int(i32),
    /// A string, without a terminating zero.
    Bytes(Vec<u8>),
}

/// Reads an `int` option: the value must be exactly `sizeof(int)` bytes
/// (EINVAL otherwise) and lie in `min..=max` (EINVAL otherwise).
pub fn int_in_range(value: &[u8], min: i32, max: i32) -> Result<i32> {
    let bytes: [u8; 4] = value.try_into().map_err(|_| Error::Invalid)?;
    let v = i32::from_ne_bytes(bytes);
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(Error::Invalid)
    }
}

/// Reads a boolean `int` option: 0 or 1.
pub fn bool_value(value: &[u8]) -> Result<bool> {
    int_in_range(value, 0, 1).map(|v| v == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_needs_exact_length_and_range() {
        assert_eq!(int_in_range(&5i32.to_ne_bytes(), 1, 16), Ok(5));
        assert_eq!(int_in_range(&17i32.to_ne_bytes(), 1, 16), Err(Error::Invalid));
        assert_eq!(int_in_range(&[1, 0], 0, 9), Err(Error::Invalid));
        assert_eq!(int_in_range(&[0; 8], 0, 9), Err(Error::Invalid));
        assert_eq!(bool_value(&2i32.to_ne_bytes()), Err(Error::Invalid));
    }
}

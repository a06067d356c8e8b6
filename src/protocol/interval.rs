//! The one millisecond option of a cooked REQ (NN_REQ_RESEND_IVL) or
//! SURVEYOR (NN_SURVEYOR_DEADLINE) socket. Raw sockets of those types do
//! not have it: ENOPROTOOPT, as in nanomsg.

use std::time::Duration;

use crate::core::error::{Error, Result};
use crate::core::optval::{int_in_range, OptionValue};

/// A millisecond option, or its absence on a raw socket.
#[derive(Debug, Clone, Copy)]
pub struct Interval {
    /// The option's number at the protocol's level.
    option: i32,
    /// Its value; `None` on a raw socket.
    ms: Option<i32>,
}

impl Interval {
    /// Option `option` with `default_ms`, absent when `raw`.
    pub fn new(option: i32, default_ms: i32, raw: bool) -> Interval {
        Interval { option, ms: (!raw).then_some(default_ms) }
    }

    /// The interval (zero on a raw socket).
    pub fn duration(&self) -> Duration {
        Duration::from_millis(self.ms.unwrap_or(0) as u64)
    }

    /// Sets it: EINVAL for a negative value, ENOPROTOOPT for another
    /// option or on a raw socket.
    pub fn set(&mut self, option: i32, value: &[u8]) -> Result<()> {
        match self.ms.as_mut() {
            Some(ms) if option == self.option => {
                *ms = int_in_range(value, 0, i32::MAX)?;
                Ok(())
            }
            _ => Err(Error::NoSuchOption),
        }
    }

    /// Reads it back.
    pub fn get(&self, option: i32) -> Result<OptionValue> {
        match self.ms {
            Some(ms) if option == self.option => Ok(OptionValue::Int(ms)),
            _ => Err(Error::NoSuchOption),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cooked_only() {
        let mut cooked = Interval::new(1, 500, false);
        assert_eq!(cooked.get(1), Ok(OptionValue::Int(500)));
        assert_eq!(cooked.set(1, &(-1i32).to_ne_bytes()), Err(Error::Invalid));
        cooked.set(1, &20i32.to_ne_bytes()).unwrap();
        assert_eq!(cooked.duration(), Duration::from_millis(20));
        assert_eq!(cooked.get(2), Err(Error::NoSuchOption));
        let mut raw = Interval::new(1, 500, true);
        assert_eq!(raw.set(1, &20i32.to_ne_bytes()), Err(Error::NoSuchOption));
        assert_eq!(raw.get(1), Err(Error::NoSuchOption));
    }
}

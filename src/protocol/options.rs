//! Options at a protocol's level (the level is the socket type's number):
//! NN_REQ_RESEND_IVL, NN_SURVEYOR_DEADLINE, NN_SUB_SUBSCRIBE/UNSUBSCRIBE.
//! A socket answers ENOPROTOOPT for the options of other protocols.

use super::subscriptions::Subscriptions;
use super::SocketType;
use crate::core::error::{Error, Result};
use crate::core::optval::{int_in_range, OptionValue};

/// NN_SUB_SUBSCRIBE at level NN_SUB.
pub const NN_SUB_SUBSCRIBE: i32 = 1;
/// NN_SUB_UNSUBSCRIBE at level NN_SUB.
pub const NN_SUB_UNSUBSCRIBE: i32 = 2;
/// NN_REQ_RESEND_IVL at level NN_REQ.
pub const NN_REQ_RESEND_IVL: i32 = 1;
/// NN_SURVEYOR_DEADLINE at level NN_SURVEYOR.
pub const NN_SURVEYOR_DEADLINE: i32 = 1;

/// The protocol-level options one socket keeps.
#[derive(Debug, Clone)]
pub enum ProtocolOptions {
    /// A cooked REQ socket.
    Req {
        /// Milliseconds before an unanswered request is sent again.
        resend_ivl: i32,
    },
    /// A cooked SURVEYOR socket.
    Surveyor {
        /// Milliseconds a survey collects answers.
        deadline: i32,
    },
    /// A SUB socket, cooked or raw: raw SUB filters too.
    Sub(Subscriptions),
    /// A socket with no protocol options.
    None,
}

impl ProtocolOptions {
    /// The options of a fresh socket of this type.
    pub fn new(kind: SocketType, raw: bool) -> ProtocolOptions {
        match (kind, raw) {
            (SocketType::Req, false) => ProtocolOptions::Req { resend_ivl: 60_000 },
            (SocketType::Surveyor, false) => ProtocolOptions::Surveyor { deadline: 1000 },
            (SocketType::Sub, _) => ProtocolOptions::Sub(Subscriptions::default()),
            _ => ProtocolOptions::None,
        }
    }

    /// Sets `option`; the caller has checked the level is this protocol's.
    pub fn set(&mut self, option: i32, value: &[u8]) -> Result<()> {
        match (self, option) {
            (ProtocolOptions::Req { resend_ivl }, NN_REQ_RESEND_IVL) => {
                *resend_ivl = int_in_range(value, 0, i32::MAX)?
            }
            (ProtocolOptions::Surveyor { deadline }, NN_SURVEYOR_DEADLINE) => {
                *deadline = int_in_range(value, 0, i32::MAX)?
            }
            (ProtocolOptions::Sub(subs), NN_SUB_SUBSCRIBE) => subs.subscribe(value),
            (ProtocolOptions::Sub(subs), NN_SUB_UNSUBSCRIBE) => subs.unsubscribe(value)?,
            _ => return Err(Error::NoSuchOption),
        }
        Ok(())
    }

    /// Reads `option` back. Subscriptions are write-only, as in nanomsg.
    pub fn get(&self, option: i32) -> Result<OptionValue> {
        match (self, option) {
            (ProtocolOptions::Req { resend_ivl }, NN_REQ_RESEND_IVL) => Ok(OptionValue::Int(*resend_ivl)),
            (ProtocolOptions::Surveyor { deadline }, NN_SURVEYOR_DEADLINE) => Ok(OptionValue::Int(*deadline)),
            _ => Err(Error::NoSuchOption),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_protocol_knows_only_its_own() {
        let mut req = ProtocolOptions::new(SocketType::Req, false);
        assert_eq!(req.get(NN_REQ_RESEND_IVL), Ok(OptionValue::Int(60_000)));
        req.set(NN_REQ_RESEND_IVL, &500i32.to_ne_bytes()).unwrap();
        assert_eq!(req.get(NN_REQ_RESEND_IVL), Ok(OptionValue::Int(500)));
        assert_eq!(req.set(NN_SUB_UNSUBSCRIBE, b""), Err(Error::NoSuchOption));
        let mut raw_req = ProtocolOptions::new(SocketType::Req, true);
        assert_eq!(raw_req.set(NN_REQ_RESEND_IVL, &1i32.to_ne_bytes()), Err(Error::NoSuchOption));
        let mut sub = ProtocolOptions::new(SocketType::Sub, true);
        assert_eq!(sub.set(NN_SUB_UNSUBSCRIBE, b"x"), Err(Error::Invalid));
        assert_eq!(sub.set(NN_SUB_SUBSCRIBE, b"x"), Ok(()));
        assert_eq!(sub.get(NN_SUB_SUBSCRIBE), Err(Error::NoSuchOption));
    }
}

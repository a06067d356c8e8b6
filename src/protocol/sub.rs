//! SUB: receives from every PUB peer the messages whose body starts with a
//! subscribed topic (NN_SUB_SUBSCRIBE / NN_SUB_UNSUBSCRIBE); raw SUB sockets
//! filter too. Nothing is sent.

use super::subscriptions::Subscriptions;
use super::{Arrival, Protocol};
use crate::core::error::{Error, Result};
use crate::core::msg::Msg;
use crate::transport::pipe::PipeId;

/// NN_SUB_SUBSCRIBE at level NN_SUB.
pub const NN_SUB_SUBSCRIBE: i32 = 1;
/// NN_SUB_UNSUBSCRIBE at level NN_SUB.
pub const NN_SUB_UNSUBSCRIBE: i32 = 2;

/// The SUB state machine.
#[derive(Debug, Default)]
pub struct Sub {
    topics: Subscriptions,
}

impl Protocol for Sub {
    fn received(&mut self, _id: PipeId, msg: Msg) -> Arrival {
        if self.topics.matches(msg.body.as_slice()) {
            Arrival::Queue(msg)
        } else {
            Arrival::Filtered
        }
    }

    /// Subscriptions are write-only, as in nanomsg.
    fn set_option(&mut self, option: i32, value: &[u8]) -> Result<()> {
        match option {
            NN_SUB_SUBSCRIBE => {
                self.topics.subscribe(value);
                Ok(())
            }
            NN_SUB_UNSUBSCRIBE => {
                // An unknown topic is no error, as in nanomsg.
                self.topics.unsubscribe(value);
                Ok(())
            }
            _ => Err(Error::NoSuchOption),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::msg;

    #[test]
    fn filters_by_topic() {
        let mut s = Sub::default();
        assert_eq!(s.received(1, msg(b"", b"news")), Arrival::Filtered);
        s.set_option(NN_SUB_SUBSCRIBE, b"ne").unwrap();
        assert_eq!(s.received(1, msg(b"", b"news")), Arrival::Queue(msg(b"", b"news")));
        assert_eq!(s.received(1, msg(b"", b"sport")), Arrival::Filtered);
        assert_eq!(s.set_option(NN_SUB_UNSUBSCRIBE, b"x"), Ok(()));
        assert_eq!(s.get_option(NN_SUB_SUBSCRIBE), Err(Error::NoSuchOption));
        assert_eq!(s.set_option(3, b""), Err(Error::NoSuchOption));
    }
}

//! Routing pieces several protocols share.

pub mod backtrace;
pub mod fanout;
pub mod lb;

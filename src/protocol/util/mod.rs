//! Routing pieces several protocols share.

pub mod lb;

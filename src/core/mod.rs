//! The engine's middle layer: the socket table, sockets with their options,
//! deadlines and readiness signals, message bodies and statistics.
//! Nothing here touches a raw pointer; `ffi` does that.

pub mod device;
mod driver;
pub mod error;
pub mod inbox;
mod io;
pub mod msg;
mod nap;
pub mod options;
mod owner;
pub mod optval;
pub mod ready;
pub mod socket;
mod spin;
pub mod stats;
pub mod table;
mod watch;

pub use error::{Error, Result};

//! The C API: the 23 `extern "C"` functions of libnanomsg and the structures
//! they exchange. Every raw pointer of the library lives in this module; each
//! entry point checks what it can, runs inside `guard::call` (errno on
//! failure, a caught panic instead of an abort) and calls down into `core`.

// The entry points take raw pointers from C by design: they are the safe
// boundary, checking what can be checked, and C callers cannot mark them.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

pub mod chunk;
pub mod cmsg;
pub mod device;
pub mod errors;
mod fork;
mod guard;
pub mod io;
pub mod options;
pub mod poll;
pub mod sockets;
pub mod symbols;
pub mod types;

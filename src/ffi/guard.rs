//! The frame around every entry point: C's `errno` on failure, and a panic
//! caught at the boundary (reported once on stderr) instead of unwinding
//! into C, which would abort the caller's process.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::core::error::{Error, Result};

/// Sets the calling thread's C `errno`.
pub fn set_errno(code: i32) {
    // SAFETY: __errno_location always returns a valid pointer to the
    // calling thread's errno.
    unsafe { *libc::__errno_location() = code }
}

/// The calling thread's C `errno`.
pub fn errno() -> i32 {
    // SAFETY: as in set_errno.
    unsafe { *libc::__errno_location() }
}

/// Runs the body of an entry point. `Err(e)` sets errno to `e` and returns
/// `failed`; a panic sets ENOTRECOVERABLE and returns `failed`.
pub fn call<T>(failed: T, body: impl FnOnce() -> Result<T>) -> T {
    let code = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => return value,
        Ok(Err(e)) => e.errno(),
        Err(_) => {
            static REPORTED: AtomicBool = AtomicBool::new(false);
            if !REPORTED.swap(true, Ordering::Relaxed) {
                eprintln!("nnrs: internal error caught at the C API; the call failed with ENOTRECOVERABLE");
            }
            Error::Internal.errno()
        }
    };
    // Last, so nothing on the way out can overwrite it.
    set_errno(code);
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_panics_become_errno() {
        assert_eq!(call(-1, || Ok(5)), 5);
        assert_eq!(call(-1, || Err(Error::BadSocket)), -1);
        assert_eq!(errno(), libc::EBADF);
        let r: i32 = call(-1, || panic!("boom"));
        assert_eq!((r, errno()), (-1, libc::ENOTRECOVERABLE));
    }
}

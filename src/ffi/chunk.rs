//! Message chunks: the buffers of `nn_allocmsg`, and of NN_MSG sends and
//! receives. A chunk is the tail of a message body's buffer (see
//! `core::msg::Body`); the 32 bytes in front of it hold its header. Every
//! live chunk's address is registered, so a pointer that is not one (freed
//! already, from malloc, or pointing nowhere) fails with EFAULT before any
//! byte near it is read. A chunk's bytes are 16-byte aligned, like malloc's.

use std::collections::HashSet;
use std::ffi::{c_int, c_void};
use std::mem::size_of;
use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::core::error::{Error, Result};
use crate::core::msg::Body;

/// Bytes reserved in front of a chunk's data for its header.
pub const HEADROOM: usize = size_of::<Header>();
/// Alignment of every chunk's data.
const ALIGN: usize = 16;
/// Tag of a live chunk, before it is mixed with the chunk's address.
const TAG: u64 = 0x6e6e_7273_2d6d_7367;

/// What sits in the 32 bytes in front of a chunk's data.
#[repr(C)]
#[derive(Clone, Copy)]
struct Header {
    /// TAG ^ address of the data; 0 once freed.
    tag: u64,
    /// Offset of the data from the start of the buffer.
    start: usize,
    /// Length of the data.
    len: usize,
    /// Capacity of the buffer.
    capacity: usize,
}

fn tag_of(data: *const u8) -> u64 {
    TAG ^ data as u64
}

/// The chunk registry held still; see `hold`.
pub struct RegistryHold {
    _guard: MutexGuard<'static, HashSet<usize>>,
}

/// Holds the chunk registry still until the hold drops (around fork()).
pub fn hold() -> RegistryHold {
    RegistryHold { _guard: live() }
}

/// The addresses of the chunks C holds.
fn live() -> MutexGuard<'static, HashSet<usize>> {
    static LIVE: OnceLock<Mutex<HashSet<usize>>> = OnceLock::new();
    LIVE.get_or_init(Mutex::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// Where the data of a buffer at `base` may start: at least HEADROOM in
/// and aligned.
fn aligned_start(base: *const u8, min_start: usize) -> usize {
    let at = base as usize + min_start;
    min_start + (ALIGN - at % ALIGN) % ALIGN
}

/// Allocates a chunk of `size` bytes (`nn_allocmsg`); ENOMEM when it cannot.
/// Its bytes are not cleared: the caller writes them, as with malloc.
pub fn alloc(size: usize) -> Result<*mut u8> {
    let total = size.checked_add(HEADROOM + ALIGN - 1).ok_or(Error::OutOfMemory)?;
    let mut buf = crate::core::msg::pool::take(total)?;
    let start = aligned_start(buf.as_ptr(), HEADROOM);
    // SAFETY: start + size <= total <= capacity. The bytes are handed to C,
    // which fills them before they are read as a message.
    unsafe { buf.set_len(start + size) };
    Ok(publish(buf, start))
}

/// Hands the tail of `buf` from `start` to C as a chunk: writes its header
/// and gives up ownership. The caller guarantees the alignment and headroom.
fn publish(mut buf: Vec<u8>, start: usize) -> *mut u8 {
    let header = Header { tag: 0, start, len: buf.len() - start, capacity: buf.capacity() };
    let base = buf.as_mut_ptr();
    // SAFETY: start >= HEADROOM, so the header lies inside the buffer.
    let data = unsafe { base.add(start) };
    let header = Header { tag: tag_of(data), ..header };
    // SAFETY: the header's bytes lie inside the buffer (see above).
    unsafe { data.sub(HEADROOM).cast::<Header>().write_unaligned(header) };
    std::mem::forget(buf);
    live().insert(data as usize);
    data
}

/// Turns a message body into a chunk for C, without copying when the body
/// has aligned headroom (bodies the engine builds do), else by copying.
pub fn from_body(body: Body) -> Result<*mut u8> {
    let (buf, start) = body.into_parts();
    if start >= HEADROOM && (buf.as_ptr() as usize + start) % ALIGN == 0 {
        return Ok(publish(buf, start));
    }
    let chunk = alloc(buf.len() - start)?;
    // SAFETY: the chunk was just allocated with exactly this many bytes.
    unsafe { std::ptr::copy_nonoverlapping(buf.as_ptr().add(start), chunk, buf.len() - start) };
    Ok(chunk)
}

/// Reads the header of the chunk at `data`; EFAULT if it is not a live
/// chunk.
fn header(data: *const c_void) -> Result<Header> {
    let data = data.cast::<u8>();
    if !live().contains(&(data as usize)) {
        return Err(Error::BadPointer);
    }
    // SAFETY: `data` is registered, so it is a chunk `publish` made and
    // nobody has taken back: its header is in front of it.
    let header = unsafe { data.sub(HEADROOM).cast::<Header>().read_unaligned() };
    if header.tag != tag_of(data) || header.start < HEADROOM || header.capacity < header.start + header.len {
        return Err(Error::BadPointer);
    }
    Ok(header)
}

/// Length of the live chunk at `data`.
pub fn len(data: *const c_void) -> Result<usize> {
    header(data).map(|h| h.len)
}

/// Takes the chunk at `data` back from C as a message body (no copy);
/// the pointer is dead afterwards.
pub fn into_body(data: *mut c_void) -> Result<Body> {
    let h = header(data)?;
    let data = data.cast::<u8>();
    if !live().remove(&(data as usize)) {
        // Another thread took it back between the check and now.
        return Err(Error::BadPointer);
    }
    // SAFETY: the header was verified; clearing the tag makes a second
    // take or free of this pointer fail instead of freeing twice.
    unsafe { data.sub(HEADROOM).cast::<Header>().write_unaligned(Header { tag: 0, ..h }) };
    // SAFETY: base, length and capacity are those `publish` recorded for a
    // Vec<u8> it forgot, and the tag proved that Vec was not taken since.
    let buf = unsafe { Vec::from_raw_parts(data.sub(h.start), h.start + h.len, h.capacity) };
    Ok(Body::from_parts(buf, h.start))
}

/// `nn_allocmsg(size, type)`: a chunk of `size` bytes. `type` must be 0
/// (EINVAL otherwise); ENOMEM if the memory cannot be had.
#[no_mangle]
pub extern "C" fn nn_allocmsg(size: usize, r#type: c_int) -> *mut c_void {
    super::guard::call(std::ptr::null_mut(), || {
        if r#type != 0 {
            return Err(Error::Invalid);
        }
        alloc(size).map(|p| p.cast())
    })
}

/// `nn_reallocmsg(msg, size)`: a chunk of `size` bytes holding the start of
/// `msg`, which is freed. On failure `msg` stays valid.
#[no_mangle]
pub extern "C" fn nn_reallocmsg(msg: *mut c_void, size: usize) -> *mut c_void {
    super::guard::call(std::ptr::null_mut(), || {
        let old_len = len(msg)?;
        let fresh = alloc(size)?;
        // SAFETY: both chunks are live and hold at least this many bytes.
        unsafe { std::ptr::copy_nonoverlapping(msg.cast::<u8>(), fresh, old_len.min(size)) };
        drop(into_body(msg)?);
        Ok(fresh.cast())
    })
}

/// `nn_freemsg(msg)`: frees a chunk; EFAULT for anything else.
#[no_mangle]
pub extern "C" fn nn_freemsg(msg: *mut c_void) -> c_int {
    super::guard::call(-1, || into_body(msg).map(|_| 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alloc_free_and_the_tag() {
        let p = alloc(100).unwrap();
        assert_eq!(p as usize % ALIGN, 0);
        assert_eq!(len(p.cast()), Ok(100));
        let body = into_body(p.cast()).unwrap();
        assert_eq!(body.len(), 100);
        // Freed: the same pointer is refused now.
        assert_eq!(len(p.cast()).err(), Some(Error::BadPointer));
        let again = from_body(body).unwrap();
        assert_eq!(again, p, "a body with aligned headroom goes back without a copy");
        assert_eq!(nn_freemsg(again.cast()), 0);
    }

    #[test]
    fn foreign_and_impossible() {
        let local = [0u64; 8];
        assert_eq!(len(local[4..].as_ptr().cast()).err(), Some(Error::BadPointer));
        assert_eq!(len(std::ptr::null()).err(), Some(Error::BadPointer));
        // Unmapped: refused without reading near it.
        assert_eq!(len(0x10000 as *const c_void).err(), Some(Error::BadPointer));
        assert_eq!(alloc(usize::MAX - 8).err(), Some(Error::OutOfMemory));
        assert_eq!(alloc(usize::MAX / 2).err(), Some(Error::OutOfMemory));
    }

    #[test]
    fn bodies_without_headroom_are_copied() {
        let body = Body::copy_from(b"abc", 0).unwrap();
        let p = from_body(body).unwrap();
        let back = into_body(p.cast()).unwrap();
        assert_eq!(back.as_slice(), b"abc");
    }

    #[test]
    fn realloc_keeps_the_prefix() {
        let p = alloc(4).unwrap();
        // SAFETY: a live 4-byte chunk.
        unsafe { std::ptr::copy_nonoverlapping(b"wxyz".as_ptr(), p, 4) };
        let q = nn_reallocmsg(p.cast(), 2);
        assert_eq!(into_body(q).unwrap().as_slice(), b"wx");
    }
}

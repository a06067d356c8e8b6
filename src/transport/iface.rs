//! Network interface names ("eth0", "lo") to the addresses bound on them,
//! for `tcp://eth0:5555` binds and `tcp://eth0;host:port` connects.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The addresses of interface `name`, IPv4 ones first.
pub fn addresses(name: &str) -> Vec<IpAddr> {
    let mut found = Vec::new();
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `list` with a linked list it allocates, or
    // fails and leaves it alone; it is freed below exactly once.
    if unsafe { libc::getifaddrs(&mut list) } != 0 {
        return found;
    }
    let mut node = list;
    while !node.is_null() {
        // SAFETY: a node of the list getifaddrs returned, still allocated.
        let entry = unsafe { &*node };
        node = entry.ifa_next;
        if entry.ifa_name.is_null() || entry.ifa_addr.is_null() {
            continue;
        }
        // SAFETY: ifa_name is a NUL-terminated string of the live list.
        let ifname = unsafe { std::ffi::CStr::from_ptr(entry.ifa_name) };
        if ifname.to_bytes() != name.as_bytes() {
            continue;
        }
        // SAFETY: ifa_addr points at a sockaddr whose family says which
        // structure it is; only the matching one is read.
        unsafe {
            match i32::from((*entry.ifa_addr).sa_family) {
                libc::AF_INET => {
                    let a = &*(entry.ifa_addr as *const libc::sockaddr_in);
                    found.push(IpAddr::V4(Ipv4Addr::from(u32::from_be(a.sin_addr.s_addr))));
                }
                libc::AF_INET6 => {
                    let a = &*(entry.ifa_addr as *const libc::sockaddr_in6);
                    found.push(IpAddr::V6(Ipv6Addr::from(a.sin6_addr.s6_addr)));
                }
                _ => {}
            }
        }
    }
    // SAFETY: the list from the successful getifaddrs above.
    unsafe { libc::freeifaddrs(list) };
    found.sort_by_key(|a| a.is_ipv6());
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_has_127_0_0_1() {
        assert!(super::addresses("lo").contains(&"127.0.0.1".parse().unwrap()));
        assert!(super::addresses("no-such-interface").is_empty());
    }
}

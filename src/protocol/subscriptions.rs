//! The topics of a SUB socket: prefixes with a count each, so that a prefix
//! subscribed twice needs two unsubscribes. The empty prefix matches all.

use std::collections::BTreeMap;

use crate::core::error::{Error, Result};

/// Subscribed prefixes and how many times each was subscribed.
#[derive(Debug, Default, Clone)]
pub struct Subscriptions {
    prefixes: BTreeMap<Vec<u8>, usize>,
}

impl Subscriptions {
    /// Adds one subscription to `prefix`.
    pub fn subscribe(&mut self, prefix: &[u8]) {
        *self.prefixes.entry(prefix.to_vec()).or_insert(0) += 1;
    }

    /// Removes one subscription to `prefix`; EINVAL when there is none.
    pub fn unsubscribe(&mut self, prefix: &[u8]) -> Result<()> {
        let count = self.prefixes.get_mut(prefix).ok_or(Error::Invalid)?;
        *count -= 1;
        if *count == 0 {
            self.prefixes.remove(prefix);
        }
        Ok(())
    }

    /// Whether a message with this body passes the filter.
    pub fn matches(&self, body: &[u8]) -> bool {
        (0..=body.len()).any(|n| self.prefixes.contains_key(&body[..n]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_prefixes() {
        let mut s = Subscriptions::default();
        assert!(!s.matches(b"abc"));
        s.subscribe(b"ab");
        s.subscribe(b"ab");
        assert!(s.matches(b"abc") && !s.matches(b"a"));
        s.unsubscribe(b"ab").unwrap();
        assert!(s.matches(b"ab"));
        s.unsubscribe(b"ab").unwrap();
        assert_eq!(s.unsubscribe(b"ab"), Err(Error::Invalid));
        s.subscribe(b"");
        assert!(s.matches(b"") && s.matches(b"anything"));
    }
}

//! The topics of a SUB socket, in a trie of prefixes: matching a message
//! walks its first bytes once, however many topics there are. Each prefix
//! keeps a count, so one subscribed twice needs two unsubscribes. The empty
//! prefix matches every message.

use std::collections::BTreeMap;

/// One byte position of the trie: how many subscriptions end here, and
/// the longer prefixes by their next byte.
#[derive(Debug, Default, Clone)]
struct Node {
    count: usize,
    next: BTreeMap<u8, Node>,
}

impl Node {
    /// Removes one subscription to `prefix` below this node and prunes the
    /// nodes left empty; false when there is none.
    fn remove(&mut self, prefix: &[u8]) -> bool {
        let Some((first, rest)) = prefix.split_first() else {
            if self.count == 0 {
                return false;
            }
            self.count -= 1;
            return true;
        };
        let Some(child) = self.next.get_mut(first) else { return false };
        if !child.remove(rest) {
            return false;
        }
        if child.count == 0 && child.next.is_empty() {
            self.next.remove(first);
        }
        true
    }
}

/// Subscribed prefixes and how many times each was subscribed.
#[derive(Debug, Default, Clone)]
pub struct Subscriptions {
    root: Node,
}

impl Subscriptions {
    /// Adds one subscription to `prefix`.
    pub fn subscribe(&mut self, prefix: &[u8]) {
        let node = prefix.iter().fold(&mut self.root, |node, b| node.next.entry(*b).or_default());
        node.count += 1;
    }

    /// Removes one subscription to `prefix`; false when there is none.
    pub fn unsubscribe(&mut self, prefix: &[u8]) -> bool {
        self.root.remove(prefix)
    }

    /// Whether a message with this body passes the filter.
    pub fn matches(&self, body: &[u8]) -> bool {
        let mut node = &self.root;
        for b in body {
            if node.count > 0 {
                return true;
            }
            match node.next.get(b) {
                Some(next) => node = next,
                None => return false,
            }
        }
        node.count > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_prefixes() {
        let mut s = Subscriptions::default();
        assert!(!s.matches(b"abc") && !s.matches(b""));
        s.subscribe(b"ab");
        s.subscribe(b"ab");
        assert!(s.matches(b"abc") && s.matches(b"ab") && !s.matches(b"a") && !s.matches(b"b"));
        assert!(s.unsubscribe(b"ab"));
        assert!(s.matches(b"ab"));
        assert!(s.unsubscribe(b"ab"));
        assert!(!s.matches(b"abc"));
        assert!(!s.unsubscribe(b"ab"));
        assert!(!s.unsubscribe(b"a"));
        assert!(s.root.next.is_empty(), "emptied branches are pruned");
        s.subscribe(b"");
        assert!(s.matches(b"") && s.matches(b"anything"));
    }

    #[test]
    fn nested_prefixes_are_independent() {
        let mut s = Subscriptions::default();
        s.subscribe(b"a");
        s.subscribe(b"abc");
        assert!(!s.unsubscribe(b"ab"));
        assert!(s.unsubscribe(b"a"));
        assert!(!s.matches(b"ab") && s.matches(b"abcd"));
        assert!(s.unsubscribe(b"abc"));
        assert!(s.root.next.is_empty());
    }
}

//! The load balancer: each message goes to one pipe that can take it, the
//! pipes of the best NN_SNDPRIO (1 highest … 16) first, in turn among
//! equals. A full pipe is skipped until it reports room again.

use crate::protocol::PipeSet;
use crate::transport::pipe::{Pipe, PipeId};

#[derive(Debug)]
struct Entry {
    pipe: Pipe,
    writable: bool,
}

/// Pipes to spread messages over.
#[derive(Debug, Default)]
pub struct LoadBalancer {
    entries: Vec<Entry>,
    /// Where the next turn starts.
    next: usize,
}

impl PipeSet for LoadBalancer {
    fn add(&mut self, pipe: &Pipe) {
        self.entries.push(Entry { pipe: pipe.clone(), writable: true });
    }

    fn remove(&mut self, id: PipeId) {
        self.entries.retain(|e| e.pipe.id != id);
        if self.next >= self.entries.len() {
            self.next = 0;
        }
    }

    fn set_writable(&mut self, id: PipeId, writable: bool) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.pipe.id == id) {
            e.writable = writable;
        }
    }
}

impl LoadBalancer {
    /// Whether some pipe can take a message.
    pub fn can_send(&self) -> bool {
        self.entries.iter().any(|e| e.writable)
    }

    /// The pipe for the next message: the next in turn among the writable
    /// pipes of the best priority.
    pub fn pick(&mut self) -> Option<&Pipe> {
        let best = self.entries.iter().filter(|e| e.writable).map(|e| e.pipe.send_priority).min()?;
        let n = self.entries.len();
        let at = (0..n)
            .map(|k| (self.next + k) % n)
            .find(|&i| self.entries[i].writable && self.entries[i].pipe.send_priority == best)?;
        self.next = (at + 1) % n;
        Some(&self.entries[at].pipe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::fake_pipe as pipe;

    fn picks(lb: &mut LoadBalancer, n: usize) -> Vec<PipeId> {
        (0..n).filter_map(|_| lb.pick().map(|p| p.id)).collect()
    }

    #[test]
    fn round_robin_among_the_best_priority() {
        let mut lb = LoadBalancer::default();
        assert!(lb.pick().is_none() && !lb.can_send());
        lb.add(&pipe(1, 8));
        lb.add(&pipe(2, 8));
        lb.add(&pipe(3, 9));
        assert_eq!(picks(&mut lb, 4), [1, 2, 1, 2]);
        lb.set_writable(1, false);
        assert_eq!(picks(&mut lb, 2), [2, 2]);
        lb.set_writable(2, false);
        assert_eq!(picks(&mut lb, 2), [3, 3], "a worse priority only when the better are full");
        lb.set_writable(1, true);
        lb.remove(3);
        assert_eq!(picks(&mut lb, 2), [1, 1]);
        lb.remove(1);
        lb.remove(2);
        assert!(lb.pick().is_none());
    }
}

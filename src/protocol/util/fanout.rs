//! Fan-out: every message to every pipe that can take it now (PUB, BUS,
//! SURVEYOR). A pipe that is full misses the message instead of slowing the
//! sender and the other pipes down.

use crate::protocol::PipeSet;
use crate::transport::pipe::{Pipe, PipeId};

/// The pipes a message is copied to.
#[derive(Debug, Default)]
pub struct Fanout {
    pipes: Vec<(Pipe, bool)>,
}

impl PipeSet for Fanout {
    fn add(&mut self, pipe: &Pipe) {
        self.pipes.push((pipe.clone(), true));
    }

    fn remove(&mut self, id: PipeId) {
        self.pipes.retain(|(p, _)| p.id != id);
    }

    fn set_writable(&mut self, id: PipeId, writable: bool) {
        if let Some(entry) = self.pipes.iter_mut().find(|(p, _)| p.id == id) {
            entry.1 = writable;
        }
    }
}

impl Fanout {
    /// The pipes that can take a message now, but `except`.
    pub fn targets(&self, except: Option<PipeId>) -> Vec<&Pipe> {
        self.pipes.iter().filter(|(p, w)| *w && Some(p.id) != except).map(|(p, _)| p).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::fake_pipe;

    fn ids(pipes: Vec<&Pipe>) -> Vec<PipeId> {
        pipes.into_iter().map(|p| p.id).collect()
    }

    #[test]
    fn every_writable_pipe_but_the_excepted() {
        let mut f = Fanout::default();
        assert!(f.targets(None).is_empty());
        for id in 1..=3 {
            f.add(&fake_pipe(id, 8));
        }
        assert_eq!(ids(f.targets(None)), [1, 2, 3]);
        assert_eq!(ids(f.targets(Some(2))), [1, 3]);
        f.set_writable(1, false);
        assert_eq!(ids(f.targets(None)), [2, 3]);
        f.set_writable(1, true);
        f.remove(3);
        assert_eq!(ids(f.targets(None)), [1, 2]);
    }
}

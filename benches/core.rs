//! The core's data structures: the socket table, the receive queue, message
//! bodies and the buffer pool, the load balancer, fan-out and SUB's topic
//! trie. `cargo bench --bench core`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nanomsg::core::inbox::Inbox;
use nanomsg::core::msg::{pool, Body, Msg};
use nanomsg::core::socket::AF_SP;
use nanomsg::core::table::SocketTable;
use nanomsg::protocol::subscriptions::Subscriptions;
use nanomsg::protocol::util::fanout::Fanout;
use nanomsg::protocol::util::lb::LoadBalancer;
use nanomsg::protocol::PipeSet;
use nanomsg::transport::pipe::{Pipe, PipeId, PipeOps, SendError};

/// NN_PAIR.
const PAIR: i32 = 16;

fn table(c: &mut Criterion) {
    let mut g = c.benchmark_group("socket_table");
    let t = SocketTable::new();
    g.bench_function("create_close", |b| {
        b.iter(|| {
            let id = t.create(AF_SP, PAIR).expect("room");
            t.close(black_box(id)).expect("open");
        })
    });
    // get among 100 open sockets.
    let ids: Vec<i32> = (0..100).map(|_| t.create(AF_SP, PAIR).expect("room")).collect();
    g.bench_function("get/100_open", |b| b.iter(|| t.get(black_box(ids[57])).map(|s| black_box(s).is_raw())));
    g.bench_function("get/closed_id", |b| b.iter(|| t.get(black_box(400)).is_err()));
    g.finish();
}

fn inbox(c: &mut Criterion) {
    let mut g = c.benchmark_group("inbox");
    const N: usize = 1024;
    let mut spare: Vec<Msg> = (0..N).map(|_| Msg::new(Body::copy_from(&[7; 64], 0).expect("memory"))).collect();
    let mut q = Inbox::default();
    g.throughput(Throughput::Elements(N as u64));
    for (levels, name) in [(1u8, "1_priority"), (4, "4_priorities"), (16, "16_priorities")] {
        g.bench_function(BenchmarkId::new("push_pop", format!("{name}x{N}")), |b| {
            b.iter(|| {
                for (i, m) in spare.drain(..).enumerate() {
                    q.push(m, 1 + (i % levels as usize) as u8);
                }
                while let Some(m) = q.pop() {
                    spare.push(m);
                }
            })
        });
    }
    // One in, one out: the queue never holds more than one message.
    let mut one = Some(Msg::default());
    g.throughput(Throughput::Elements(1));
    g.bench_function("push_pop/one_at_a_time", |b| {
        b.iter(|| {
            q.push(one.take().expect("held"), 8);
            one = q.pop();
        })
    });
    // A pipe's batch of 64 queued whole, then taken one by one, as a PAIR
    // socket takes an inproc batch.
    let mut batch: std::collections::VecDeque<Msg> = spare.drain(..64).collect();
    g.throughput(Throughput::Elements(64));
    g.bench_function("push_all_pop/batch_of_64", |b| {
        b.iter(|| {
            q.push_all(&mut batch, 64 * 64, 8);
            while let Some(m) = q.pop() {
                batch.push_back(m);
            }
        })
    });
    g.finish();
}

fn bodies(c: &mut Criterion) {
    let mut g = c.benchmark_group("body");
    for (size, name) in [(64usize, "64B"), (64 * 1024, "64KiB")] {
        let bytes = vec![3u8; size];
        g.throughput(Throughput::Bytes(size as u64));
        // Dropping the body gives a large buffer back to the pool.
        g.bench_function(BenchmarkId::new("copy_from_and_drop", name), |b| {
            b.iter(|| black_box(Body::copy_from(black_box(&bytes), 32).expect("memory")))
        });
        g.throughput(Throughput::Elements(1));
        g.bench_function(BenchmarkId::new("pool_take_give", name), |b| {
            b.iter(|| pool::give(black_box(pool::take(size + 32).expect("memory"))))
        });
        g.bench_function(BenchmarkId::new("vec_alloc_free_baseline", name), |b| {
            b.iter(|| black_box(Vec::<u8>::with_capacity(black_box(size + 32))))
        });
    }
    g.finish();
}

struct NullPipe;

impl PipeOps for NullPipe {
    fn send(&self, msg: Msg) -> Result<(), SendError> {
        Err(SendError::Closed(msg))
    }
    fn resume(&self) {}
    fn unsent(&self) -> usize {
        0
    }
    fn close(&self) {}
}

fn pipe(id: PipeId) -> Pipe {
    Pipe { id, ops: Arc::new(NullPipe), send_priority: 8, recv_priority: 8 }
}

fn routing(c: &mut Criterion) {
    let mut g = c.benchmark_group("routing");
    for n in [1u32, 8, 64] {
        let mut lb = LoadBalancer::default();
        for id in 1..=n {
            lb.add(&pipe(id));
        }
        g.bench_function(BenchmarkId::new("lb_pick", format!("{n}_pipes")), |b| b.iter(|| lb.pick().map(|p| p.id)));
        if n == 64 {
            // Half of them full: the pick skips them.
            for id in (1..=n).step_by(2) {
                lb.set_writable(id, false);
            }
            g.bench_function(BenchmarkId::new("lb_pick", "64_pipes_half_full"), |b| b.iter(|| lb.pick().map(|p| p.id)));
        }
    }
    let mut f = Fanout::default();
    for id in 1..=100 {
        f.add(&pipe(id));
    }
    g.bench_function(BenchmarkId::new("fanout_targets", "100_pipes"), |b| b.iter(|| f.targets(black_box(None)).len()));
    g.bench_function(BenchmarkId::new("fanout_targets", "100_pipes_except_one"), |b| {
        b.iter(|| f.targets(black_box(Some(50))).len())
    });
    g.finish();
}

fn subscriptions(c: &mut Criterion) {
    let mut g = c.benchmark_group("subscriptions");
    for n in [1usize, 100, 10_000] {
        let mut s = Subscriptions::default();
        let topics: Vec<String> = (0..n).map(|i| format!("market.{i:05}.")).collect();
        for t in &topics {
            s.subscribe(t.as_bytes());
        }
        let hit = format!("{}price=101.5 size=200 venue=X", topics[n - 1]);
        let miss = "market.99999.price=101.5 size=200 venue=X";
        let label = format!("{n}_topics");
        g.bench_function(BenchmarkId::new("matches/hit", &label), |b| b.iter(|| s.matches(black_box(hit.as_bytes()))));
        g.bench_function(BenchmarkId::new("matches/miss", &label), |b| b.iter(|| s.matches(black_box(miss.as_bytes()))));
    }
    g.finish();
}

criterion_group!(benches, table, inbox, bodies, routing, subscriptions);
criterion_main!(benches);

//! The runner every target shares: a seeded generator, the committed seed
//! corpus, a mutator, and what happens when an input panics or hangs (the
//! seed and the input are printed and the input is saved under
//! `fuzz/crashes/`).
//!
//! Environment:
//! - `NNRS_FUZZ_ITERS`: mutated inputs per target (default 200 000, fewer
//!   for the costlier targets, so the suite stays a few seconds in release).
//! - `NNRS_FUZZ_SEED`: the run's seed (default fixed, so a plain
//!   `cargo test` is reproducible; `random` picks one from the clock).
//! - `NNRS_FUZZ_INPUT`: a file to run instead of mutating (a crash to
//!   reproduce); only the targets selected by the test filter run it.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Mutated inputs per target when `NNRS_FUZZ_ITERS` is unset.
const DEFAULT_ITERS: u64 = 200_000;
/// Seed when `NNRS_FUZZ_SEED` is unset.
const DEFAULT_SEED: u64 = 0x6e6e_7273_f022_0001;
/// Longest input the mutator makes: long enough for every size limit the
/// decoders have (an HTTP head's 8 KiB), short enough to stay fast.
const MAX_INPUT: usize = 10 * 1024;
/// An input that runs this long is a hang.
const HANG_AFTER: Duration = Duration::from_secs(20);

/// A small, fast, seedable generator (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose whole sequence follows from `seed`.
    pub fn new(seed: u64) -> Rng {
        // Zero is xorshift's one fixed point; mix the seed so nearby seeds
        // give unrelated sequences.
        Rng(splitmix(seed) | 1)
    }

    /// A generator seeded by the bytes of an input, so a target's choices
    /// (chunking, split points, limits) are reproducible from the input
    /// alone.
    pub fn from_input(input: &[u8]) -> Rng {
        Rng::new(fnv1a(input))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// A random byte.
    pub fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn splitmix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a: a cheap, stable hash of an input or a name.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// One fuzz target: a name (its corpus directory) and a function that
/// panics when an input breaks an invariant.
pub struct Target {
    /// `fuzz/corpus/<name>/`.
    pub name: &'static str,
    /// Runs one input.
    pub run: fn(&[u8]),
    /// Tokens the mutator may insert (the target's grammar, roughly).
    pub dictionary: &'static [&'static [u8]],
    /// How many times more expensive an input is than a pure decoder's:
    /// the default iteration count is divided by it, not a requested one.
    pub cost: u64,
}

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The committed seeds of a target, sorted by file name.
pub fn corpus(name: &str) -> Vec<Vec<u8>> {
    let dir = fuzz_dir().join("corpus").join(name);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("corpus entry").path())
        .collect();
    paths.sort();
    let seeds: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).expect("corpus file")).collect();
    assert!(!seeds.is_empty(), "{}: empty corpus", dir.display());
    seeds
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    if value == "random" {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        return Some(now.as_nanos() as u64);
    }
    let parsed = match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => value.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={value}: not a number")))
}

/// Lower-case hex of an input, for the failure report.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Values that sit on the edges of length fields.
const EDGES: [u64; 16] = [
    0,
    1,
    2,
    4,
    125,
    126,
    127,
    0xFF,
    0xFFFF,
    0x1_0000,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFF,
    1 << 32,
    1 << 63,
    u64::MAX,
];

/// Applies one to four random edits to a seed.
pub fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], dictionary: &[&[u8]]) -> Vec<u8> {
    let mut data = rng.pick(seeds).clone();
    for _ in 0..1 + rng.below(4) {
        edit(rng, &mut data, seeds, dictionary);
    }
    data.truncate(MAX_INPUT);
    data
}

fn edit(rng: &mut Rng, data: &mut Vec<u8>, seeds: &[Vec<u8>], dictionary: &[&[u8]]) {
    let at = |rng: &mut Rng, data: &Vec<u8>| rng.below(data.len() + 1);
    match rng.below(11) {
        0 | 1 if !data.is_empty() => {
            let i = rng.below(data.len());
            data[i] ^= 1 << rng.below(8);
        }
        2 if !data.is_empty() => {
            let i = rng.below(data.len());
            let random = rng.byte();
            data[i] = *rng.pick(&[0, 1, 0x7F, 0x80, 0xFF, b'\r', b'\n', b' ', b':', b'/', random]);
        }
        3 => {
            let i = at(rng, data);
            let n = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.byte()).collect();
            data.splice(i..i, bytes);
        }
        4 if !data.is_empty() => {
            let i = rng.below(data.len());
            let n = 1 + rng.below((data.len() - i).min(16));
            data.drain(i..i + n);
        }
        5 => data.truncate(at(rng, data)),
        6 => splice(rng, data, seeds),
        7 => length_field(rng, data),
        8 if !dictionary.is_empty() => {
            let i = at(rng, data);
            let token = *rng.pick(dictionary);
            data.splice(i..i, token.iter().copied());
        }
        9 if !data.is_empty() => {
            // Repeats a stretch: more frames, more header lines, deeper
            // backtraces.
            let i = rng.below(data.len());
            let n = 1 + rng.below((data.len() - i).min(64));
            let copy = data[i..i + n].to_vec();
            let j = at(rng, data);
            data.splice(j..j, copy);
        }
        _ => {
            let i = at(rng, data);
            data.insert(i, rng.byte());
        }
    }
}

/// Joins the front of this input to the back of another seed.
fn splice(rng: &mut Rng, data: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    let other = rng.pick(seeds);
    let keep = rng.below(data.len() + 1);
    let from = rng.below(other.len() + 1);
    data.truncate(keep);
    data.extend_from_slice(&other[from..]);
}

/// Overwrites 1, 2, 4 or 8 bytes with an edge value, big-endian (the SP
/// and WebSocket lengths are), sometimes nudged by one.
fn length_field(rng: &mut Rng, data: &mut [u8]) {
    let width = *rng.pick(&[1usize, 2, 4, 8]);
    if data.len() < width {
        return;
    }
    let mut value = *rng.pick(&EDGES);
    match rng.below(4) {
        0 => value = value.wrapping_add(1),
        1 => value = value.wrapping_sub(1),
        _ => {}
    }
    let bytes = value.to_be_bytes();
    let i = rng.below(data.len() - width + 1);
    data[i..i + width].copy_from_slice(&bytes[8 - width..]);
}

/// The input running now and since when, for the hang watchdog.
#[derive(Default)]
struct Current {
    input: Option<(Vec<u8>, Instant)>,
}

/// Aborts the process, after reporting the input, if one input runs longer
/// than HANG_AFTER: a hang must fail the suite rather than stall it.
fn watchdog(name: &'static str, seed: u64, current: Arc<Mutex<Current>>, done: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(200));
            let guard = current.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((input, since)) = &guard.input {
                if since.elapsed() > HANG_AFTER {
                    report(name, seed, "hang", input);
                    std::process::abort();
                }
            }
        }
    });
}

/// Prints and saves a failing input; returns where it was saved.
fn report(name: &str, seed: u64, what: &str, input: &[u8]) -> PathBuf {
    let dir = fuzz_dir().join("crashes");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("{name}-{seed:016x}-{:016x}", fnv1a(input)));
    let _ = std::fs::write(&path, input);
    eprintln!(
        "fuzz target {name}: {what} (NNRS_FUZZ_SEED=0x{seed:x})\ninput ({} bytes): {}\nsaved: {}",
        input.len(),
        hex(input),
        path.display()
    );
    path
}

/// Runs one input; `Err` with the saved path if it panicked.
fn run_one(target: &Target, seed: u64, input: &[u8], current: &Mutex<Current>) -> Result<(), PathBuf> {
    current.lock().unwrap_or_else(|e| e.into_inner()).input = Some((input.to_vec(), Instant::now()));
    let outcome = catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    current.lock().unwrap_or_else(|e| e.into_inner()).input = None;
    outcome.map_err(|_| report(target.name, seed, "panic", input))
}

/// Runs a target: its seeds as they are, then `NNRS_FUZZ_ITERS` mutants
/// (or just `NNRS_FUZZ_INPUT`). Panics, naming the input, on the first
/// failure; prints how many inputs ran in how long.
pub fn fuzz(target: &Target) {
    let seed = env_u64("NNRS_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let iters = env_u64("NNRS_FUZZ_ITERS").unwrap_or(DEFAULT_ITERS / target.cost);
    let seeds = corpus(target.name);
    let current = Arc::new(Mutex::new(Current::default()));
    let done = Arc::new(AtomicBool::new(false));
    watchdog(target.name, seed, current.clone(), done.clone());
    let started = Instant::now();
    let result = run_all(target, seed, iters, &seeds, &current);
    done.store(true, Ordering::Relaxed);
    let inputs = result.unwrap_or_else(|p| panic!("{}: failing input saved at {}", target.name, p.display()));
    let secs = started.elapsed().as_secs_f64();
    println!("fuzz {:<16} {inputs:>9} inputs in {secs:>7.2} s  (seed 0x{seed:x})", target.name);
}

fn run_all(
    target: &Target,
    seed: u64,
    iters: u64,
    seeds: &[Vec<u8>],
    current: &Mutex<Current>,
) -> Result<u64, PathBuf> {
    if let Some(path) = std::env::var_os("NNRS_FUZZ_INPUT") {
        let input = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", Path::new(&path).display()));
        run_one(target, seed, &input, current)?;
        return Ok(1);
    }
    for input in seeds {
        run_one(target, seed, input, current)?;
    }
    // Each target draws its own sequence from the run's seed.
    let mut rng = Rng::new(seed ^ fnv1a(target.name.as_bytes()));
    for _ in 0..iters {
        let input = mutate(&mut rng, seeds, target.dictionary);
        run_one(target, seed, &input, current)?;
    }
    Ok(seeds.len() as u64 + iters)
}

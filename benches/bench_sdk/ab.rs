//! A/B latency: several clients measured one call at a time, alternating in small blocks
//! whose order is shuffled anew each cycle, so a slow phase of the machine (another
//! process, the scheduler moving a thread, a timer) hits every client alike. The run is
//! split into rounds; each round gives each client's p50 and each ratio to the first
//! client (the floor), and the spread of those ratios over the rounds is the noise a
//! reader should expect.

/// One client under test: its name and one call, returning its latency in nanoseconds.
pub struct Arm<'a> {
    pub name: &'static str,
    pub call: Box<dyn FnMut() -> u64 + 'a>,
}

/// p50 and p99 of a set of latencies, in nanoseconds.
#[derive(Clone, Copy, Debug)]
pub struct Pct {
    pub p50: u64,
    pub p99: u64,
}

impl Pct {
    pub fn of(ns: &mut [u64]) -> Pct {
        ns.sort_unstable();
        Pct {
            p50: ns[ns.len() / 2],
            p99: ns[ns.len() * 99 / 100],
        }
    }
}

/// What an A/B run measured.
pub struct AbResult {
    pub names: Vec<&'static str>,
    /// Per arm: every round's latencies pooled.
    pub pooled: Vec<Pct>,
    /// Per round, per arm.
    pub rounds: Vec<Vec<Pct>>,
    /// Calls made per arm, the unmeasured ones before each round included.
    pub calls_made: usize,
}

impl AbResult {
    /// Arm `i`'s p50 over arm 0's (the floor), round by round.
    pub fn ratios(&self, i: usize) -> Vec<f64> {
        self.rounds
            .iter()
            .map(|r| r[i].p50 as f64 / r[0].p50 as f64)
            .collect()
    }

    /// `p50(a) - p50(b)` in µs, round by round.
    pub fn gaps_us(&self, a: usize, b: usize) -> Vec<f64> {
        self.rounds
            .iter()
            .map(|r| (r[a].p50 as f64 - r[b].p50 as f64) / 1000.0)
            .collect()
    }

    /// Prints one line per arm: pooled p50/p99, and the ratio to the floor as min / median
    /// / max over the rounds.
    pub fn print(&self, title: &str) {
        println!(
            "{:<52} {:>8} {:>8}   p50 / floor per round: min  median  max",
            title, "p50 µs", "p99 µs"
        );
        for (i, name) in self.names.iter().enumerate() {
            let s = Spread::of(&self.ratios(i));
            println!(
                "{:<52} {:>8.1} {:>8.1}   {:>22.2}x {:>6.2}x {:>5.2}x",
                name,
                self.pooled[i].p50 as f64 / 1000.0,
                self.pooled[i].p99 as f64 / 1000.0,
                s.min,
                s.median,
                s.max
            );
        }
    }
}

/// min / median / max of a few figures.
#[derive(Clone, Copy, Debug)]
pub struct Spread {
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

impl Spread {
    pub fn of(values: &[f64]) -> Spread {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Spread {
            min: v[0],
            median: v[v.len() / 2],
            max: v[v.len() - 1],
        }
    }
}

/// A small xorshift generator: the order of the blocks needs no more than this, and a
/// fixed seed makes a run's schedule the same every time.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Runs `rounds` rounds of `calls` calls per arm, in blocks of `block` calls; before each
/// cycle of blocks the arms' order is shuffled (`shuffle`), or kept as given (the old
/// design, kept to show its skew). `make` builds the arms for each round: arms that build
/// their clients there get new connections every round.
///
/// Why new connections: on a 2-core machine the emulator serves each connection on its own
/// thread, and whether that thread and the client's share a core tends to stick for as
/// long as the connection lives; the two placements differ by tens of µs. One connection
/// per client for a whole run can leave one client in the slow placement and another in
/// the fast one, a skew no interleaving removes; new connections each round draw the
/// placement again, and the median over the rounds is then fair.
pub fn run<'a>(
    make: &mut dyn FnMut() -> Vec<Arm<'a>>,
    rounds: usize,
    calls: usize,
    block: usize,
    shuffle: bool,
) -> AbResult {
    let mut rng = Rng::new(0x005e_edab);
    let mut names = Vec::new();
    let mut pooled: Vec<Vec<u64>> = Vec::new();
    let mut per_round = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let mut arms = make();
        if names.is_empty() {
            names = arms.iter().map(|a| a.name).collect();
            pooled = arms.iter().map(|_| Vec::new()).collect();
        }
        // A few calls each before the clock: new connections, woken workers.
        for arm in arms.iter_mut() {
            for _ in 0..block {
                (arm.call)();
            }
        }
        let mut order: Vec<usize> = (0..arms.len()).collect();
        let mut ns: Vec<Vec<u64>> = arms.iter().map(|_| Vec::with_capacity(calls)).collect();
        for _ in 0..calls.div_ceil(block) {
            if shuffle {
                rng.shuffle(&mut order);
            }
            for &i in &order {
                for _ in 0..block {
                    ns[i].push((arms[i].call)());
                }
            }
        }
        per_round.push(ns.iter_mut().map(|v| Pct::of(v)).collect());
        for (all, v) in pooled.iter_mut().zip(ns) {
            all.extend(v);
        }
    }
    AbResult {
        names,
        pooled: pooled.iter_mut().map(|v| Pct::of(v)).collect(),
        rounds: per_round,
        calls_made: rounds * (block + calls.div_ceil(block) * block),
    }
}

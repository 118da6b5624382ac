//! Property-style tests: thousands of seeded mutations of valid primaries and logs (random
//! truncation, bit flips, absurd field values with hashes and checksums made valid again)
//! must never panic, and a recovered hive must never be larger than the inputs together, nor
//! take more bytes from the logs than they hold.

use crate::hive::base_block::{HEADER_SIZE, seal, write_u32};

use super::testing::{entry, new_log, old_log, page, primary, rehash};
use super::{LogInput, Recovery, recover};

const HBINS: u32 = 16384;
const CASES: u64 = 3000;

/// A small xorshift generator, so failures reproduce from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

const ABSURD: [u32; 6] = [0, 1, 0x1FF, 0x8000_0000, 0xFFFF_F000, u32::MAX];

/// Applies one random kind of damage to `bytes`.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    match rng.below(5) {
        0 => bytes.truncate(rng.below(bytes.len() + 1)),
        1 => {
            for _ in 0..=rng.below(16) {
                let at = rng.below(bytes.len());
                if let Some(byte) = bytes.get_mut(at) {
                    *byte ^= 1 << rng.below(8);
                }
            }
        }
        2 | 3 => {
            let at = rng.below(bytes.len() / 4) * 4;
            if at + 4 <= bytes.len() {
                write_u32(bytes, at, ABSURD[rng.below(ABSURD.len())]);
            }
        }
        _ => bytes.extend((0..rng.below(4096)).map(|_| rng.next() as u8)),
    }
    if bytes.len() >= HEADER_SIZE && rng.below(2) == 0 {
        seal(bytes);
    }
}

/// Entries whose fields get absurd values after hashing, then are hashed again so that the
/// checks behind the hash check are reached.
fn hostile_entry(rng: &mut Rng, sequence: u32) -> Vec<u8> {
    let mut bytes = entry(sequence, HBINS, &[(0, page(512, 1)), (4096, page(4096, 2))]);
    let field = [4, 16, 20, 40, 44, 48, 52][rng.below(7)];
    write_u32(&mut bytes, field, ABSURD[rng.below(ABSURD.len())]);
    rehash(&mut bytes);
    bytes
}

fn inputs(rng: &mut Rng) -> (Vec<u8>, Vec<Vec<u8>>) {
    let hive = primary(3, 2, HBINS);
    let first = vec![
        entry(2, HBINS, &[(0, page(4096, 3))]),
        hostile_entry(rng, 3),
    ];
    let second = vec![entry(4, HBINS + 4096, &[(HBINS, page(4096, 4))])];
    let logs = match rng.below(3) {
        0 => vec![new_log(2, HBINS, &first), new_log(4, HBINS, &second)],
        1 => vec![old_log(3, 0, HBINS, &[(0, 5), (31, 6)])],
        _ => vec![new_log(2, HBINS, &first), old_log(3, 0, HBINS, &[(1, 7)])],
    };
    (hive, logs)
}

#[test]
fn damaged_inputs_never_panic_nor_grow_beyond_the_inputs() {
    let mut recovered = 0;
    for seed in 1..=CASES {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let (mut hive, mut logs) = inputs(&mut rng);
        for _ in 0..=rng.below(3) {
            let target = rng.below(logs.len() + 1);
            mutate(&mut rng, logs.get_mut(target).unwrap_or(&mut hive));
        }
        let names = ["h.LOG1", "h.LOG2", "h.LOG"];
        let offered: Vec<LogInput<'_>> = logs
            .iter()
            .zip(names)
            .map(|(bytes, name)| LogInput { name, bytes })
            .collect();
        let total: usize = hive.len() + logs.iter().map(Vec::len).sum::<usize>();
        let recovery = recover(&hive, &offered);
        assert!(!recovery.describe().is_empty());
        if let Recovery::Recovered(plan) = recovery {
            recovered += 1;
            assert!(
                plan.new_size <= total,
                "seed {seed}: {} > {total}",
                plan.new_size
            );
            assert!(plan.bytes_patched() <= total - hive.len(), "seed {seed}");
            assert_eq!(plan.apply(&hive).len(), plan.new_size, "seed {seed}");
        }
    }
    // Both paths must be exercised, or the mutations are too weak or too strong.
    assert!(
        recovered > CASES / 10 && recovered < CASES,
        "{recovered} recovered"
    );
}

//! Seeded damage for hives: the kinds of harm collected evidence suffers (bit rot, truncated
//! copies, words overwritten with values parsers trip on, carved tails), reproducible from a
//! seed so a failure can be replayed.

use crate::hive::base_block::{HEADER_SIZE, seal, write_u32};

/// Words that break parsers when they land on a cell offset, size or count.
pub const INTERESTING_WORDS: [u32; 8] = [
    0,
    1,
    0x20,
    0x1000,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFF8,
    u32::MAX,
];

/// A small xorshift generator: the same seed gives the same damage on every machine.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any value, zero included).
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound.max(1) as u64) as usize
    }
}

/// One kind of damage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Damage {
    /// A few bits flipped anywhere.
    BitFlips,
    /// Cut at a random length.
    Truncated,
    /// Aligned words (cell offsets, sizes, counts) overwritten with [`INTERESTING_WORDS`].
    InterestingWords,
    /// Random bytes appended or written over the end.
    RandomTail,
}

impl Damage {
    /// Every kind, in a fixed order.
    pub const ALL: [Damage; 4] = [
        Damage::BitFlips,
        Damage::Truncated,
        Damage::InterestingWords,
        Damage::RandomTail,
    ];

    /// A short name for file names and messages.
    pub fn label(self) -> &'static str {
        match self {
            Damage::BitFlips => "bitflip",
            Damage::Truncated => "truncated",
            Damage::InterestingWords => "words",
            Damage::RandomTail => "tail",
        }
    }
}

/// Applies `damage` to `bytes`; with `fix_checksum`, the base-block checksum is made right
/// again afterwards so that the damage gets past header validation.
pub fn apply(rng: &mut Rng, bytes: &mut Vec<u8>, damage: Damage, fix_checksum: bool) {
    match damage {
        Damage::BitFlips => flip_bits(rng, bytes),
        Damage::Truncated => bytes.truncate(rng.below(bytes.len() + 1)),
        Damage::InterestingWords => overwrite_words(rng, bytes),
        Damage::RandomTail => random_tail(rng, bytes),
    }
    if fix_checksum && bytes.len() >= HEADER_SIZE {
        seal(bytes);
    }
}

fn flip_bits(rng: &mut Rng, bytes: &mut [u8]) {
    for _ in 0..=rng.below(16) {
        let at = rng.below(bytes.len());
        if let Some(byte) = bytes.get_mut(at) {
            *byte ^= 1 << rng.below(8);
        }
    }
}

fn overwrite_words(rng: &mut Rng, bytes: &mut [u8]) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() / 4) * 4;
        if at + 4 <= bytes.len() {
            let word = INTERESTING_WORDS[rng.below(INTERESTING_WORDS.len())];
            write_u32(bytes, at, word);
        }
    }
}

fn random_tail(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let keep = bytes.len() - rng.below(bytes.len() / 2 + 1);
    bytes.truncate(keep);
    let extra = rng.below(8192) + 1;
    bytes.extend((0..extra).map(|_| rng.next_u64() as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damage_is_reproducible_and_changes_the_bytes() {
        let original: Vec<u8> = (0..8192u32).map(|i| (i % 251) as u8).collect();
        for damage in Damage::ALL {
            let run = |seed| {
                let mut bytes = original.clone();
                apply(&mut Rng::new(seed), &mut bytes, damage, false);
                bytes
            };
            assert_eq!(run(7), run(7), "{}", damage.label());
            assert!((1..50).any(|seed| run(seed) != original), "{damage:?}");
        }
    }
}

//! Marvin32, the 64-bit keyed hash that protects every new-format (HvLE) log entry.
//!
//! The state is two 32-bit words initialised from the seed; each little-endian 32-bit word of
//! input is added to the low word and mixed in; the last 0 to 3 bytes are padded with a 0x80
//! marker byte, and a final zero word is mixed in. The result is `high << 32 | low`.

/// The seed Windows uses for log entries (bytes `82 EF 4D 88 7A 4E 55 C5`).
pub const LOG_ENTRY_SEED: u64 = 0x82EF_4D88_7A4E_55C5;

/// The Marvin32 hash of `data` under `seed`.
pub fn marvin32(seed: u64, data: &[u8]) -> u64 {
    State::new(seed).finish(data)
}

/// The Marvin32 hash of every input under one seed, equal to [`marvin32`] of each.
///
/// Each hash is a serial chain of dependent operations, so one stream leaves most of the
/// processor idle. Two lanes therefore run side by side, word by word; a lane that finishes its
/// input takes the next one, so that inputs of unequal lengths keep both lanes busy.
pub fn marvin32_all(seed: u64, inputs: &[&[u8]]) -> Vec<u64> {
    let mut hashes = vec![0; inputs.len()];
    let mut pending = inputs.iter().enumerate();
    let mut take = || {
        pending
            .next()
            .map(|(index, &data)| Lane::new(seed, index, data))
    };
    let (mut first, mut second) = (take(), take());
    while let (Some(a), Some(b)) = (&mut first, &mut second) {
        mix_side_by_side(a, b);
        for lane in [&mut first, &mut second] {
            if lane.as_ref().is_some_and(|lane| lane.rest.len() < 4) {
                let done = lane.take().expect("checked above");
                hashes[done.index] = done.state.finish(done.rest);
                *lane = take();
            }
        }
    }
    if let Some(last) = first.or(second) {
        hashes[last.index] = last.state.finish(last.rest);
    }
    hashes
}

/// One input being hashed: its position, the state so far and the bytes not yet mixed in.
struct Lane<'a> {
    index: usize,
    state: State,
    rest: &'a [u8],
}

impl<'a> Lane<'a> {
    fn new(seed: u64, index: usize, data: &'a [u8]) -> Self {
        Lane {
            index,
            state: State::new(seed),
            rest: data,
        }
    }
}

/// Mixes the words both lanes have left in common into their states, alternately.
fn mix_side_by_side(a: &mut Lane<'_>, b: &mut Lane<'_>) {
    let common = a.rest.len().min(b.rest.len()) & !3;
    let (words_a, rest_a) = a.rest.split_at(common);
    let (words_b, rest_b) = b.rest.split_at(common);
    for (word_a, word_b) in words_a.chunks_exact(4).zip(words_b.chunks_exact(4)) {
        a.state.mix(word(word_a));
        b.state.mix(word(word_b));
    }
    (a.rest, b.rest) = (rest_a, rest_b);
}

/// The little-endian 32-bit word in `bytes` (exactly 4 bytes).
#[inline(always)]
fn word(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// The two 32-bit words of a Marvin32 computation.
#[derive(Clone, Copy)]
struct State {
    low: u32,
    high: u32,
}

impl State {
    fn new(seed: u64) -> Self {
        State {
            low: seed as u32,
            high: (seed >> 32) as u32,
        }
    }

    /// Mixes in every word of `data`, then its 0 to 3 last bytes padded with 0x80, then a
    /// zero word, and returns the hash.
    fn finish(mut self, data: &[u8]) -> u64 {
        let mut words = data.chunks_exact(4);
        for bytes in &mut words {
            self.mix(word(bytes));
        }
        let tail = words
            .remainder()
            .iter()
            .rev()
            .fold(0x80u32, |acc, &byte| (acc << 8) | u32::from(byte));
        self.mix(tail);
        self.mix(0);
        (u64::from(self.high) << 32) | u64::from(self.low)
    }

    /// One Marvin32 round: `value` enters the low word, then the words are stirred together.
    #[inline(always)]
    fn mix(&mut self, value: u32) {
        let (mut low, mut high) = (self.low, self.high);
        low = low.wrapping_add(value);
        high ^= low;
        low = low.rotate_left(20).wrapping_add(high);
        high = high.rotate_left(9) ^ low;
        low = low.rotate_left(27).wrapping_add(high);
        high = high.rotate_left(19);
        (self.low, self.high) = (low, high);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seeds of the published .NET runtime test vectors (System.Marvin tests).
    const SEED_1: u64 = 0x004F_B61A_001B_DBCC;
    const SEED_2: u64 = 0x804F_B61A_001B_DBCC;
    const SEED_3: u64 = 0x804F_B61A_801B_DBCC;

    fn bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn matches_published_vectors_for_every_tail_length() {
        let inputs = [
            "",
            "af",
            "e70f",
            "37f495",
            "8642dc59",
            "153fb79826",
            "0932e6246c47",
            "ab427ea8d10fc7",
        ];
        let seed_1 = [
            0x30ED_35C1_00CD_3C7D,
            0x48E7_3FC7_7D75_DDC1,
            0xB5F6_E1FC_485D_BFF8,
            0xF0B0_7C78_9B8C_F7E8,
            0x7008_F2E8_7E9C_F556,
            0xE6C0_8C6D_A2AF_A997,
            0x6F04_BF1A_5EA2_4060,
            0xE118_47E4_F067_8C41,
        ];
        let seed_2 = [
            0x10A9_D5D3_996F_D65D,
            0x6820_1F91_960E_BF91,
            0x64B5_8163_1F6A_B378,
            0xE1F2_DFA6_E513_1408,
            0x3628_9D96_54FB_49F6,
            0x0A06_114B_1346_4DBD,
            0xD6DD_5E40_AD1B_C2ED,
            0xE203_987D_BA25_2FB3,
        ];
        for (i, input) in inputs.iter().enumerate() {
            assert_eq!(
                marvin32(SEED_1, &bytes(input)),
                seed_1[i],
                "seed 1, {input:?}"
            );
            assert_eq!(
                marvin32(SEED_2, &bytes(input)),
                seed_2[i],
                "seed 2, {input:?}"
            );
        }
    }

    #[test]
    fn matches_published_vectors_with_high_bits_set() {
        let cases = [
            ("00", 0xA37F_B0DA_2ECA_E06C),
            ("FF", 0xFECE_F370_701A_E054),
            ("00FF", 0xA638_E757_0004_8880),
            ("FF00FF", 0x9D85_77C0_FE0D_30BF),
            ("00FF00FF", 0x24EA_A279_D9A5_29CA),
            ("FF00FF00FF", 0x920B_62BB_CA3E_0B72),
            ("00FF00FF00FF", 0xEC21_276A_17E8_21A5),
            ("FF00FF00FF00FF", 0xFDFD_187B_1D3C_E784),
        ];
        for (input, expected) in cases {
            assert_eq!(marvin32(SEED_3, &bytes(input)), expected, "{input}");
        }
    }

    /// Pseudo-random bytes (xorshift), reproducible from `seed`.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn two_lanes_equal_single_streams_for_any_lengths() {
        let data = noise(7, 8192);
        let mut rng = 12345u64;
        let mut below = |n: u64| {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((rng >> 33) % n) as usize
        };
        for _ in 0..500 {
            let count = below(9);
            let inputs: Vec<&[u8]> = (0..count)
                .map(|_| {
                    let start = below(4096);
                    &data[start..start + below(3000)]
                })
                .collect();
            let single: Vec<u64> = inputs
                .iter()
                .map(|input| marvin32(LOG_ENTRY_SEED, input))
                .collect();
            assert_eq!(marvin32_all(LOG_ENTRY_SEED, &inputs), single);
        }
    }

    /// Throughput check, run on demand: `cargo test --release -- --ignored marvin`.
    #[test]
    #[ignore]
    fn marvin_throughput() {
        let data = noise(1, 64 << 20);
        let gb_per_s = |seconds: f64| data.len() as f64 / seconds / 1e9;
        let start = std::time::Instant::now();
        let hash = marvin32(LOG_ENTRY_SEED, &data);
        let single = gb_per_s(start.elapsed().as_secs_f64());
        let entries: Vec<&[u8]> = data.chunks(64 << 10).collect();
        let start = std::time::Instant::now();
        let hashes = marvin32_all(LOG_ENTRY_SEED, &entries);
        let lanes = gb_per_s(start.elapsed().as_secs_f64());
        println!(
            "marvin32: {single:.2} GB/s one stream, {lanes:.2} GB/s on two lanes ({hash:x} {:x})",
            hashes[0]
        );
    }
}

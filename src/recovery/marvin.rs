//! Marvin32, the 64-bit keyed hash that protects every new-format (HvLE) log entry.
//!
//! The state is two 32-bit words initialised from the seed; each little-endian 32-bit word of
//! input is added to the low word and mixed in; the last 0 to 3 bytes are padded with a 0x80
//! marker byte, and a final zero word is mixed in. The result is `high << 32 | low`.
//!
//! Each round depends on the one before, so one input keeps a processor core mostly waiting,
//! but the entries of a log are independent. [`marvin32_all`] therefore hashes many at once:
//! on x86-64 with AVX-512 or AVX2 (detected at run time), 16 lanes, each a 32-bit element
//! of a vector (one 512-bit vector, or two 256-bit ones so that their rounds overlap), run one
//! round for all 16 inputs per step. Each lane loads 64 bytes of its input at a time; the 16
//! loads are transposed so that vector `w` holds word `w` of every lane. Lanes run for as
//! many whole 64-byte blocks as the shortest input has left; then a lane with less than a
//! block left finishes its input with scalar code (at most 15 words, the tail and the zero
//! word) and takes the next input. Inputs are taken longest first, so that the lanes tend to
//! run dry together; a lane with nothing left to take repeats another's bytes, its result
//! unused; once fewer than half the lanes are busy, scalar code finishes the last inputs.
//! Elsewhere (or when neither extension is there), two scalar lanes run side by side.

/// The seed Windows uses for log entries (bytes `82 EF 4D 88 7A 4E 55 C5`).
pub const LOG_ENTRY_SEED: u64 = 0x82EF_4D88_7A4E_55C5;

/// The Marvin32 hash of `data` under `seed`.
pub fn marvin32(seed: u64, data: &[u8]) -> u64 {
    State::new(seed).finish(data)
}

/// The Marvin32 hash of every input under one seed, equal to [`marvin32`] of each.
pub fn marvin32_all(seed: u64, inputs: &[&[u8]]) -> Vec<u64> {
    match vector_kernel() {
        Some(kernel) => vector_lanes(seed, inputs, kernel),
        None => two_lanes(seed, inputs),
    }
}

/// Inputs hashed at once on vector lanes.
const LANES: usize = 16;

/// Bytes a vector lane takes from its input at a time: sixteen 32-bit words.
const BLOCK: usize = 64;

/// Below this many inputs in progress, two scalar lanes are faster than vector lanes that
/// mostly repeat other lanes' bytes.
const MIN_BUSY_LANES: usize = LANES / 2;

/// Mixes the first `blocks` blocks of `inputs[i]` into lane `i`'s state words `low[i]` and
/// `high[i]`, for every lane.
type Kernel = fn(&mut [u32; LANES], &mut [u32; LANES], &[&[u8]; LANES], usize);

/// The fastest vector kernel this processor runs.
#[cfg(target_arch = "x86_64")]
fn vector_kernel() -> Option<Kernel> {
    avx512::kernel().or_else(avx2::kernel)
}

/// No vector kernel outside x86-64.
#[cfg(not(target_arch = "x86_64"))]
fn vector_kernel() -> Option<Kernel> {
    None
}

/// [`marvin32_all`] on [`LANES`] vector lanes, with `kernel` doing the rounds: lanes take the
/// inputs longest first; a lane with less than a block left finishes its input with scalar
/// code and takes the next; scalar code finishes the last inputs once most lanes are idle.
fn vector_lanes(
    seed: u64,
    inputs: &[&[u8]],
    mut kernel: impl FnMut(&mut [u32; LANES], &mut [u32; LANES], &[&[u8]; LANES], usize),
) -> Vec<u64> {
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(inputs[index].len()));
    let mut pending = order
        .into_iter()
        .map(|index| Lane::new(seed, index, inputs[index]));
    let mut slots: [Option<Lane<'_>>; LANES] = std::array::from_fn(|_| pending.next());
    let mut hashes = vec![0; inputs.len()];
    loop {
        for slot in &mut slots {
            while let Some(done) = slot.take_if(|lane| lane.rest.len() < BLOCK) {
                hashes[done.index] = done.state.finish(done.rest);
                *slot = pending.next();
            }
        }
        if slots.iter().flatten().count() < MIN_BUSY_LANES {
            // Every input has been taken (a lane is idle); scalar code finishes the few left.
            finish_on_two_lanes(slots.into_iter().flatten(), &mut hashes);
            return hashes;
        }
        mix_common_blocks(&mut slots, &mut kernel);
    }
}

/// Runs `kernel` over as many whole blocks as the shortest busy lane has left; an idle lane
/// repeats that lane's bytes into a state that is thrown away.
fn mix_common_blocks(
    slots: &mut [Option<Lane<'_>>; LANES],
    kernel: &mut impl FnMut(&mut [u32; LANES], &mut [u32; LANES], &[&[u8]; LANES], usize),
) {
    let shortest = slots.iter().flatten().min_by_key(|lane| lane.rest.len());
    let filler = shortest.expect("a lane is busy").rest;
    let blocks = filler.len() / BLOCK;
    let rests = slots
        .each_ref()
        .map(|slot| slot.as_ref().map_or(filler, |lane| lane.rest));
    let states = slots
        .each_ref()
        .map(|slot| slot.as_ref().map_or(State::new(0), |lane| lane.state));
    let (mut low, mut high) = (
        states.map(|state| state.low),
        states.map(|state| state.high),
    );
    kernel(&mut low, &mut high, &rests, blocks);
    for (i, slot) in slots.iter_mut().enumerate() {
        if let Some(lane) = slot {
            lane.state = State {
                low: low[i],
                high: high[i],
            };
            lane.rest = &lane.rest[blocks * BLOCK..];
        }
    }
}

/// [`marvin32_all`] on two scalar lanes.
fn two_lanes(seed: u64, inputs: &[&[u8]]) -> Vec<u64> {
    let mut hashes = vec![0; inputs.len()];
    let lanes = inputs.iter().enumerate();
    finish_on_two_lanes(
        lanes.map(|(index, &data)| Lane::new(seed, index, data)),
        &mut hashes,
    );
    hashes
}

/// Finishes every lane on two scalar lanes side by side, word by word, and stores each hash at
/// its index; a lane that finishes takes the next one, so that inputs of unequal lengths keep
/// both busy.
fn finish_on_two_lanes<'a>(mut pending: impl Iterator<Item = Lane<'a>>, hashes: &mut [u64]) {
    let (mut first, mut second) = (pending.next(), pending.next());
    while let (Some(a), Some(b)) = (&mut first, &mut second) {
        mix_side_by_side(a, b);
        for lane in [&mut first, &mut second] {
            if lane.as_ref().is_some_and(|lane| lane.rest.len() < 4) {
                let done = lane.take().expect("checked above");
                hashes[done.index] = done.state.finish(done.rest);
                *lane = pending.next();
            }
        }
    }
    if let Some(last) = first.or(second) {
        hashes[last.index] = last.state.finish(last.rest);
    }
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

/// One Marvin32 round, written once for scalars and vectors alike: `value` enters the `low`
/// word, then the words are stirred together. `add`, `xor` and `rotl::<BITS>` are the 32-bit
/// operations of the scope the macro is used in.
macro_rules! round {
    ($low:expr, $high:expr, $value:expr) => {{
        let (mut low, mut high) = ($low, $high);
        low = add(low, $value);
        high = xor(high, low);
        low = add(rotl::<20>(low), high);
        high = xor(rotl::<9>(high), low);
        low = add(rotl::<27>(low), high);
        high = rotl::<19>(high);
        ($low, $high) = (low, high);
    }};
}

#[inline(always)]
fn add(a: u32, b: u32) -> u32 {
    a.wrapping_add(b)
}

#[inline(always)]
fn xor(a: u32, b: u32) -> u32 {
    a ^ b
}

#[inline(always)]
fn rotl<const BITS: u32>(a: u32) -> u32 {
    a.rotate_left(BITS)
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

    /// One Marvin32 round.
    #[inline(always)]
    fn mix(&mut self, value: u32) {
        round!(self.low, self.high, value);
    }
}

/// The vector kernel for AVX-512: the 16 lanes are the elements of one 512-bit vector.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx512 {
    use std::arch::x86_64::*;

    use super::{BLOCK, Kernel, LANES};

    /// The kernel, where the processor has AVX-512F.
    pub(super) fn kernel() -> Option<Kernel> {
        is_x86_feature_detected!("avx512f").then_some(|low, high, inputs, blocks| {
            // SAFETY: this function exists only once AVX-512F has been detected, just above.
            unsafe { mix_blocks(low, high, inputs, blocks) }
        })
    }

    /// See [`Kernel`]. Panics if an input is shorter than `blocks` blocks.
    #[target_feature(enable = "avx512f")]
    fn mix_blocks(
        low: &mut [u32; LANES],
        high: &mut [u32; LANES],
        inputs: &[&[u8]; LANES],
        blocks: usize,
    ) {
        let inputs = inputs.map(|input| &input[..blocks * BLOCK]);
        let (mut l, mut h) = (load_words(low), load_words(high));
        for block in 0..blocks {
            let mut rows = [_mm512_setzero_si512(); LANES];
            for (row, input) in rows.iter_mut().zip(inputs) {
                *row = load(&input[block * BLOCK..][..BLOCK]);
            }
            for words in transpose(rows) {
                round!(l, h, words);
            }
        }
        store_words(low, l);
        store_words(high, h);
    }

    /// The first 64 bytes of `bytes`. Panics if there are fewer.
    #[target_feature(enable = "avx512f")]
    #[inline]
    fn load(bytes: &[u8]) -> __m512i {
        let bytes = &bytes[..64];
        // SAFETY: `bytes` is 64 bytes long, and the load has no alignment requirement.
        unsafe { _mm512_loadu_si512(bytes.as_ptr().cast()) }
    }

    #[target_feature(enable = "avx512f")]
    fn load_words(words: &[u32; 16]) -> __m512i {
        // SAFETY: `words` is 64 bytes long, and the load has no alignment requirement.
        unsafe { _mm512_loadu_si512(words.as_ptr().cast()) }
    }

    #[target_feature(enable = "avx512f")]
    fn store_words(words: &mut [u32; 16], vector: __m512i) {
        // SAFETY: `words` is 64 bytes long, and the store has no alignment requirement.
        unsafe { _mm512_storeu_si512(words.as_mut_ptr().cast(), vector) }
    }

    #[target_feature(enable = "avx512f")]
    #[inline]
    fn add(a: __m512i, b: __m512i) -> __m512i {
        _mm512_add_epi32(a, b)
    }

    #[target_feature(enable = "avx512f")]
    #[inline]
    fn xor(a: __m512i, b: __m512i) -> __m512i {
        _mm512_xor_si512(a, b)
    }

    #[target_feature(enable = "avx512f")]
    #[inline]
    fn rotl<const BITS: i32>(a: __m512i) -> __m512i {
        _mm512_rol_epi32::<BITS>(a)
    }

    /// Turns 16 rows of 16 words into 16 columns: column `w` holds word `w` of every row, in
    /// row order.
    #[target_feature(enable = "avx512f")]
    #[inline]
    fn transpose(rows: [__m512i; 16]) -> [__m512i; 16] {
        // Interleave words of rows 2k and 2k+1, then pairs of rows 4g..4g+3: in quad[4g + j],
        // 128-bit quarter q holds word 4q + j of rows 4g..4g+3.
        let mut pairs = rows;
        for k in (0..16).step_by(2) {
            pairs[k] = _mm512_unpacklo_epi32(rows[k], rows[k + 1]);
            pairs[k + 1] = _mm512_unpackhi_epi32(rows[k], rows[k + 1]);
        }
        let mut quad = pairs;
        for g in (0..16).step_by(4) {
            for j in 0..2 {
                let (a, b) = (pairs[g + j], pairs[g + j + 2]);
                quad[g + 2 * j] = _mm512_unpacklo_epi64(a, b);
                quad[g + 2 * j + 1] = _mm512_unpackhi_epi64(a, b);
            }
        }
        // Then gather quarters: column 4q + j is quarter q of quad[j], quad[4 + j], ...
        let mut columns = quad;
        for j in 0..4 {
            let front = _mm512_shuffle_i32x4::<0x44>(quad[j], quad[4 + j]);
            let back = _mm512_shuffle_i32x4::<0xEE>(quad[j], quad[4 + j]);
            let front_2 = _mm512_shuffle_i32x4::<0x44>(quad[8 + j], quad[12 + j]);
            let back_2 = _mm512_shuffle_i32x4::<0xEE>(quad[8 + j], quad[12 + j]);
            columns[j] = _mm512_shuffle_i32x4::<0x88>(front, front_2);
            columns[4 + j] = _mm512_shuffle_i32x4::<0xDD>(front, front_2);
            columns[8 + j] = _mm512_shuffle_i32x4::<0x88>(back, back_2);
            columns[12 + j] = _mm512_shuffle_i32x4::<0xDD>(back, back_2);
        }
        columns
    }
}

/// The vector kernel for AVX2: the 16 lanes are the elements of two 256-bit vectors, whose
/// rounds interleave (one vector's chain of rounds alone would leave the processor idle).
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{BLOCK, Kernel, LANES};

    /// Bytes each lane loads at a time: half a block.
    const STEP: usize = 32;

    /// The kernel, where the processor has AVX2.
    pub(super) fn kernel() -> Option<Kernel> {
        is_x86_feature_detected!("avx2").then_some(|low, high, inputs, blocks| {
            // SAFETY: this function exists only once AVX2 has been detected, just above.
            unsafe { mix_blocks(low, high, inputs, blocks) }
        })
    }

    /// See [`Kernel`]. Panics if an input is shorter than `blocks` blocks.
    #[target_feature(enable = "avx2")]
    fn mix_blocks(
        low: &mut [u32; LANES],
        high: &mut [u32; LANES],
        inputs: &[&[u8]; LANES],
        blocks: usize,
    ) {
        let inputs = inputs.map(|input| &input[..blocks * BLOCK]);
        let mut l = [load(&low[..8]), load(&low[8..])];
        let mut h = [load(&high[..8]), load(&high[8..])];
        for step in 0..blocks * (BLOCK / STEP) {
            let mut rows = [[_mm256_setzero_si256(); 8]; 2];
            for (lane, input) in inputs.iter().enumerate() {
                rows[lane / 8][lane % 8] = load(&input[step * STEP..][..STEP]);
            }
            for (first, second) in transpose(rows[0]).into_iter().zip(transpose(rows[1])) {
                round!(l[0], h[0], first);
                round!(l[1], h[1], second);
            }
        }
        for half in 0..2 {
            store(&mut low[8 * half..][..8], l[half]);
            store(&mut high[8 * half..][..8], h[half]);
        }
    }

    /// The first 32 bytes of `data` (bytes or words). Panics if there are fewer.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn load<T>(data: &[T]) -> __m256i {
        assert!(size_of_val(data) >= 32);
        // SAFETY: `data` holds at least 32 bytes, and the load has no alignment requirement.
        unsafe { _mm256_loadu_si256(data.as_ptr().cast()) }
    }

    /// Stores `vector` into the 8 `words`.
    #[target_feature(enable = "avx2")]
    fn store(words: &mut [u32], vector: __m256i) {
        assert_eq!(words.len(), 8);
        // SAFETY: `words` is 32 bytes long, and the store has no alignment requirement.
        unsafe { _mm256_storeu_si256(words.as_mut_ptr().cast(), vector) }
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    fn add(a: __m256i, b: __m256i) -> __m256i {
        _mm256_add_epi32(a, b)
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    fn xor(a: __m256i, b: __m256i) -> __m256i {
        _mm256_xor_si256(a, b)
    }

    /// AVX2 has no rotation: two shifts (by constants, once inlined) and an or.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn rotl<const BITS: i32>(a: __m256i) -> __m256i {
        let left = _mm256_sllv_epi32(a, _mm256_set1_epi32(BITS));
        let right = _mm256_srlv_epi32(a, _mm256_set1_epi32(32 - BITS));
        _mm256_or_si256(left, right)
    }

    /// Turns 8 rows of 8 words into 8 columns: column `w` holds word `w` of every row, in row
    /// order.
    #[target_feature(enable = "avx2")]
    #[inline]
    fn transpose(rows: [__m256i; 8]) -> [__m256i; 8] {
        // As for AVX-512: in quad[4g + j], 128-bit half q holds word 4q + j of rows 4g..4g+3.
        let mut pairs = rows;
        for k in (0..8).step_by(2) {
            pairs[k] = _mm256_unpacklo_epi32(rows[k], rows[k + 1]);
            pairs[k + 1] = _mm256_unpackhi_epi32(rows[k], rows[k + 1]);
        }
        let mut quad = pairs;
        for g in (0..8).step_by(4) {
            for j in 0..2 {
                let (a, b) = (pairs[g + j], pairs[g + j + 2]);
                quad[g + 2 * j] = _mm256_unpacklo_epi64(a, b);
                quad[g + 2 * j + 1] = _mm256_unpackhi_epi64(a, b);
            }
        }
        let mut columns = quad;
        for j in 0..4 {
            columns[j] = _mm256_permute2x128_si256::<0x20>(quad[j], quad[4 + j]);
            columns[4 + j] = _mm256_permute2x128_si256::<0x31>(quad[j], quad[4 + j]);
        }
        columns
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

    /// `sets` random input sets, slices of `data`: 0 to 40 inputs each, mostly 0 to 300 bytes
    /// long (every residue modulo 4 and 64), one in five up to 3000 bytes, one in twenty from
    /// 4 KiB to 64 KiB.
    fn input_sets(data: &[u8], sets: usize) -> Vec<Vec<&[u8]>> {
        let mut rng = 12345u64;
        let mut below = move |n: usize| {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (rng >> 33) as usize % n
        };
        (0..sets)
            .map(|_| {
                (0..below(41))
                    .map(|_| {
                        let len = match below(20) {
                            0 => (4 << 10) + below(60 << 10),
                            1..5 => below(3000),
                            _ => below(301),
                        };
                        let start = below(data.len() - len + 1);
                        &data[start..start + len]
                    })
                    .collect()
            })
            .collect()
    }

    fn one_by_one(inputs: &[&[u8]]) -> Vec<u64> {
        let hash = |input: &&[u8]| marvin32(LOG_ENTRY_SEED, input);
        inputs.iter().map(hash).collect()
    }

    #[test]
    fn two_lanes_equal_single_streams_for_any_lengths() {
        let data = noise(7, 128 << 10);
        for inputs in input_sets(&data, 300) {
            assert_eq!(two_lanes(LOG_ENTRY_SEED, &inputs), one_by_one(&inputs));
        }
    }

    /// The vector kernels this processor runs, by name; tells which ones it lacks.
    fn vector_kernels() -> Vec<(&'static str, Kernel)> {
        #[cfg(target_arch = "x86_64")]
        let kernels = [("AVX-512", avx512::kernel()), ("AVX2", avx2::kernel())];
        #[cfg(not(target_arch = "x86_64"))]
        let kernels: [(&str, Option<Kernel>); 0] = [];
        let runnable: Vec<_> = kernels
            .into_iter()
            .filter_map(|(name, kernel)| {
                if kernel.is_none() {
                    eprintln!("skipped: this processor lacks {name}");
                }
                Some(name).zip(kernel)
            })
            .collect();
        if runnable.is_empty() {
            eprintln!("skipped: no vector kernel on this processor");
        }
        runnable
    }

    #[test]
    fn vector_lanes_equal_single_streams_for_any_lengths() {
        let data = noise(7, 128 << 10);
        let sets = input_sets(&data, 300);
        for (name, kernel) in vector_kernels() {
            let mut blocks_mixed = 0;
            for inputs in &sets {
                let hashes = vector_lanes(LOG_ENTRY_SEED, inputs, |low, high, rests, blocks| {
                    blocks_mixed += blocks;
                    kernel(low, high, rests, blocks)
                });
                let lengths: Vec<usize> = inputs.iter().map(|input| input.len()).collect();
                assert_eq!(hashes, one_by_one(inputs), "{name}, lengths {lengths:?}");
            }
            assert!(
                blocks_mixed > 1_000,
                "{name} mixed only {blocks_mixed} blocks"
            );
        }
    }

    #[test]
    fn marvin32_all_equals_single_streams() {
        let data = noise(3, 128 << 10);
        for inputs in input_sets(&data, 50) {
            assert_eq!(marvin32_all(LOG_ENTRY_SEED, &inputs), one_by_one(&inputs));
        }
    }

    /// Throughput of each way to hash, best of 5 runs over 8 MiB in entries of 4 to 64 KiB;
    /// run on demand: `cargo test --release --lib -- --ignored --nocapture marvin_throughput`.
    #[test]
    #[ignore]
    fn marvin_throughput() {
        let data = noise(1, 8 << 20);
        let mut sizes = (4usize..=64).cycle().map(|kib| kib << 10);
        let mut rest = &data[..];
        let mut entries = Vec::new();
        while !rest.is_empty() {
            let (entry, after) = rest.split_at(sizes.next().unwrap().min(rest.len()));
            entries.push(entry);
            rest = after;
        }
        let expected = one_by_one(&entries);
        let measure = |name: &str, hash: &dyn Fn() -> Vec<u64>| {
            let best = (0..5)
                .map(|_| {
                    let start = std::time::Instant::now();
                    assert_eq!(hash(), expected, "{name}");
                    start.elapsed().as_secs_f64()
                })
                .fold(f64::MAX, f64::min);
            println!(
                "marvin32, {name}: {:.2} GB/s",
                data.len() as f64 / best / 1e9
            );
        };
        measure("one stream", &|| one_by_one(&entries));
        measure("two scalar lanes", &|| two_lanes(LOG_ENTRY_SEED, &entries));
        for (name, kernel) in vector_kernels() {
            measure(name, &|| vector_lanes(LOG_ENTRY_SEED, &entries, kernel));
        }
    }
}

//! Marvin32, the 64-bit keyed hash that protects every new-format (HvLE) log entry.
//!
//! The state is two 32-bit words initialised from the seed; each little-endian 32-bit word of
//! input is added to the low word and mixed in; the last 0 to 3 bytes are padded with a 0x80
//! marker byte, and a final zero word is mixed in. The result is `high << 32 | low`.

/// The seed Windows uses for log entries (bytes `82 EF 4D 88 7A 4E 55 C5`).
pub const LOG_ENTRY_SEED: u64 = 0x82EF_4D88_7A4E_55C5;

/// The Marvin32 hash of `data` under `seed`.
pub fn marvin32(seed: u64, data: &[u8]) -> u64 {
    let mut low = seed as u32;
    let mut high = (seed >> 32) as u32;
    let mut words = data.chunks_exact(4);
    for word in &mut words {
        let value = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
        mix(&mut low, &mut high, value);
    }
    let tail = words
        .remainder()
        .iter()
        .rev()
        .fold(0x80u32, |acc, &byte| (acc << 8) | u32::from(byte));
    mix(&mut low, &mut high, tail);
    mix(&mut low, &mut high, 0);
    (u64::from(high) << 32) | u64::from(low)
}

/// One Marvin32 round: `value` enters the low word, then the words are stirred together.
#[inline(always)]
fn mix(low: &mut u32, high: &mut u32, value: u32) {
    *low = low.wrapping_add(value);
    *high ^= *low;
    *low = low.rotate_left(20).wrapping_add(*high);
    *high = high.rotate_left(9) ^ *low;
    *low = low.rotate_left(27).wrapping_add(*high);
    *high = high.rotate_left(19);
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

    /// Throughput check, run on demand: `cargo test --release -- --ignored marvin`.
    #[test]
    #[ignore]
    fn marvin_throughput() {
        let data = vec![0x5Au8; 64 << 20];
        let start = std::time::Instant::now();
        let hash = marvin32(LOG_ENTRY_SEED, &data);
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "marvin32: {:.2} GB/s ({hash:x})",
            data.len() as f64 / seconds / 1e9
        );
    }
}

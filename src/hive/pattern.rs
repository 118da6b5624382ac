//! Sets of subkey names described character by character, tested against what a subkey list
//! stores of each name (its hash in an `lh` list, its first four characters in an `lf` list),
//! so that the subkeys that may belong to the set are found without reading every key node.

use std::ops::RangeInclusive;

/// The hash an `lh` subkey list stores for an ASCII name: each upper-cased character added to
/// 37 times the running value.
pub fn name_hash(name: &str) -> u32 {
    name.bytes().fold(0u32, |hash, byte| {
        hash.wrapping_mul(37)
            .wrapping_add(u32::from(byte.to_ascii_uppercase()))
    })
}

/// The hint an `lf` subkey list stores for an ASCII name: its first four bytes, zero-padded.
#[cfg(test)]
pub(crate) fn name_hint(name: &str) -> [u8; 4] {
    let mut hint = [0; 4];
    for (slot, byte) in hint.iter_mut().zip(name.bytes()) {
        *slot = byte;
    }
    hint
}

/// A set of names given as shapes: a shape is one range of characters per position. Ranges
/// hold ASCII characters, letters in upper case (names match them in any case), and span at
/// most 37 characters, so that the hash of a name can be taken apart again.
#[derive(Clone, Debug)]
pub struct NamePattern {
    shapes: Vec<Vec<RangeInclusive<u8>>>,
}

impl NamePattern {
    /// The names of all `shapes`.
    pub fn new(shapes: Vec<Vec<RangeInclusive<u8>>>) -> Self {
        assert!(
            shapes
                .iter()
                .flatten()
                .all(|r| r.end().is_ascii() && r.end() - r.start() < 37),
            "ranges must be ASCII and narrower than 37"
        );
        NamePattern { shapes }
    }

    /// Whether a name that an `lh` list stores with `hash` may be in the set.
    pub fn may_hash_to(&self, hash: u32) -> bool {
        self.shapes
            .iter()
            .any(|shape| shape_may_hash_to(shape, hash))
    }

    /// Whether a name that an `lf` list stores with `hint` (its first four characters,
    /// zero-padded) may be in the set: the hint's characters fit a shape, and it ends where a
    /// shorter shape ends.
    pub fn may_start_with(&self, hint: [u8; 4]) -> bool {
        self.shapes.iter().any(|shape| {
            let fits = shape.iter().zip(hint).all(|(range, stored)| {
                stored.is_ascii() && range.contains(&stored.to_ascii_uppercase())
            });
            fits && hint.get(shape.len()).is_none_or(|&after| after == 0)
        })
    }
}

/// Whether a name of `shape` hashes to `hash`.
///
/// Each such name hashes to the hash of the shape's lowest name plus the sum of its
/// characters' offsets above their range's start, each times a power of 37. Offsets are below
/// 37, so they are the base-37 digits of that sum, which is read back from the hash once for
/// each time it may have wrapped past 2^32.
fn shape_may_hash_to(shape: &[RangeInclusive<u8>], hash: u32) -> bool {
    let lowest = shape.iter().fold(0u32, |h, range| {
        h.wrapping_mul(37).wrapping_add(u32::from(*range.start()))
    });
    let highest_sum = shape.iter().fold(0u64, |sum, range| {
        sum.saturating_mul(37)
            .saturating_add(u64::from(range.end() - range.start()))
    });
    let mut sum = u64::from(hash.wrapping_sub(lowest));
    while sum <= highest_sum {
        if offsets_fit(shape, sum) {
            return true;
        }
        sum += 1 << 32;
    }
    false
}

/// Whether the base-37 digits of `sum` are offsets that fit `shape`'s ranges, last character
/// in the lowest digit.
fn offsets_fit(shape: &[RangeInclusive<u8>], mut sum: u64) -> bool {
    for range in shape.iter().rev() {
        if sum % 37 > u64::from(range.end() - range.start()) {
            return false;
        }
        sum /= 37;
    }
    sum == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_that_wrapped_past_32_bits_are_taken_apart() {
        let pattern = NamePattern::new(vec![vec![b'0'..=b'9'; 7]]);
        for name in ["0000000", "1234567", "9999999", "5000001"] {
            let unwrapped = name.bytes().fold(0u64, |h, byte| h * 37 + u64::from(byte));
            assert!(unwrapped > u64::from(u32::MAX), "{name} did not wrap");
            assert!(pattern.may_hash_to(name_hash(name)), "{name}");
        }
        for name in ["123456", "12345678", "123456A", "1234.67"] {
            assert!(!pattern.may_hash_to(name_hash(name)), "{name}");
        }
    }

    #[test]
    fn letters_match_in_any_case() {
        let pattern = NamePattern::new(vec![vec![b'A'..=b'C', b'0'..=b'4']]);
        for name in ["a0", "C4", "b2"] {
            assert!(pattern.may_hash_to(name_hash(name)), "{name}");
            assert!(pattern.may_start_with(name_hint(name)), "{name}");
        }
        for name in ["D0", "a5", "a", "a00"] {
            assert!(!pattern.may_hash_to(name_hash(name)), "{name}");
        }
        assert!(!pattern.may_start_with(name_hint("D0")));
        assert!(!pattern.may_start_with(name_hint("a00")));
    }
}

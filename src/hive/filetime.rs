//! Windows FILETIME (100-nanosecond ticks since 1601-01-01 UTC) as ISO 8601 text.

/// Ticks between 1601-01-01 and 1970-01-01.
const UNIX_EPOCH_TICKS: u64 = 116_444_736_000_000_000;
const TICKS_PER_SECOND: u64 = 10_000_000;

/// Formats a FILETIME as `YYYY-MM-DDTHH:MM:SS.fffffffZ` (UTC, full 100 ns precision).
/// Times before 1970 are formatted too; the date arithmetic is proleptic Gregorian.
pub fn to_iso8601(filetime: u64) -> String {
    Iso8601::new(filetime).as_str().to_string()
}

/// A FILETIME formatted as by [`to_iso8601`] into a buffer of its own, for writers that
/// should not allocate for each of the many timestamps a report holds.
pub struct Iso8601 {
    bytes: [u8; 32],
    len: usize,
}

impl Iso8601 {
    /// Formats `filetime`.
    pub fn new(filetime: u64) -> Self {
        let seconds = filetime / TICKS_PER_SECOND;
        let fraction = filetime % TICKS_PER_SECOND;
        // Whole days since 1601-01-01, re-based on 1970 for the civil-date conversion.
        let days = (seconds / 86_400) as i64;
        let second_of_day = seconds % 86_400;
        let (year, month, day) = civil_from_days(days - days_from_1601_to_1970());
        let mut text = Iso8601 {
            bytes: [0; 32],
            len: 0,
        };
        match u64::try_from(year) {
            Ok(year @ ..10_000) => {
                text.push_two(year / 100);
                text.push_two(year % 100);
            }
            // A FILETIME reaches the year 60056.
            _ => text.push_padded(year.unsigned_abs(), 4),
        }
        text.push(b'-');
        text.push_two(u64::from(month));
        text.push(b'-');
        text.push_two(u64::from(day));
        text.push(b'T');
        text.push_two(second_of_day / 3600);
        text.push(b':');
        text.push_two(second_of_day / 60 % 60);
        text.push(b':');
        text.push_two(second_of_day % 60);
        text.push(b'.');
        // Seven digits of 100 ns: one, then three pairs.
        text.push(b'0' + (fraction / 1_000_000) as u8);
        text.push_two(fraction / 10_000 % 100);
        text.push_two(fraction / 100 % 100);
        text.push_two(fraction % 100);
        text.push(b'Z');
        text
    }

    /// The formatted text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }

    fn push(&mut self, byte: u8) {
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    /// Appends `value` (below 100) as two digits, from a table of all 100 pairs: a timestamp
    /// is formatted for each of the many rows that show one.
    fn push_two(&mut self, value: u64) {
        let at = 2 * value as usize;
        self.bytes[self.len..self.len + 2].copy_from_slice(&DIGIT_PAIRS[at..at + 2]);
        self.len += 2;
    }

    /// Appends `value` in decimal, zero-padded to at least `width` digits.
    fn push_padded(&mut self, value: u64, width: usize) {
        let mut digits = [b'0'; 20];
        let mut at = digits.len();
        let mut rest = value;
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let digits = &digits[at.min(digits.len() - width)..];
        self.bytes[self.len..self.len + digits.len()].copy_from_slice(digits);
        self.len += digits.len();
    }
}

/// `00`, `01`, ..., `99`, back to back.
const DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0u8; 200];
    let mut value = 0;
    while value < 100 {
        pairs[2 * value] = b'0' + (value / 10) as u8;
        pairs[2 * value + 1] = b'0' + (value % 10) as u8;
        value += 1;
    }
    pairs
};

fn days_from_1601_to_1970() -> i64 {
    (UNIX_EPOCH_TICKS / TICKS_PER_SECOND / 86_400) as i64
}

/// Converts days since 1970-01-01 into a (year, month, day) civil date.
fn civil_from_days(days_since_1970: i64) -> (i64, u32, u32) {
    // Shift so the era starts on 0000-03-01; eras are 400 years = 146,097 days.
    let z = days_since_1970 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_filetime_has_a_five_digit_year() {
        assert_eq!(to_iso8601(u64::MAX), "60056-05-28T05:36:10.9551615Z");
    }

    #[test]
    fn unix_epoch() {
        assert_eq!(to_iso8601(UNIX_EPOCH_TICKS), "1970-01-01T00:00:00.0000000Z");
    }

    #[test]
    fn known_registry_timestamp() {
        // 2012-04-07T18:50:45.3388850Z, the base-block time of a Windows 7 NTUSER.DAT in the corpus.
        assert_eq!(
            to_iso8601(129_782_982_453_388_850),
            "2012-04-07T18:50:45.3388850Z"
        );
    }

    /// Against the same fields formatted by `format!`, for times spread over the whole
    /// FILETIME range and around the edges of the four-digit years.
    #[test]
    fn formatting_matches_format_macro() {
        let reference = |filetime: u64| {
            let seconds = filetime / TICKS_PER_SECOND;
            let (year, month, day) =
                civil_from_days((seconds / 86_400) as i64 - days_from_1601_to_1970());
            let second = seconds % 86_400;
            format!(
                "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:07}Z",
                second / 3600,
                second / 60 % 60,
                second % 60,
                filetime % TICKS_PER_SECOND
            )
        };
        let year_10000 = 2_650_467_744_000_000_000; // 10000-01-01T00:00:00Z
        let mut samples = vec![0, 1, u64::MAX, year_10000 - 1, year_10000];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            // xorshift: spread over the whole range, every digit position exercised.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            samples.push(state);
            samples.push(state % (year_10000 * 2));
        }
        for filetime in samples {
            assert_eq!(to_iso8601(filetime), reference(filetime), "{filetime}");
        }
    }

    #[test]
    fn leap_day_and_windows_epoch() {
        // 2024-02-29T12:00:00Z = 1709208000 Unix seconds.
        let leap = UNIX_EPOCH_TICKS + 1_709_208_000 * TICKS_PER_SECOND;
        assert_eq!(to_iso8601(leap), "2024-02-29T12:00:00.0000000Z");
        assert_eq!(to_iso8601(0), "1601-01-01T00:00:00.0000000Z");
    }
}

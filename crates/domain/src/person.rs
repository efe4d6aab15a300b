//! The Norwegian national identity number (fødselsnummer) and its variants: D-number (day + 40),
//! H-number (month + 40) and Skatteetaten's synthetic test numbers (month + 80).
//!
//! Check digits: k1 weighs digits 1–9 with 3 7 6 1 8 9 4 5 2, k2 weighs digits 1–10 with
//! 5 4 3 2 7 6 5 4 3 2. Numbers issued before 2032 satisfy the classic rule (the weighted sum
//! including the check digit is divisible by 11); from 2032 Skatteetaten also issues numbers
//! whose k1 leaves a remainder of 1, 2 or 3. Both are accepted. k2 is unchanged.
//!
//! The value is personal data: `Debug` prints no digits, and it is only ever shown through
//! [`NationalId::expose`] or in masked form ([`NationalId::masked`]).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const K1_WEIGHTS: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2_WEIGHTS: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// Which kind of number it is, read from the offsets on day and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NationalIdKind {
    Fodselsnummer,
    /// Day + 40: people without a fødselsnummer (D-nummer).
    DNumber,
    /// Month + 40: the health sector's help number (H-nummer).
    HNumber,
    /// Month + 80: Skatteetaten's synthetic test numbers; the only kind allowed in demo data.
    Synthetic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NationalIdError {
    #[error("a national identity number has 11 digits")]
    Length,
    #[error("a national identity number holds digits only")]
    NotDigits,
    #[error("the number does not begin with a valid date")]
    Date,
    #[error("the check digits do not match")]
    CheckDigits,
}

impl NationalIdError {
    /// The stable code that problem+json carries.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Length => "national_id_length",
            Self::NotDigits => "national_id_digits",
            Self::Date => "national_id_date",
            Self::CheckDigits => "national_id_check_digits",
        }
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NationalId([u8; 11]);

impl NationalId {
    pub fn parse(input: &str) -> Result<Self, NationalIdError> {
        // Spaces are how people write it on paper ("150180 12345"); nothing else is allowed.
        let cleaned: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !cleaned.chars().all(|c| c.is_ascii_digit()) {
            return Err(NationalIdError::NotDigits);
        }
        if cleaned.len() != 11 {
            return Err(NationalIdError::Length);
        }
        let mut digits = [0u8; 11];
        for (slot, byte) in digits.iter_mut().zip(cleaned.bytes()) {
            *slot = byte - b'0';
        }
        if !check_digits_hold(&digits) {
            return Err(NationalIdError::CheckDigits);
        }
        let id = Self(digits);
        let (day, month) = id.day_month();
        if !(1..=12).contains(&month) || day < 1 || day > max_day(month) {
            return Err(NationalIdError::Date);
        }
        Ok(id)
    }

    pub fn kind(&self) -> NationalIdKind {
        let d = &self.0;
        let first = d[0];
        let third = d[2];
        if third >= 8 {
            NationalIdKind::Synthetic
        } else if third >= 4 {
            NationalIdKind::HNumber
        } else if first >= 4 {
            NationalIdKind::DNumber
        } else {
            NationalIdKind::Fodselsnummer
        }
    }

    pub fn is_synthetic(&self) -> bool {
        self.kind() == NationalIdKind::Synthetic
    }

    /// The eleven digits. Every call site that reads the number is greppable by this name.
    pub fn expose(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// The first six digits and five stars: enough for a caseworker to tell two people apart
    /// on a screen, not enough to be the number.
    pub fn masked(&self) -> String {
        let mut out: String = self.0[..6].iter().map(|d| char::from(b'0' + d)).collect();
        out.push_str("*****");
        out
    }

    /// The date of birth the number encodes. The century comes from the individual number
    /// (digits 7–9): 000–499 were born 1900–1999; 500–749 with years 54–99 in 1854–1899;
    /// 500–999 with years 00–39 in 2000–2039; 900–999 with years 40–99 in 1940–1999. `None`
    /// for a combination that was never issued (500–899 with years 40–53 or 750–899 with 54–99)
    /// or a 29 February in a year without one.
    pub fn birth_date(&self) -> Option<chrono::NaiveDate> {
        let d = &self.0;
        let (day, month) = self.day_month();
        let yy = u16::from(d[4]) * 10 + u16::from(d[5]);
        let individual = u16::from(d[6]) * 100 + u16::from(d[7]) * 10 + u16::from(d[8]);
        let century = match individual {
            0..=499 => 1900,
            500..=749 if yy >= 54 => 1800,
            500..=999 if yy <= 39 => 2000,
            900..=999 if yy >= 40 => 1900,
            _ => return None,
        };
        chrono::NaiveDate::from_ymd_opt(i32::from(century + yy), u32::from(month), u32::from(day))
    }

    /// Day and month with the D/H/synthetic offsets taken off.
    fn day_month(&self) -> (u8, u8) {
        let d = &self.0;
        let mut day = d[0] * 10 + d[1];
        let mut month = d[2] * 10 + d[3];
        if day > 40 {
            day -= 40;
        }
        if month > 80 {
            month -= 80;
        } else if month > 40 {
            month -= 40;
        }
        (day, month)
    }
}

fn weighted(digits: &[u8], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * w)
        .sum()
}

fn check_digits_hold(d: &[u8; 11]) -> bool {
    let k1 = weighted(&d[..9], &K1_WEIGHTS) + u32::from(d[9]);
    let k2 = weighted(&d[..10], &K2_WEIGHTS) + u32::from(d[10]);
    // Classic numbers leave remainder 0 for k1; the 2032 scheme also allows 1, 2 and 3.
    k1 % 11 <= 3 && k2.is_multiple_of(11)
}

/// The longest a month can be in some year: the century is not in the number (and will not
/// be from 2032), so 29 February is always possible.
const fn max_day(month: u8) -> u8 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day a person born on `birth` turns `years` old. Someone born on 29 February turns a
/// year older on 1 March in years without a 29 February.
pub fn turns(birth: chrono::NaiveDate, years: u32) -> chrono::NaiveDate {
    use chrono::Datelike;
    let year = birth.year() + i32::try_from(years).unwrap_or(i32::MAX - birth.year());
    chrono::NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| chrono::NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(chrono::NaiveDate::MAX)
}

/// How many whole years old someone born on `birth` is on `day` (0 before the first
/// birthday, and before birth).
pub fn age_on(birth: chrono::NaiveDate, day: chrono::NaiveDate) -> u32 {
    use chrono::Datelike;
    if day < birth {
        return 0;
    }
    let guess = u32::try_from(day.year() - birth.year()).unwrap_or(0);
    if turns(birth, guess) <= day {
        guess
    } else {
        guess.saturating_sub(1)
    }
}

/// Completes ten digits with the k2 check digit that makes the number valid, if any. Used to
/// make synthetic numbers for demo data and tests.
pub fn complete_check_digit(first_ten: [u8; 10]) -> Option<NationalId> {
    let s = weighted(&first_ten, &K2_WEIGHTS);
    let k2 = (11 - s % 11) % 11;
    if k2 == 10 {
        return None;
    }
    let mut digits = [0u8; 11];
    digits[..10].copy_from_slice(&first_ten);
    digits[10] = u8::try_from(k2).ok()?;
    check_digits_hold(&digits).then_some(NationalId(digits))
}

/// Makes a synthetic number (month + 80) for a birth date and an individual number, choosing
/// the classic k1. `None` when the individual number gives no valid check digits — take the
/// next one.
pub fn synthetic(day: u8, month: u8, year: u8, individual: u16) -> Option<NationalId> {
    if !(1..=12).contains(&month) || day < 1 || day > max_day(month) || year > 99 {
        return None;
    }
    if individual > 999 {
        return None;
    }
    let m = month + 80;
    let ind = [
        u8::try_from(individual / 100).ok()?,
        u8::try_from(individual / 10 % 10).ok()?,
        u8::try_from(individual % 10).ok()?,
    ];
    let nine = [
        day / 10,
        day % 10,
        m / 10,
        m % 10,
        year / 10,
        year % 10,
        ind[0],
        ind[1],
        ind[2],
    ];
    let s1 = weighted(&nine, &K1_WEIGHTS);
    let k1 = (11 - s1 % 11) % 11;
    if k1 == 10 {
        return None;
    }
    let mut ten = [0u8; 10];
    ten[..9].copy_from_slice(&nine);
    ten[9] = u8::try_from(k1).ok()?;
    complete_check_digit(ten)
}

impl fmt::Debug for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NationalId([redacted])")
    }
}

impl Serialize for NationalId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.expose())
    }
}

impl<'de> Deserialize<'de> for NationalId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        // The error names the rule, never the digits.
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Whether a free text holds what reads as a national identity number: eleven digits in a
/// row (or six, a space, five, as on paper) that pass the checks. Texts that should not carry
/// personal data — an incident's description, say — are refused with it.
pub fn mentions_national_id(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let mut run: String = chars[i..j].iter().collect();
        // "150180 12345": six digits, one space, five digits.
        if run.len() == 6
            && chars.get(j) == Some(&' ')
            && chars
                .get(j + 1..j + 6)
                .is_some_and(|r| r.iter().all(char::is_ascii_digit))
            && chars.get(j + 6).is_none_or(|c| !c.is_ascii_digit())
        {
            run.extend(&chars[j + 1..j + 6]);
        }
        if run.len() == 11 && NationalId::parse(&run).is_ok() {
            return true;
        }
        i = j;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn skatteetatens_worked_example_moved_into_the_synthetic_range_is_valid() {
        // Skatteetaten's worked example 020132 999 97 with month + 80 and both check digits
        // worked out by hand: k1 = 11 − (204 mod 11) = 5, k2 = 11 − (185 mod 11) = 2.
        let id = NationalId::parse("02813299952").unwrap();
        assert_eq!(id.kind(), NationalIdKind::Synthetic);
        assert_eq!(id.expose(), "02813299952");
        assert_eq!(id.masked(), "028132*****");
    }

    #[test]
    fn the_birth_date_takes_its_century_from_the_individual_number() {
        use chrono::Datelike;
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day);
        let born = |day, month, year, individual| {
            (individual..individual + 40)
                .find_map(|i| synthetic(day, month, year, i))
                .and_then(|id| id.birth_date())
        };
        assert_eq!(born(12, 3, 85, 101), d(1985, 3, 12));
        assert_eq!(born(1, 9, 15, 500), d(2015, 9, 1));
        assert_eq!(born(1, 9, 60, 910), d(1960, 9, 1));
        assert_eq!(born(1, 9, 60, 520), d(1860, 9, 1));
        // Skatteetaten's example: individual 999 with year 32 is 2032.
        let id = NationalId::parse("02813299952").unwrap();
        assert_eq!(id.birth_date(), d(2032, 1, 2));
        // 750–899 with a year from 54 was never issued.
        assert_eq!(born(1, 9, 60, 760).filter(|b| b.year() != 1960), None);
        // 29 February 1900 never was: a number can say it, the date cannot.
        assert_eq!(
            synthetic(29, 2, 0, 100)
                .or_else(|| synthetic(29, 2, 0, 101))
                .and_then(|i| i.birth_date()),
            None
        );
    }

    #[test]
    fn ages_count_whole_years_and_a_leap_day_birthday_moves_to_1_march() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(age_on(d(2010, 6, 15), d(2023, 6, 14)), 12);
        assert_eq!(age_on(d(2010, 6, 15), d(2023, 6, 15)), 13);
        assert_eq!(age_on(d(2010, 6, 15), d(2009, 1, 1)), 0);
        assert_eq!(turns(d(2008, 2, 29), 18), d(2026, 3, 1));
        assert_eq!(turns(d(2008, 2, 29), 16), d(2024, 2, 29));
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
    }

    #[test]
    fn national_ids_are_found_in_free_text_and_other_numbers_are_not() {
        assert!(mentions_national_id("Brev til 02813299952 sendt feil"));
        assert!(mentions_national_id("nr. 028132 99952, elev"));
        assert!(mentions_national_id("02813299952"));
        assert!(!mentions_national_id("Sak 2026/1234, tlf 22 33 44 55"));
        // The wrong check digit, twelve digits, and a valid number inside a longer run.
        assert!(!mentions_national_id("02813299953"));
        assert!(!mentions_national_id("028132999520"));
        assert!(!mentions_national_id("102813299952"));
        assert!(!mentions_national_id("028132 999521"));
    }

    #[test]
    fn spaces_are_allowed_other_characters_are_not() {
        assert!(NationalId::parse("028132 99952").is_ok());
        assert_eq!(
            NationalId::parse("028132-99952"),
            Err(NationalIdError::NotDigits)
        );
        assert_eq!(
            NationalId::parse("0281329995"),
            Err(NationalIdError::Length)
        );
        assert_eq!(
            NationalId::parse("028132999520"),
            Err(NationalIdError::Length)
        );
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        assert_eq!(
            NationalId::parse("02813299953"),
            Err(NationalIdError::CheckDigits)
        );
    }

    #[test]
    fn the_2032_scheme_allows_k1_remainders_up_to_three() {
        // Every k1 for many individual numbers on one (synthetic) birth date: the number is
        // valid exactly when the k1 remainder is 0–3 (k2 completed as always).
        let mut accepted_new_scheme = 0;
        let mut refused = 0;
        for individual in 0..200u8 {
            let nine = [
                0,
                2,
                8,
                1,
                3,
                2,
                individual / 100,
                individual / 10 % 10,
                individual % 10,
            ];
            for k1 in 0..10u8 {
                let mut ten = [0u8; 10];
                ten[..9].copy_from_slice(&nine);
                ten[9] = k1;
                let remainder = (weighted(&nine, &K1_WEIGHTS) + u32::from(k1)) % 11;
                let k2 = (11 - weighted(&ten, &K2_WEIGHTS) % 11) % 11;
                if k2 == 10 {
                    continue;
                }
                let mut digits = ten.to_vec();
                digits.push(u8::try_from(k2).unwrap());
                let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
                let parsed = NationalId::parse(&text);
                if remainder <= 3 {
                    assert!(parsed.is_ok(), "remainder {remainder}");
                    if remainder > 0 {
                        accepted_new_scheme += 1;
                    }
                } else {
                    assert_eq!(parsed, Err(NationalIdError::CheckDigits));
                    refused += 1;
                }
            }
        }
        assert!(accepted_new_scheme > 0 && refused > 0);
    }

    #[test]
    fn kinds_are_read_from_the_offsets() {
        let synthetic = synthetic(15, 1, 80, 123)
            .or_else(|| synthetic(15, 1, 80, 124))
            .unwrap();
        assert_eq!(synthetic.kind(), NationalIdKind::Synthetic);
        assert!(synthetic.is_synthetic());
        assert_eq!(&synthetic.expose()[2..4], "81");
        // The offsets alone decide the kind (checked here on digit strings that are not
        // valid numbers, so that no real person's number appears in the tests).
        let kind = |digits: [u8; 11]| NationalId(digits).kind();
        assert_eq!(
            kind([5, 5, 0, 1, 8, 0, 0, 0, 0, 0, 0]),
            NationalIdKind::DNumber
        );
        assert_eq!(
            kind([1, 5, 4, 1, 8, 0, 0, 0, 0, 0, 0]),
            NationalIdKind::HNumber
        );
        assert_eq!(
            kind([1, 5, 0, 1, 8, 0, 0, 0, 0, 0, 0]),
            NationalIdKind::Fodselsnummer
        );
        assert_eq!(
            kind([5, 5, 8, 1, 8, 0, 0, 0, 0, 0, 0]),
            NationalIdKind::Synthetic
        );
        assert!(NationalId::parse("55018000000").is_err());
        assert!(NationalId::parse("15418000000").is_err());
    }

    #[test]
    fn impossible_dates_are_refused() {
        // 31 April does not exist (synthetic month 84).
        for ind in 0..50 {
            let mut nine = [3, 1, 8, 4, 8, 0, 0, 0, 0];
            nine[6] = ind / 100;
            nine[7] = ind / 10 % 10;
            nine[8] = ind % 10;
            let s1 = weighted(&nine, &K1_WEIGHTS);
            let k1 = (11 - s1 % 11) % 11;
            if k1 == 10 {
                continue;
            }
            let mut ten = [0u8; 10];
            ten[..9].copy_from_slice(&nine);
            ten[9] = u8::try_from(k1).unwrap();
            if let Some(id) = complete_check_digit(ten) {
                assert_eq!(NationalId::parse(&id.expose()), Err(NationalIdError::Date));
                return;
            }
        }
        panic!("no number with 31 April was made");
    }

    #[test]
    fn debug_and_errors_never_show_the_digits() {
        let id = NationalId::parse("02813299952").unwrap();
        assert!(!format!("{id:?}").contains("0281"));
        let err = serde_json::from_str::<NationalId>("\"02813299953\"").unwrap_err();
        assert!(!err.to_string().contains("0281"));
        let round: NationalId = serde_json::from_str("\"02813299952\"").unwrap();
        assert_eq!(round, id);
    }

    proptest! {

        /// A person is `n` on the day they turn `n` and `n - 1` the day before.
        #[test]
        fn a_person_is_n_years_old_from_the_day_they_turn_n(
            days in 0i64..60_000, n in 1u32..100,
        ) {
            let birth = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            let birthday = turns(birth, n);
            prop_assert_eq!(age_on(birth, birthday), n);
            prop_assert_eq!(age_on(birth, birthday.pred_opt().unwrap()), n - 1);
        }

        /// Every synthetic number made for a date and an individual number in the ranges
        /// for its century is born on that date.
        #[test]
        fn a_synthetic_number_is_born_on_its_date(
            days in 0i64..(365 * 139), individual in 0u16..460,
        ) {
            use chrono::Datelike;
            let date = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            let yy = u8::try_from(date.year() % 100).unwrap();
            let base = match date.year() { 1900..=1999 => individual, _ => 500 + individual };
            let id = (base..base + 40).find_map(|i| synthetic(
                u8::try_from(date.day()).unwrap(), u8::try_from(date.month()).unwrap(), yy, i));
            if let Some(id) = id {
                prop_assert_eq!(id.birth_date(), Some(date));
            }
        }
        #[test]
        fn every_made_synthetic_number_parses_as_synthetic(
            day in 1u8..=28, month in 1u8..=12, year in 0u8..=99, individual in 0u16..=999
        ) {
            if let Some(id) = synthetic(day, month, year, individual) {
                let parsed = NationalId::parse(&id.expose()).unwrap();
                prop_assert_eq!(parsed.kind(), NationalIdKind::Synthetic);
            }
        }

        #[test]
        fn changing_any_one_digit_makes_a_valid_number_invalid(
            day in 1u8..=28, month in 1u8..=12, year in 0u8..=99, individual in 0u16..=999,
            position in 0usize..11, delta in 1u8..=9
        ) {
            if let Some(id) = synthetic(day, month, year, individual) {
                let mut digits = id.0;
                digits[position] = (digits[position] + delta) % 10;
                let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
                prop_assert!(NationalId::parse(&text).is_err());
            }
        }

        #[test]
        fn parse_never_panics(input in "\\PC{0,20}") {
            let _ = NationalId::parse(&input);
        }
    }
}

//! Countries (ISO 3166-1 alpha-2) and where personal data may go: the EU/EEA, countries
//! with an adequacy decision under Art. 45, and the rest (third countries that need a
//! safeguard under Art. 46 or a derogation under Art. 49).

/// Every ISO 3166-1 alpha-2 code.
const ISO_CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// The EU member states and the EEA EFTA states (Iceland, Liechtenstein, Norway).
const EEA: &str =
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO";

/// Countries with an EU adequacy decision (Art. 45) as of 2026. The United States' decision
/// (EU–US Data Privacy Framework) covers only certified organisations.
const ADEQUATE: &str = "AD AR CA CH FO GB GG IL IM JE JP KR NZ US UY";

fn listed(list: &str, code: &str) -> bool {
    code.len() == 2 && list.split(' ').any(|c| c == code)
}

/// Whether `code` is an ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    listed(ISO_CODES, code)
}

pub fn is_eea(code: &str) -> bool {
    listed(EEA, code)
}

pub fn has_adequacy(code: &str) -> bool {
    listed(ADEQUATE, code)
}

/// Upper-cases and checks a country code.
pub fn normalise(code: &str) -> Option<String> {
    let upper = code.trim().to_ascii_uppercase();
    is_country(&upper).then_some(upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_consistent() {
        for code in EEA.split(' ').chain(ADEQUATE.split(' ')) {
            assert!(is_country(code), "{code}");
        }
        assert_eq!(EEA.split(' ').count(), 30);
        for code in ADEQUATE.split(' ') {
            assert!(!is_eea(code), "{code} is in the EEA and listed as adequate");
        }
        let mut all: Vec<&str> = ISO_CODES.split(' ').collect();
        let n = all.len();
        all.dedup();
        assert_eq!(all.len(), n);
        assert_eq!(n, 249);
    }

    #[test]
    fn codes_are_normalised() {
        assert_eq!(normalise(" no "), Some("NO".to_owned()));
        assert_eq!(normalise("XX"), None);
        assert_eq!(normalise("NOR"), None);
        assert!(is_eea("NO") && is_eea("SE") && !is_eea("GB"));
        assert!(has_adequacy("GB") && !has_adequacy("IN"));
    }
}

//! The per-organisation IP allowlist: a list of CIDR ranges. Empty means no restriction.

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

pub const MAX_ENTRIES: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct IpAllowlist(Vec<IpNet>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllowlistError {
    #[error("entry {index} is not an IP address or CIDR range")]
    Invalid { index: usize },
    #[error("at most {MAX_ENTRIES} entries")]
    TooMany,
}

impl IpAllowlist {
    /// Parses entries such as `10.0.0.0/8`, `2001:db8::/32` or a single address
    /// (`192.0.2.7`, taken as /32 or /128). Host bits are cleared: `10.1.2.3/8` is `10.0.0.0/8`.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, AllowlistError> {
        if entries.len() > MAX_ENTRIES {
            return Err(AllowlistError::TooMany);
        }
        let mut nets = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let entry = entry.as_ref().trim();
            let net = IpNet::from_str(entry)
                .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
                .map_err(|_| AllowlistError::Invalid { index })?;
            nets.push(net.trunc());
        }
        nets.sort();
        nets.dedup();
        Ok(Self(nets))
    }

    pub fn is_unrestricted(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a request from `ip` is admitted. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`)
    /// are matched as the IPv4 address they carry.
    pub fn allows(&self, ip: IpAddr) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// Whether saving this list would shut out the caller making the change.
    pub fn would_lock_out(&self, caller: Option<IpAddr>) -> bool {
        !self.is_unrestricted() && !caller.is_some_and(|ip| self.allows(ip))
    }

    pub fn entries(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }
}

impl TryFrom<Vec<String>> for IpAllowlist {
    type Error = AllowlistError;

    fn try_from(value: Vec<String>) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<IpAllowlist> for Vec<String> {
    fn from(value: IpAllowlist) -> Self {
        value.entries()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    #[test]
    fn an_empty_list_admits_everyone() {
        let list = IpAllowlist::parse::<&str>(&[]).unwrap();
        assert!(list.is_unrestricted());
        assert!(list.allows("203.0.113.9".parse().unwrap()));
    }

    #[test]
    fn admits_inside_and_refuses_outside() {
        let list = IpAllowlist::parse(&["10.0.0.0/8", "2001:db8::/32", "192.0.2.7"]).unwrap();
        assert!(list.allows("10.200.3.4".parse().unwrap()));
        assert!(list.allows("2001:db8:1::5".parse().unwrap()));
        assert!(list.allows("192.0.2.7".parse().unwrap()));
        assert!(!list.allows("192.0.2.8".parse().unwrap()));
        assert!(!list.allows("11.0.0.1".parse().unwrap()));
        assert!(
            list.allows("::ffff:10.1.1.1".parse().unwrap()),
            "IPv4-mapped IPv6"
        );
    }

    #[test]
    fn a_list_without_the_callers_address_would_lock_them_out() {
        let list = IpAllowlist::parse(&["10.0.0.0/8"]).unwrap();
        assert!(list.would_lock_out(Some("192.0.2.1".parse().unwrap())));
        assert!(list.would_lock_out(None));
        assert!(!list.would_lock_out(Some("10.9.9.9".parse().unwrap())));
        assert!(!IpAllowlist::default().would_lock_out(None));
    }

    #[test]
    fn names_the_bad_entry() {
        assert_eq!(
            IpAllowlist::parse(&["10.0.0.0/8", "intranet"]),
            Err(AllowlistError::Invalid { index: 1 })
        );
        assert_eq!(
            IpAllowlist::parse(&["10.0.0.0/33"]),
            Err(AllowlistError::Invalid { index: 0 })
        );
        let many: Vec<String> = (0..101).map(|i| format!("10.0.{i}.0/24")).collect();
        assert_eq!(IpAllowlist::parse(&many), Err(AllowlistError::TooMany));
    }

    #[test]
    fn host_bits_are_cleared_and_duplicates_merged() {
        let list = IpAllowlist::parse(&["10.1.2.3/8", "10.0.0.0/8"]).unwrap();
        assert_eq!(list.entries(), vec!["10.0.0.0/8"]);
    }

    proptest! {
        #[test]
        fn a_v4_range_admits_exactly_its_addresses(net in any::<u32>(), prefix in 0u8..=32, ip in any::<u32>()) {
            let base = Ipv4Addr::from(net);
            let list = IpAllowlist::parse(&[format!("{base}/{prefix}")]).unwrap();
            let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
            let inside = (ip & mask) == (net & mask);
            prop_assert_eq!(list.allows(IpAddr::V4(Ipv4Addr::from(ip))), inside);
        }

        #[test]
        fn parsing_never_panics(entries in proptest::collection::vec("\\PC{0,40}", 0..5)) {
            let _ = IpAllowlist::parse(&entries);
        }

        #[test]
        fn entries_round_trip(nets in proptest::collection::vec((any::<u32>(), 0u8..=32), 0..10)) {
            let raw: Vec<String> = nets.iter().map(|(n, p)| format!("{}/{p}", Ipv4Addr::from(*n))).collect();
            let list = IpAllowlist::parse(&raw).unwrap();
            prop_assert_eq!(IpAllowlist::parse(&list.entries()).unwrap(), list);
        }
    }
}

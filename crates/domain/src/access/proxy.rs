//! Which address a request comes from when Vern runs behind reverse proxies.
//!
//! The TCP peer is the client unless the operator has named it a trusted proxy. Then the
//! `X-Forwarded-For` chain is read from the right (the entry the nearest proxy appended)
//! and every trusted address is skipped: the first untrusted address is the client. A
//! client can write anything into the left of the header, so nothing left of that address
//! is believed. Entries that are not addresses end the walk: the last address believed is
//! answered (the proxy that forwarded the nonsense). Throttling and the IP allowlist use the
//! answer.

use std::net::IpAddr;

use crate::access::IpAllowlist;

/// The most `X-Forwarded-For` entries looked at; a longer chain is not a real proxy path.
pub const MAX_HOPS: usize = 20;

/// The client's address: `peer` when it is not a trusted proxy (or nothing is trusted);
/// otherwise the nearest untrusted address of `forwarded_for` (the `X-Forwarded-For`
/// header values in the order received), or the last trusted hop when all are trusted.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &IpAllowlist) -> IpAddr {
    if trusted.is_unrestricted() || !trusted.allows(peer) {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev().take(MAX_HOPS) {
        let Some(ip) = parse_entry(entry) else {
            return client;
        };
        client = ip;
        if !trusted.allows(ip) {
            return ip;
        }
    }
    client
}

/// An `X-Forwarded-For` entry: an address, an IPv6 address in brackets, or either with a
/// port (`192.0.2.1:443`, `[2001:db8::1]:443`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = entry.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse().ok();
    }
    let (host, port) = entry.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn trusted(entries: &[&str]) -> IpAllowlist {
        IpAllowlist::parse(entries).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let none = trusted(&[]);
        assert_eq!(
            client_address(ip("203.0.113.9"), &["198.51.100.1"], &none),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn an_untrusted_peer_cannot_speak_for_someone_else() {
        let proxies = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("203.0.113.9"), &["10.1.1.1"], &proxies),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let proxies = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &["198.51.100.7"], &proxies),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn spoofed_entries_left_of_the_client_are_ignored() {
        let proxies = trusted(&["10.0.0.0/8"]);
        // The client sent "X-Forwarded-For: 192.0.2.1"; the proxy appended the real address.
        assert_eq!(
            client_address(ip("10.0.0.2"), &["192.0.2.1, 198.51.100.7"], &proxies),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn chains_of_proxies_and_several_header_lines_are_walked_from_the_right() {
        let proxies = trusted(&["10.0.0.0/8", "172.16.0.0/12"]);
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                &["192.0.2.1, 198.51.100.7", "172.16.0.5"],
                &proxies
            ),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn ports_and_brackets_are_understood() {
        let proxies = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &["198.51.100.7:51234"], &proxies),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &["[2001:db8::7]:443"], &proxies),
            ip("2001:db8::7")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &["2001:db8::8"], &proxies),
            ip("2001:db8::8")
        );
    }

    #[test]
    fn nonsense_stops_the_walk_at_the_last_address_believed() {
        let proxies = trusted(&["10.0.0.0/8"]);
        assert_eq!(
            client_address(ip("10.0.0.2"), &["unknown"], &proxies),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                &["198.51.100.7, garbage, 10.0.0.3"],
                &proxies
            ),
            ip("10.0.0.3")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), &[], &proxies),
            ip("10.0.0.2")
        );
    }

    fn any_ip() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<[u8; 4]>().prop_map(IpAddr::from),
            any::<[u8; 16]>().prop_map(IpAddr::from),
        ]
    }

    proptest! {
        /// Whatever a client writes into the header, the answer is either the peer or an
        /// address that a trusted hop appended — never one only the client claimed, unless
        /// every hop right of it is trusted.
        #[test]
        fn the_answer_is_the_first_untrusted_hop_from_the_right(
            claimed in proptest::collection::vec(any_ip(), 0..5),
            real in any_ip(),
            hops in proptest::collection::vec(0u8..=255, 0..4),
        ) {
            let proxies = trusted(&["10.0.0.0/8"]);
            prop_assume!(!proxies.allows(real));
            let mut chain: Vec<String> = claimed.iter().map(ToString::to_string).collect();
            chain.push(real.to_string());
            chain.extend(hops.iter().map(|h| format!("10.0.{h}.1")));
            let header = chain.join(", ");
            let answer = client_address(ip("10.9.9.9"), &[header.as_str()], &proxies);
            prop_assert_eq!(answer, real);
        }

        #[test]
        fn an_untrusted_peer_is_always_the_answer(peer in any_ip(), header in ".{0,60}") {
            let proxies = trusted(&["10.0.0.0/8"]);
            prop_assume!(!proxies.allows(peer));
            prop_assert_eq!(client_address(peer, &[header.as_str()], &proxies), peer);
        }
    }
}

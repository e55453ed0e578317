//! The client's address. Behind the TLS proxy the README recommends, every request's peer is the
//! proxy, so per-address limits would make all users share one budget. `X-Forwarded-For` is read
//! only when the peer is one of the configured `trusted_proxies`, and from the right: the first
//! address that is not itself a trusted proxy is the client (anything further left was written
//! by the client and proves nothing).

use std::net::IpAddr;

/// An address or a CIDR block (`10.0.0.0/8`, `::1/128`, or a bare address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Parses `addr` or `addr/prefix`; `None` for anything else.
    pub fn parse(s: &str) -> Option<IpNet> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(IpNet { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for IpNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// IPv4 addresses arriving as IPv4-mapped IPv6 (`::ffff:1.2.3.4`) compare as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

fn trusted(ip: IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|n| n.contains(ip))
}

/// True when the request came through a trusted proxy (its peer is one): such a request says
/// nothing about being local, whatever its peer address.
pub fn via_trusted_proxy(peer: Option<IpAddr>, proxies: &[IpNet]) -> bool {
    peer.is_some_and(|p| trusted(p, proxies))
}

/// The client's address: the peer, or — when the peer is a trusted proxy — the right-most
/// address of `X-Forwarded-For` values that is not a trusted proxy.
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    proxies: &[IpNet],
) -> Option<IpAddr> {
    let peer = peer.map(canonical)?;
    if !trusted(peer, proxies) {
        return Some(peer);
    }
    let hops: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted(ip, proxies) => continue,
            Ok(ip) => return Some(canonical(ip)),
            // A malformed hop: stop believing the header past it.
            Err(_) => return Some(peer),
        }
    }
    Some(peer)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_matches_blocks() {
        let n = IpNet::parse("10.0.0.0/8").unwrap();
        assert!(n.contains(ip("10.2.3.4")));
        assert!(!n.contains(ip("11.0.0.1")));
        assert!(n.contains(ip("::ffff:10.9.9.9")));
        let one = IpNet::parse("127.0.0.1").unwrap();
        assert!(one.contains(ip("127.0.0.1")));
        assert!(!one.contains(ip("127.0.0.2")));
        assert!(IpNet::parse("::1/128").unwrap().contains(ip("::1")));
        assert!(IpNet::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert_eq!(IpNet::parse("10.0.0.0/33"), None);
        assert_eq!(IpNet::parse("nonsense"), None);
    }

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let proxies = [IpNet::parse("127.0.0.1").unwrap()];
        // A client that is not a proxy cannot choose its address by sending the header.
        assert_eq!(
            client_address(Some(ip("203.0.113.9")), &["1.2.3.4"], &proxies),
            Some(ip("203.0.113.9"))
        );
        // Through the proxy: the right-most untrusted hop, whatever the client prepended.
        assert_eq!(
            client_address(Some(ip("127.0.0.1")), &["6.6.6.6, 198.51.100.7"], &proxies),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_address(Some(ip("127.0.0.1")), &[], &proxies),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(
            client_address(Some(ip("127.0.0.1")), &["garbage"], &proxies),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(client_address(None, &["1.2.3.4"], &proxies), None);
    }
}

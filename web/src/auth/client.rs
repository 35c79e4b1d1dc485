//! Who is asking: the client's address, for sign-in throttling and logs.
//!
//! The direct peer is the client unless it is a configured trusted proxy
//! (`SPARES_TRUSTED_PROXIES`, e.g. the nginx container or the load
//! balancer's subnet); then the client is the right-most `X-Forwarded-For`
//! address that is not itself a trusted proxy. A header from anyone else is
//! ignored: it is trivially forged.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::state::AppState;

/// An address or a CIDR block (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IP address or CIDR block (e.g. 127.0.0.1, 10.0.0.0/8, fd00::/8)")]
pub struct NetworkError(String);

impl FromStr for Network {
    type Err = NetworkError;
    fn from_str(text: &str) -> Result<Network, NetworkError> {
        let err = || NetworkError(text.chars().take(60).collect());
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text.trim(), None),
        };
        let addr = canonical(addr.parse::<IpAddr>().map_err(|_| err())?);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(err)?,
            None => max,
        };
        Ok(Network { addr, prefix })
    }
}

/// The proxies whose `X-Forwarded-For` is believed. Empty by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Network>);

impl FromStr for TrustedProxies {
    type Err = NetworkError;
    fn from_str(text: &str) -> Result<TrustedProxies, NetworkError> {
        text.split([',', ' ', ';'])
            .filter(|p| !p.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client's address, given the direct peer and the headers.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer.map(canonical)?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|a| a.trim().parse::<IpAddr>().map(canonical))
            .collect::<Result<_, _>>()
            .unwrap_or_default();
        Some(
            forwarded
                .into_iter()
                .rev()
                .find(|ip| !self.trusts(*ip))
                .unwrap_or(peer),
        )
    }
}

/// The client's address (`None` when the server does not know its peer,
/// as in tests that call the router directly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(ip) => ip.fmt(f),
            None => f.write_str("unknown"),
        }
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientAddr(
            state.auth.trusted_proxies.client(peer, &parts.headers),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().expect("header"));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn networks_parse_and_match() {
        let n: Network = "10.0.0.0/8".parse().expect("cidr");
        assert!(n.contains(ip("10.2.3.4")));
        assert!(!n.contains(ip("11.0.0.1")));
        assert!(n.contains(ip("::ffff:10.0.0.9")), "mapped IPv4");
        let one: Network = "127.0.0.1".parse().expect("one");
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6: Network = "fd00::/8".parse().expect("v6");
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        let all: Network = "0.0.0.0/0".parse().expect("all");
        assert!(all.contains(ip("8.8.8.8")));
        for bad in ["", "10.0.0.0/33", "nginx", "10.0.0.0/x", "::/129"] {
            assert!(bad.parse::<Network>().is_err(), "{bad}");
        }
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let proxies: TrustedProxies = "127.0.0.1, 10.0.0.0/8".parse().expect("list");
        // From the proxy: the right-most address that is not a proxy.
        assert_eq!(
            proxies.client(Some(ip("127.0.0.1")), &headers(&["198.51.100.7, 10.1.1.1"])),
            Some(ip("198.51.100.7"))
        );
        // A client that forges the header in front of the proxy gets its
        // own address (the proxy appends the real one last).
        assert_eq!(
            proxies.client(Some(ip("127.0.0.1")), &headers(&["1.2.3.4", "203.0.113.9"])),
            Some(ip("203.0.113.9"))
        );
        // From anyone else the header is ignored.
        assert_eq!(
            proxies.client(Some(ip("203.0.113.5")), &headers(&["1.2.3.4"])),
            Some(ip("203.0.113.5"))
        );
        // Garbage in the header: the proxy itself is the client.
        assert_eq!(
            proxies.client(Some(ip("127.0.0.1")), &headers(&["not an address"])),
            Some(ip("127.0.0.1"))
        );
        assert_eq!(
            TrustedProxies::default().client(None, &headers(&["1.2.3.4"])),
            None
        );
    }
}

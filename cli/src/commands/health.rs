//! `spares healthcheck`: the container's HEALTHCHECK (the image has no curl).

use std::io::{Read, Write};

/// GET /healthz on `addr` (an unspecified address means this host); Ok
/// when it answers 200 within 3 s.
pub fn healthcheck(mut addr: std::net::SocketAddr) -> std::io::Result<()> {
    use std::time::Duration;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let timeout = Duration::from_secs(3);
    let mut stream = std::net::TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head)?;
    if head.starts_with(b"HTTP/1.1 200") {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "/healthz answered {}",
            String::from_utf8_lossy(&head)
        )))
    }
}

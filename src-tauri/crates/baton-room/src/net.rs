//! Network interfaces to choose from, binding with the port fallback, and the QR code
//! of the room's URL (SVG for the window, text for the terminal).
use baton_core::room::{RoomInterface, DEFAULT_PORT};
use baton_core::{BatonError, Result};
use qrcode::render::{svg, unicode};
use qrcode::QrCode;
use std::net::{IpAddr, SocketAddr};
use tokio::net::TcpListener;

/// The machine's interfaces with their addresses (IPv4 first, link-local IPv6 left
/// out: a phone cannot use it in a URL).
pub fn interfaces() -> Result<Vec<RoomInterface>> {
    let mut list: Vec<RoomInterface> = if_addrs::get_if_addrs()
        .map_err(|e| BatonError::io("listing network interfaces", e))?
        .into_iter()
        .filter(|i| !(i.ip().is_ipv6() && i.is_link_local()))
        .map(|i| RoomInterface {
            loopback: i.is_loopback(),
            address: i.ip().to_string(),
            name: i.name,
        })
        .collect();
    list.sort_by_key(|i| (i.loopback, i.address.contains(':'), i.name.clone()));
    list.dedup();
    Ok(list)
}

/// Bind `ip` on `port`, or on 7420, 7421…7429, then any free port.
pub(crate) async fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener> {
    let ports: Vec<u16> = match port {
        Some(p) => vec![p],
        None => (DEFAULT_PORT..DEFAULT_PORT + 10).chain([0]).collect(),
    };
    let mut last = None;
    for p in ports {
        match TcpListener::bind(SocketAddr::new(ip, p)).await {
            Ok(l) => return Ok(l),
            Err(e) => last = Some((p, e)),
        }
    }
    let (p, e) = last.expect("at least one port tried");
    Err(BatonError::io(
        format!("serving the room on {ip} port {p}"),
        e,
    ))
}

/// `addr:port` as it appears in a URL and in `Host` (IPv6 in brackets).
pub(crate) fn host_port(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
    }
}

fn code(url: &str) -> Result<QrCode> {
    QrCode::new(url.as_bytes())
        .map_err(|e| BatonError::internal(format!("drawing the QR code: {e}")))
}

/// The URL as a QR code, an SVG document.
pub fn qr_svg(url: &str) -> Result<String> {
    Ok(code(url)?
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .build())
}

/// The URL as a QR code in text (two modules per character cell) for a terminal.
pub fn qr_terminal(url: &str) -> Result<String> {
    Ok(code(url)?
        .render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Light)
        .light_color(unicode::Dense1x2::Dark)
        .build())
}

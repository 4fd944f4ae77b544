//! `baton room …`: open the room for participants' browsers from a terminal (a
//! facilitator on a server, tests) and list the interfaces it can serve on.
use crate::Ctx;
use baton_core::{BatonError, Result};
use baton_room::{RoomConfig, RoomServer};
use clap::Subcommand;
use std::io::Write;
use std::net::IpAddr;

#[derive(Subcommand)]
pub enum Command {
    /// Open the room: print its URL and QR code, serve until Ctrl-C, then close it
    /// (participants are told).
    Open {
        /// The address of the interface to serve on (see `baton room interfaces`);
        /// default: the first non-loopback IPv4 interface.
        #[arg(long, value_name = "ADDR")]
        bind: Option<IpAddr>,
        /// The port; default 7420, or the next free one.
        #[arg(long)]
        port: Option<u16>,
        /// The workshop session participants join (default: the room's last one).
        #[arg(long, value_name = "ID")]
        session: Option<i64>,
    },
    /// List the network interfaces the room can serve on.
    Interfaces,
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<()> {
        match self {
            Command::Interfaces => {
                let list = baton_room::interfaces()?;
                if ctx.json {
                    crate::output::print_json(&list)?;
                } else {
                    for i in list {
                        println!("{:<12} {}", i.name, i.address);
                    }
                }
                Ok(())
            }
            Command::Open {
                bind,
                port,
                session,
            } => open(ctx, bind, port, session),
        }
    }
}

fn default_bind() -> Result<IpAddr> {
    let list = baton_room::interfaces()?;
    let pick = list
        .iter()
        .find(|i| !i.loopback && !i.address.contains(':'))
        .or_else(|| list.first())
        .ok_or_else(|| BatonError::invalid("no network interface found; pass --bind ADDR"))?;
    pick.address
        .parse()
        .map_err(|_| BatonError::internal(format!("bad interface address {}", pick.address)))
}

fn open(ctx: &Ctx, bind: Option<IpAddr>, port: Option<u16>, session: Option<i64>) -> Result<()> {
    let service = ctx.service()?;
    let bind = match bind {
        Some(b) => b,
        None => default_bind()?,
    };
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| BatonError::internal(format!("starting the server runtime: {e}")))?;
    runtime.block_on(async {
        // Changes other processes write (the window on the same file) reach the room.
        let _watch =
            baton_service::ChangeFeed::watch(&service, std::time::Duration::from_millis(400));
        // Listen for Ctrl-C before the URL is printed: from then on a Ctrl-C closes the
        // room (tokio's `ctrl_c()` would only listen once first awaited, after the prints).
        let mut interrupted = interrupt_listener()?;
        let mut config = RoomConfig::new(bind);
        config.port = port;
        config.session_id = session;
        let handle = RoomServer::start(service, config).await?;
        if ctx.json {
            crate::output::print_json(&serde_json::json!({ "url": handle.url() }))?;
        } else {
            println!("Room open: {}", handle.url());
            println!("{}", baton_room::qr_terminal(handle.url())?);
            println!("Participants scan the code or open the URL. Ctrl-C closes the room.");
        }
        let _ = std::io::stdout().flush();
        interrupted.recv().await;
        handle.stop().await?;
        if !ctx.json {
            println!("Room closed.");
        }
        Ok(())
    })
}

#[cfg(unix)]
fn interrupt_listener() -> Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
        .map_err(|e| BatonError::internal(format!("listening for Ctrl-C: {e}")))
}

#[cfg(windows)]
fn interrupt_listener() -> Result<tokio::signal::windows::CtrlC> {
    tokio::signal::windows::ctrl_c()
        .map_err(|e| BatonError::internal(format!("listening for Ctrl-C: {e}")))
}

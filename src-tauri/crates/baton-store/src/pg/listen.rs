//! Other Batons' writes, pushed: every change-log entry is announced with `pg_notify`
//! in its transaction (delivered at commit); a [`ChangeListener`] holds its own
//! connection that `LISTEN`s, so the service's change watch wakes as soon as another
//! app or the CLI commits, instead of at its next poll.
use super::{pg_err, PgWorkspace};
use baton_core::Result;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_postgres::tls::TlsStream;
use tokio_postgres::{AsyncMessage, Connection};

/// The notification channel of the change log.
pub(crate) const CHANNEL: &str = "baton_change";

/// A `LISTEN` on the change log's channel. Dropping it closes its connection.
pub struct ChangeListener {
    rx: Receiver<()>,
    _client: tokio_postgres::Client,
    driver: tokio::task::JoinHandle<()>,
}

/// What waiting for a change gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Heard {
    /// Another write was committed (or several).
    Change,
    /// Nothing within the time given.
    Quiet,
    /// The listening connection is gone (server restarted, network down).
    Lost,
}

impl ChangeListener {
    /// Wait up to `timeout` for a committed change; several pending ones count once.
    pub fn wait(&self, timeout: Duration) -> Heard {
        match self.rx.recv_timeout(timeout) {
            Ok(()) => {
                while self.rx.try_recv().is_ok() {}
                Heard::Change
            }
            Err(RecvTimeoutError::Timeout) => Heard::Quiet,
            Err(RecvTimeoutError::Disconnected) => Heard::Lost,
        }
    }
}

impl Drop for ChangeListener {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

impl PgWorkspace {
    /// Listen for the changes other connections commit to this workspace, on a
    /// connection with the pool's TLS settings.
    pub fn listen(&self) -> Result<ChangeListener> {
        let context = format!("listening for changes on {}", self.shown());
        let (tx, rx) = channel();
        let (client, driver) = self.run(async {
            let config = &self.target.config;
            let (client, driver) = match &self.tls {
                None => {
                    let (client, conn) = config
                        .connect(tokio_postgres::NoTls)
                        .await
                        .map_err(|e| pg_err(&context, e))?;
                    (client, tokio::spawn(forward(conn, tx)))
                }
                Some(tls) => {
                    let (client, conn) = config
                        .connect(tls.clone())
                        .await
                        .map_err(|e| pg_err(&context, e))?;
                    (client, tokio::spawn(forward(conn, tx)))
                }
            };
            client
                .batch_execute(&format!("LISTEN {CHANNEL}"))
                .await
                .map_err(|e| pg_err(&context, e))?;
            Ok((client, driver))
        })?;
        Ok(ChangeListener {
            rx,
            _client: client,
            driver,
        })
    }
}

/// Drive the listening connection, passing each notification on; returns (dropping
/// the sender, so the listener hears `Lost`) when the connection ends.
async fn forward<S, T>(mut conn: Connection<S, T>, tx: Sender<()>)
where
    S: AsyncRead + AsyncWrite + Unpin,
    T: TlsStream + Unpin,
{
    while let Some(message) = std::future::poll_fn(|cx| conn.poll_message(cx)).await {
        match message {
            Ok(AsyncMessage::Notification(_)) => {
                if tx.send(()).is_err() {
                    return;
                }
            }
            Ok(_) => {}
            Err(_) => return,
        }
    }
}

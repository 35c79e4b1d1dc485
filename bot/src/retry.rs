//! Telegram calls retried with backoff: network errors and timeouts up to
//! [`ATTEMPTS`] times (0.3 s, 0.9 s, 2.7 s), and "retry after N seconds"
//! (flood control) waits as told, up to a minute.

use std::time::Duration;

use teloxide::RequestError;
use teloxide::requests::{Output, Request};

pub const ATTEMPTS: u32 = 4;

/// Sends `request`, retrying what may succeed later.
pub async fn send<R>(request: R) -> Result<Output<R>, RequestError>
where
    R: Request<Err = RequestError>,
{
    let mut delay = Duration::from_millis(300);
    let mut attempt = 1;
    loop {
        match request.send_ref().await {
            Ok(out) => return Ok(out),
            Err(RequestError::RetryAfter(wait)) if attempt < ATTEMPTS && wait.seconds() <= 60 => {
                tracing::warn!(seconds = wait.seconds(), "Telegram asks to wait");
                tokio::time::sleep(wait.duration()).await;
            }
            Err(e @ (RequestError::Network(_) | RequestError::Io(_))) if attempt < ATTEMPTS => {
                tracing::warn!(error = %e, attempt, "Telegram call failed; retrying");
                tokio::time::sleep(delay).await;
                delay *= 3;
            }
            Err(e) => return Err(e),
        }
        attempt += 1;
    }
}

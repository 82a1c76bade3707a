//! Host name lookups with a time limit. The system resolver can wait far longer than any
//! connect time-out when a DNS server never answers, and reqwest's connect time-out does not
//! cover the lookup; this one gives up after the connect time-out.

use std::net::SocketAddr;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("looking up {host} timed out after {}s", .after.as_secs_f32())]
    Timeout { host: String, after: Duration },
    #[error("cannot look up {host}: {source}")]
    Failed { host: String, source: std::io::Error },
    #[error("{host} has no address")]
    NoAddress { host: String },
}

/// The system resolver (getaddrinfo, on tokio's blocking threads), bounded by `timeout`.
#[derive(Debug, Clone)]
pub struct BoundedResolver {
    pub timeout: Duration,
}

impl Resolve for BoundedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let timeout = self.timeout;
        Box::pin(async move {
            let lookup = async {
                let found = tokio::net::lookup_host((host.as_str(), 0)).await;
                found.map(|addrs| addrs.collect::<Vec<SocketAddr>>())
            };
            let addrs = bounded(&host, timeout, lookup).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Waits for `lookup` at most `timeout`.
pub async fn bounded<F>(host: &str, timeout: Duration, lookup: F) -> Result<Vec<SocketAddr>, ResolveError>
where
    F: Future<Output = std::io::Result<Vec<SocketAddr>>>,
{
    match tokio::time::timeout(timeout, lookup).await {
        Err(_) => Err(ResolveError::Timeout { host: host.to_string(), after: timeout }),
        Ok(Err(source)) => Err(ResolveError::Failed { host: host.to_string(), source }),
        Ok(Ok(addrs)) if addrs.is_empty() => Err(ResolveError::NoAddress { host: host.to_string() }),
        Ok(Ok(addrs)) => Ok(addrs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_lookup_that_never_answers_gives_up_after_the_time_out() {
        let never = std::future::pending::<std::io::Result<Vec<SocketAddr>>>();
        let result = bounded("slow.example", Duration::from_secs(10), never).await;
        assert!(matches!(result, Err(ResolveError::Timeout { .. })), "{result:?}");
        assert_eq!(result.unwrap_err().to_string(), "looking up slow.example timed out after 10s");
    }

    #[tokio::test]
    async fn answers_and_failures_pass_through() {
        let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let found = bounded("a.example", Duration::from_secs(1), async { Ok(vec![addr]) }).await.unwrap();
        assert_eq!(found, vec![addr]);
        let failed =
            bounded("b.example", Duration::from_secs(1), async { Err(std::io::Error::other("no such host")) }).await;
        assert!(matches!(failed, Err(ResolveError::Failed { .. })));
        let empty = bounded("c.example", Duration::from_secs(1), async { Ok(vec![]) }).await;
        assert!(matches!(empty, Err(ResolveError::NoAddress { .. })));
    }

    #[tokio::test]
    async fn the_system_resolver_finds_localhost() {
        let resolver = BoundedResolver { timeout: Duration::from_secs(5) };
        let name: Name = "localhost".parse().unwrap();
        let addrs: Vec<SocketAddr> = resolver.resolve(name).await.unwrap().collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()), "{addrs:?}");
    }
}

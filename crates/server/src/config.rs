//! The command line: everything the server needs to start.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use clap::Parser;

/// The database used when `--database` is not given; its `data` directory is created on demand.
pub const DEFAULT_DATABASE: &str = "sqlite://data/thidua.sqlite3";

/// thidua-server: the public results of emulation blocs (khối thi đua), as a JSON API and the web app.
#[derive(Clone, Debug, Parser)]
#[command(name = "thidua-server", version, about)]
pub struct Config {
    /// Address to listen on, `host:port` (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080", value_parser = parse_addr)]
    pub addr: SocketAddr,

    /// Database URL, e.g. `sqlite://data/thidua.sqlite3` (the file is created if missing).
    #[arg(long, default_value = DEFAULT_DATABASE)]
    pub database: String,

    /// Directory of the built web app (Trunk's `dist`).
    #[arg(long, default_value = "dist")]
    pub static_dir: PathBuf,

    /// Fill an empty database with the demo data (the 2018 Culture–Society bloc) on start.
    #[arg(long)]
    pub demo: bool,
}

/// Accepts `127.0.0.1:8080`, `[::1]:8080` and names such as `localhost:8080`.
fn parse_addr(s: &str) -> Result<SocketAddr, String> {
    s.to_socket_addrs()
        .map_err(|e| format!("not a host:port address ({e})"))?
        .next()
        .ok_or_else(|| "the name resolves to no address".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let c = Config::try_parse_from(["thidua-server"]).unwrap();
        assert_eq!(c.addr, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(c.database, DEFAULT_DATABASE);
        assert_eq!(c.static_dir, PathBuf::from("dist"));
        assert!(!c.demo);
    }

    #[test]
    fn addresses() {
        assert!(parse_addr("0.0.0.0:0").is_ok());
        assert!(parse_addr("[::1]:8080").is_ok());
        assert!(parse_addr("localhost:8080").is_ok());
        assert!(parse_addr("8080").is_err());
        assert!(Config::try_parse_from(["thidua-server", "--addr", "nonsense"]).is_err());
    }
}

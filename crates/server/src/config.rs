//! The command line: everything the server needs to start, and the `create-user` command.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use thidua_domain::auth::Role;
use thidua_domain::UnitId;

/// The database used when `--database` is not given; its `data` directory is created on demand.
pub const DEFAULT_DATABASE: &str = "sqlite://data/thidua.sqlite3";

/// thidua-server: the public results of emulation blocs (khối thi đua), as a JSON API and the web app.
#[derive(Clone, Debug, Parser)]
#[command(name = "thidua-server", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(flatten)]
    pub serve: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Create an account; the password is the first line of standard input. This is how
    /// the first staff account of a new installation is made.
    CreateUser(CreateUser),
    /// Copy every table of a database (ids and versions kept) into a new, empty PostgreSQL
    /// database, then check the row counts: how an installation moves from SQLite.
    CopyDatabase(CopyDatabase),
    /// Write a consistent snapshot of the database to a new file (a SQLite file, whichever
    /// engine the database is on), while servers keep running; then check it.
    Backup(Backup),
    /// Restore a backup into a new, empty database (SQLite or PostgreSQL), then check that
    /// every table's row count and every published revision's bytes are the backup's.
    Restore(Restore),
}

#[derive(Clone, Debug, Args)]
pub struct Backup {
    /// The database to back up, as for the server.
    #[arg(long, env = "THIDUA_DATABASE", default_value = DEFAULT_DATABASE)]
    pub database: String,
    /// The backup file to write; it must not exist.
    #[arg(long)]
    pub to: PathBuf,
}

#[derive(Clone, Debug, Args)]
pub struct Restore {
    /// A file written by `backup`.
    #[arg(long)]
    pub from: PathBuf,
    /// An empty database: `sqlite://PATH` (created if missing) or `postgres://…`.
    #[arg(long)]
    pub to: String,
}

#[derive(Clone, Debug, Args)]
pub struct CopyDatabase {
    /// The database to copy, e.g. `sqlite://data/thidua.sqlite3` (its schema is brought up to
    /// date first, as the server would).
    #[arg(long)]
    pub from: String,
    /// An empty PostgreSQL database, e.g. `postgres://thidua@db.example/thidua`.
    #[arg(long)]
    pub to: String,
}

#[derive(Clone, Debug, Args)]
pub struct CreateUser {
    /// Lower-case letters, digits, `.`, `_` and `-`.
    #[arg(long)]
    pub username: String,
    /// The name shown in the app and the audit trail, e.g. "Ban Thi đua – Khen thưởng tỉnh".
    #[arg(long)]
    pub display_name: String,
    /// staff, unit_officer or leader_officer.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    /// The officer's unit (officers only).
    #[arg(long)]
    pub unit_id: Option<UnitId>,
    /// Database URL, as for the server.
    #[arg(long, env = "THIDUA_DATABASE", default_value = DEFAULT_DATABASE)]
    pub database: String,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "expected staff, unit_officer or leader_officer".to_owned())
}

/// How the server runs.
#[derive(Clone, Debug, Args)]
pub struct Config {
    /// Address to listen on, `host:port` (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080", value_parser = parse_addr)]
    pub addr: SocketAddr,

    /// Database URL: `sqlite://data/thidua.sqlite3` (the file is created if missing), or
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/NAME` for several servers on one database.
    #[arg(long, env = "THIDUA_DATABASE", default_value = DEFAULT_DATABASE)]
    pub database: String,

    /// Connections this server keeps to the database at most (default 10 for PostgreSQL).
    /// With N servers on one PostgreSQL, N × this must stay below its `max_connections`.
    #[arg(long, env = "THIDUA_POOL_SIZE", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub pool_size: Option<u32>,

    /// Directory of the built web app (Trunk's `dist`).
    #[arg(long, default_value = "dist")]
    pub static_dir: PathBuf,

    /// Fill an empty database with the demo data (the 2018 Culture–Society bloc, 2019 being
    /// scored, and demo accounts) on start.
    #[arg(long)]
    pub demo: bool,

    /// Seconds a client has to send a request's headers, from the moment the connection opens
    /// or the previous answer ends (so this also closes an idle keep-alive connection).
    #[arg(long, env = "THIDUA_HEADER_TIMEOUT", default_value = "10", value_parser = parse_seconds)]
    pub header_timeout: Duration,

    /// Seconds a connection may stay with nothing moving either way (a body sent slowly, an
    /// answer not read) before it is closed. Keep it above the request timeout.
    #[arg(long, env = "THIDUA_IDLE_TIMEOUT", default_value = "60", value_parser = parse_seconds)]
    pub idle_timeout: Duration,

    /// Seconds within which a request is answered; a slower one gets 408 `request_timeout`.
    #[arg(long, env = "THIDUA_REQUEST_TIMEOUT", default_value = "30", value_parser = parse_seconds)]
    pub request_timeout: Duration,

    /// Take the client's address from the last `X-Forwarded-For` entry (the one the proxy in
    /// front appended), for the sign-in limits. Only behind a proxy that sets it: otherwise
    /// any client could claim any address.
    #[arg(long, env = "THIDUA_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Serve Prometheus metrics at `/metrics` on this second address only (e.g.
    /// `127.0.0.1:9091`, reached by the monitoring host and never through the public proxy).
    #[arg(long, env = "THIDUA_METRICS_ADDR", value_parser = parse_addr)]
    pub metrics_addr: Option<SocketAddr>,

    /// Serve `/metrics` on the main address too, to requests with `Authorization: Bearer
    /// TOKEN` (at least 16 characters). Without this or `--metrics-addr`, nothing serves metrics.
    #[arg(long, env = "THIDUA_METRICS_TOKEN", value_parser = parse_token, hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Log lines as `text` (default) or `json` (one JSON object a line, for a log collector).
    #[arg(long, env = "THIDUA_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,

    /// The largest evidence file accepted, in MiB.
    #[arg(long, env = "THIDUA_MAX_FILE_MIB", default_value = "25", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_file_mib: u64,

    /// The most all of one score sheet's evidence files may hold together, in MiB.
    #[arg(long, env = "THIDUA_MAX_SHEET_MIB", default_value = "300", value_parser = clap::value_parser!(u64).range(1..=65536))]
    pub max_sheet_mib: u64,
}

impl Config {
    /// The evidence files' limits these settings give.
    pub fn file_limits(&self) -> thidua_domain::files::FileLimits {
        thidua_domain::files::FileLimits { per_file: self.max_file_mib << 20, per_sheet: self.max_sheet_mib << 20 }
    }
}

/// A bearer token long enough not to be guessed.
fn parse_token(s: &str) -> Result<String, String> {
    let ok = s.chars().count() >= 16 && s.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| s.to_owned()).ok_or_else(|| "expected at least 16 visible ASCII characters, no spaces".to_owned())
}

impl Default for Config {
    /// The settings without any flag, as `thidua-server` alone starts.
    fn default() -> Config {
        Cli::parse_from(["thidua-server"]).serve
    }
}

/// Whole seconds, at least 1: a timeout of 0 would refuse every request.
fn parse_seconds(s: &str) -> Result<Duration, String> {
    match s.parse::<u64>() {
        Ok(0) | Err(_) => Err("expected a whole number of seconds, at least 1".to_owned()),
        Ok(n) => Ok(Duration::from_secs(n)),
    }
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
        let cli = Cli::try_parse_from(["thidua-server"]).unwrap();
        assert!(cli.command.is_none());
        let c = cli.serve;
        assert_eq!(c.addr, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(c.database, DEFAULT_DATABASE);
        assert_eq!(c.static_dir, PathBuf::from("dist"));
        assert!(!c.demo);
        assert_eq!(
            (c.header_timeout, c.idle_timeout, c.request_timeout),
            (Duration::from_secs(10), Duration::from_secs(60), Duration::from_secs(30))
        );
        assert!(!c.trust_proxy);
    }

    #[test]
    fn timeouts_are_whole_seconds() {
        let c = Cli::try_parse_from(["thidua-server", "--header-timeout", "3", "--request-timeout", "5"]).unwrap();
        assert_eq!((c.serve.header_timeout, c.serve.request_timeout), (Duration::from_secs(3), Duration::from_secs(5)));
        for bad in ["0", "-1", "1.5", "soon"] {
            assert!(Cli::try_parse_from(["thidua-server", "--idle-timeout", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn addresses() {
        assert!(parse_addr("0.0.0.0:0").is_ok());
        assert!(parse_addr("[::1]:8080").is_ok());
        assert!(parse_addr("localhost:8080").is_ok());
        assert!(parse_addr("8080").is_err());
        assert!(Cli::try_parse_from(["thidua-server", "--addr", "nonsense"]).is_err());
    }

    #[test]
    fn create_user() {
        let args =
            ["thidua-server", "create-user", "--username", "bantdkt", "--display-name", "Ban TĐKT", "--role", "staff"];
        let Some(Command::CreateUser(c)) = Cli::try_parse_from(args).unwrap().command else { panic!("a command") };
        assert_eq!((c.username.as_str(), c.role, c.unit_id), ("bantdkt", Role::Staff, None));
        assert_eq!(c.database, DEFAULT_DATABASE);
        let bad_role = ["thidua-server", "create-user", "--username", "a", "--display-name", "A", "--role", "admin"];
        assert!(Cli::try_parse_from(bad_role).is_err());
        assert!(Cli::try_parse_from(["thidua-server", "--demo", "create-user"]).is_err(), "serve flags do not mix in");
    }
}

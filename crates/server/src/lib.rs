//! thidua-server: the reference backend. A JSON API over SQLite or PostgreSQL whose rules all come from
//! `thidua_domain` (public results; signed-in scoring), its OpenAPI document, and the built SPA.
//!
//! `main.rs` only parses the command line; tests start the same [`Server`] in-process.

pub mod accounts;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod config;
pub mod copy;
pub mod criteria_csv;
pub mod db;
pub mod documents;
pub mod dossier;
pub mod evidence;
pub mod export;
pub mod http;
pub mod metrics;
pub mod revisions;
pub mod seed;
pub mod serve;
pub mod store;
pub mod throttle;

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Router;
use tokio::net::TcpListener;

pub use config::{Cli, Command, Config};
use db::Db;
pub use http::{router, AppState};

/// Why the server could not start or keep running; `main` prints it as one line.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("cannot create the directory {}: {source}", path.display())]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error("cannot load the demo data: {0}")]
    Demo(seed::SeedError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("cannot record the published results as revisions: {0}")]
    Revisions(store::LookupError),
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

/// A server with its database open and its port bound, not yet answering.
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    app: Router,
    db: Db,
    /// Print the demo accounts after the "listening" line.
    demo_accounts: bool,
    timeouts: serve::Timeouts,
    /// `--metrics-addr`: a listener that serves only `/metrics`.
    metrics: Option<TcpListener>,
}

impl Server {
    /// Opens and migrates the database, binds the address, loads the demo data if asked.
    /// Fails before anything is logged, so a bad start is a single line of output.
    pub async fn bind(config: &Config) -> Result<Server, StartError> {
        let db = open_database_sized(&config.database, config.pool_size).await?;
        let listen_error = |source| StartError::Listen { addr: config.addr, source };
        let listener = TcpListener::bind(config.addr).await.map_err(listen_error)?;
        let addr = listener.local_addr().map_err(listen_error)?;
        let mut demo_accounts = false;
        if config.demo {
            if seed::load_demo(&db).await.map_err(StartError::Demo)? {
                tracing::info!("loaded the demo data into {}", config.database);
            } else {
                tracing::info!("{} already holds data: the demo data was not loaded", config.database);
            }
            demo_accounts = seed::has_demo_accounts(&db).await.map_err(|e| StartError::Demo(e.into()))?;
        }
        let metrics = match config.metrics_addr {
            Some(addr) => {
                let error = |source| StartError::Listen { addr, source };
                Some(TcpListener::bind(addr).await.map_err(error)?)
            }
            None => None,
        };
        let app = router(AppState::new(db.clone(), config));
        let timeouts = serve::Timeouts { header: config.header_timeout, idle: config.idle_timeout };
        Ok(Server { listener, addr, app, db, demo_accounts, timeouts, metrics })
    }

    /// The address of the metrics listener, if there is one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// The address actually bound (the real port when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers requests until `shutdown` completes, lets requests in flight finish, then
    /// closes the database (checkpointing its WAL).
    pub async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), StartError> {
        // The metrics listener lives as long as the main one.
        let metrics = self.metrics.map(|listener| {
            let app = http::metrics_router(metrics::Access { token_hash: None, db: self.db.clone() });
            tokio::spawn(async move { axum::serve(listener, app).await })
        });
        let result = serve::serve(self.listener, self.app, self.timeouts, shutdown).await;
        if let Some(task) = metrics {
            task.abort();
        }
        self.db.close().await;
        result.map_err(StartError::Serve)
    }
}

/// Opens (creating the default `data` directory if needed) and migrates the database.
pub async fn open_database(url: &str) -> Result<Db, StartError> {
    open_database_sized(url, None).await
}

/// As `open_database`, with at most `pool_size` connections.
pub async fn open_database_sized(url: &str, pool_size: Option<u32>) -> Result<Db, StartError> {
    if url == config::DEFAULT_DATABASE {
        // Only the default lives in a directory we own; a path someone gave us must exist.
        let path = PathBuf::from("data");
        std::fs::create_dir_all(&path).map_err(|source| StartError::DataDir { path, source })?;
    }
    let db = db::connect_sized(url, pool_size).await?;
    // Bloc-years published before migration 0008 get their revision 1's results now.
    let filled = revisions::fill_pending(&db).await.map_err(StartError::Revisions)?;
    if filled > 0 {
        tracing::info!("recorded {filled} published result(s) as revision 1");
    }
    Ok(db)
}

/// Starts the server, announces it on stdout (one line, which scripts and tests wait for)
/// and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), StartError> {
    let server = Server::bind(&config).await?;
    let mut stdout = std::io::stdout().lock();
    // A closed stdout must not stop (or panic) the server.
    let _ = writeln!(stdout, "thidua-server listening on http://{}/", server.local_addr());
    if let Some(addr) = server.metrics_addr() {
        tracing::info!("metrics on http://{addr}/metrics");
    }
    if server.demo_accounts {
        let _ = write!(stdout, "{}", seed::demo_accounts_text());
    }
    let _ = stdout.flush();
    drop(stdout);
    server.serve(shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM. If a signal cannot be watched, that signal never fires
/// (rather than shutting the server down at once).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

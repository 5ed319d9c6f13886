//! `thidua-server`: parse the command line, start (or run a command), and turn every failure
//! into one line.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;
use thidua_server::{Cli, Command};
use tracing_subscriber::EnvFilter;

/// mimalloc rather than glibc's malloc: see the dependency's note in Cargo.toml (the tests and
/// the library keep the system allocator; this is the deployed binary's choice).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // clap's first line names the problem ("error: unexpected argument '--foo' found");
            // the rest is usage advice that `--help` gives anyway.
            let rendered = e.render().to_string();
            eprintln!("{}", rendered.lines().next().unwrap_or("error: invalid arguments"));
            return ExitCode::from(2);
        }
    };

    // Logs go to stderr; stdout carries only the "listening on" line (and the demo accounts).
    // A command logs warnings only, so its output stays one line.
    let default_filter = if cli.command.is_some() { "warn,sqlx=warn" } else { "info,sqlx=warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if cli.command.is_none() && cli.serve.log_format == "json" {
        logs.json().init();
    } else {
        logs.with_ansi(std::io::stderr().is_terminal()).init();
    }

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match &cli.command {
        None => runtime.block_on(thidua_server::run(cli.serve)).map_err(|e| e.to_string()),
        Some(Command::CreateUser(args)) => runtime
            .block_on(thidua_server::cli::create_user(args, std::io::stdin().lock()))
            .map(|line| println!("{line}"))
            .map_err(|e| e.to_string()),
        Some(Command::CopyDatabase(args)) => runtime
            .block_on(thidua_server::copy::copy_database(&args.from, &args.to))
            .map(print_lines)
            .map_err(|e| e.to_string()),
        Some(Command::Backup(args)) => runtime
            .block_on(thidua_server::backup::backup(&args.database, &args.to))
            .map(print_lines)
            .map_err(|e| e.to_string()),
        Some(Command::Restore(args)) => runtime
            .block_on(thidua_server::backup::restore(&args.from, &args.to))
            .map(print_lines)
            .map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", e.replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

fn print_lines(lines: Vec<String>) {
    for line in lines {
        println!("{line}");
    }
}

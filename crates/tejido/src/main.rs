//! The `tejido` binary: one subcommand per file under `cmd/`, all sharing the configuration
//! rules in `config.rs` (defaults → TOML file → `TEJIDO_*` environment → flags).

mod cmd;
mod config;
mod demo;

use clap::{Parser, Subcommand};

/// Tejido: a self-hosted platform where networks of civil-society organizations build and sustain
/// learning communities.
#[derive(Parser, Debug)]
#[command(name = "tejido", version, about, long_about = None)]
pub struct Cli {
    /// TOML configuration file (also TEJIDO_CONFIG).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<String>,
    /// Database URL: sqlite://PATH (default sqlite://tejido.db) or postgres://… (also TEJIDO_DATABASE_URL).
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (migrates the database first).
    Serve(cmd::serve::ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the Spanish demo dataset into an empty database.
    Demo,
    /// Administrative tasks on accounts.
    #[command(subcommand)]
    Admin(cmd::admin::AdminCommand),
    /// Inspect the configuration.
    #[command(subcommand)]
    Config(cmd::config::ConfigCommand),
    /// Social network analysis of a graph file (edge list, CSV, GraphML, GEXF).
    Sna(cmd::sna::SnaArgs),
    /// Write a community's report for a period as HTML, XLSX or CSV files.
    Report(cmd::report::ReportArgs),
    /// List every route the server answers: method, path, access level and capability.
    Routes,
}

impl Cli {
    fn flags(&self) -> config::Flags {
        let (bind, base_url) = match &self.command {
            Command::Serve(a) => (a.bind.clone(), a.base_url.clone()),
            _ => (None, None),
        };
        config::Flags {
            config: self.config.clone(),
            database_url: self.database_url.clone(),
            bind,
            base_url,
        }
    }
}

fn main() {
    let cli = Cli::parse();
    if let Command::Sna(args) = cli.command {
        // Pure computation: no configuration, database or async runtime needed.
        if let Err(e) = cmd::sna::run(args) {
            eprintln!("error: {e:#}");
            std::process::exit(1);
        }
        return;
    }
    if let Command::Routes = cli.command {
        // The route registry as data: no configuration or database needed.
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        for r in tejido_web::features::table() {
            let line = (r.method, r.path, r.access.as_str(), r.feature);
            if writeln!(out, "{}\t{}\t{}\t{}", line.0, line.1, line.2, line.3).is_err() {
                return; // a closed pipe (`| head`) ends the listing
            }
        }
        return;
    }
    let cfg = match config::load(&cli.flags(), &|k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    init_logging(&cfg.log);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Serve(args) => cmd::serve::run(cfg, args).await,
            Command::Migrate => cmd::migrate::run(cfg).await,
            Command::Demo => cmd::demo::run(cfg).await,
            Command::Admin(a) => cmd::admin::run(cfg, a).await,
            Command::Config(c) => cmd::config::run(cfg, c).await,
            Command::Report(a) => cmd::report::run(cfg, a).await,
            Command::Sna(_) | Command::Routes => Ok(()),
        }
    });
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn init_logging(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!("{level},sqlx=warn,tower_http=warn"))
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_lists_every_subcommand_with_a_sentence() {
        let help = Cli::command().render_help().to_string();
        for sub in [
            "serve", "migrate", "demo", "admin", "config", "sna", "report", "routes",
        ] {
            let line = help
                .lines()
                .find(|l| l.trim_start().starts_with(sub))
                .unwrap_or_else(|| panic!("{sub} missing:\n{help}"));
            assert!(
                line.split_whitespace().count() > 2,
                "{sub} has no description: {line}"
            );
        }
    }
}

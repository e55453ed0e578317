//! `tejido config check`: print the effective settings, secrets hidden, and where each came from.

use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Show the effective configuration with secrets hidden.
    Check,
}

pub async fn run(cfg: Config, cmd: ConfigCommand) -> anyhow::Result<()> {
    match cmd {
        ConfigCommand::Check => {
            print!("{}", cfg.describe());
            println!("configuration is valid");
        }
    }
    Ok(())
}

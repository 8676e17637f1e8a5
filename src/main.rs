//! ramsecret: parse, run, report. Each subcommand lives in `app`.

mod app;
mod cache;
mod cli;
mod config;
mod credentials;
mod emulator;
mod error;
mod exec;
mod kms;
mod output;
mod secret;

use clap::Parser;

fn main() {
    if let Some(code) = cache::fast_get() {
        std::process::exit(code);
    }
    let cli = cli::Cli::parse();
    let code = match app::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ramsecret: error: {e}");
            e.exit() as i32
        }
    };
    std::process::exit(code);
}

//! ramsecret: parse, run, report. Each subcommand lives in `app`.

use clap::Parser;
use ramsecret::{app, cache, cli};

fn main() {
    // A fresh cache hit is answered before clap, logging or any runtime is set up.
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

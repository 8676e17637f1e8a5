//! One small function per subcommand: config -> credentials -> kms -> output.
use crate::cli::{Cli, Command};
use crate::error::Result;

pub fn run(cli: Cli) -> Result<i32> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| crate::error::Error::io("cannot start the async runtime", e))?;
    match cli.command {
        Command::DevServer(args) => rt.block_on(crate::emulator::run(args)).map(|_| 0),
        _ => Err(crate::error::Error::Usage("not implemented".into())),
    }
}

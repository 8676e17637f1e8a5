//! Local KMS emulator (`ramsecret dev-server`). STUB.
use crate::cli::DevServerArgs;
use crate::error::Result;

pub async fn run(_args: DevServerArgs) -> Result<()> {
    Err(crate::error::Error::Usage("dev-server not implemented".into()))
}
pub mod demo;
pub mod call;

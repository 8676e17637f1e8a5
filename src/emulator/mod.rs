//! Local KMS emulator (`ramsecret dev-server`). STUB.
use crate::cli::DevServerArgs;
use crate::error::Result;

pub async fn run(_args: DevServerArgs) -> Result<()> {
    Err(crate::error::Error::Usage("dev-server not implemented".into()))
}
pub mod demo;
pub mod call;
pub const DEMO_SECRET: &str = "acs/ram/user/ramsecret-demo";
pub struct Running {
    pub http_url: String,
    pub dkms_url: String,
    pub ak_properties: std::path::PathBuf,
    pub dkms_properties: std::path::PathBuf,
}
pub async fn start(_args: DevServerArgs) -> Result<Running> {
    Err(crate::error::Error::Usage("dev-server not implemented".into()))
}

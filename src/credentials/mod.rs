//! How we prove who we are to KMS. STUB.
use crate::error::Exit;

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct CredentialsError {
    pub message: String,
}
impl CredentialsError {
    pub fn exit(&self) -> Exit {
        Exit::Config
    }
}

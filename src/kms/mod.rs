//! KMS clients. STUB.
pub mod proto;
pub mod sign;
use crate::error::Exit;

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct KmsError {
    pub message: String,
}
impl KmsError {
    pub fn exit(&self) -> Exit {
        Exit::Unavailable
    }
}

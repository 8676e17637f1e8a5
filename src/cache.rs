//! Cache of fetched secrets shared by all invocations of one user. STUB: no caching yet.
use crate::cli::{CacheCommand, GlobalArgs};
use crate::error::{Error, Result};
use crate::kms::SecretRequest;
use crate::secret::RamSecret;

pub fn fetch(
    g: &GlobalArgs,
    req: &SecretRequest,
    from_kms: fn(&GlobalArgs, &SecretRequest) -> Result<RamSecret>,
) -> Result<RamSecret> {
    from_kms(g, req)
}

pub fn command(_g: &GlobalArgs, _cmd: CacheCommand) -> Result<i32> {
    Err(Error::Usage("cache: not implemented yet".into()))
}

/// Fetch from KMS even when a fresh entry exists, and store the result (exec's rotation checks).
pub fn refetch(
    g: &GlobalArgs,
    req: &SecretRequest,
    from_kms: fn(&GlobalArgs, &SecretRequest) -> Result<RamSecret>,
) -> Result<RamSecret> {
    from_kms(g, req)
}

/// Drop the entry so other processes fetch again (exec saw an invalid-key code).
pub fn invalidate(_g: &GlobalArgs, _req: &SecretRequest) {}

//! `ramsecret dev-call`: what an SDK-based child does with its injected key. STUB.
pub async fn run(_a: crate::cli::DevCallArgs) -> crate::error::Result<i32> {
    Err(crate::error::Error::Usage(
        "dev-call: not implemented yet".into(),
    ))
}

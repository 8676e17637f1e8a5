//! `env` and `exec`: hand the AccessKey to any process. STUB.
use crate::cli::{EnvArgs, ExecArgs, GlobalArgs};
use crate::error::{Error, Result};

pub fn env(_g: &GlobalArgs, _a: EnvArgs) -> Result<i32> {
    Err(Error::Usage("env: not implemented yet".into()))
}

pub fn exec(_g: &GlobalArgs, _a: ExecArgs) -> Result<i32> {
    Err(Error::Usage("exec: not implemented yet".into()))
}

//! The top-level error, and the one place that maps errors to documented exit codes.

use crate::{
    config::ConfigError, credentials::CredentialsError, kms::KmsError, secret::SecretError,
};

/// Exit codes: documented in README and `ramsecret --help`; scripts branch on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Anything not covered below (I/O on stdout, internal faults).
    Failure = 1,
    /// Bad command line (clap uses 2 as well).
    Usage = 2,
    /// The configuration is missing or wrong (file, key, ClientKey, password, CA file).
    Config = 3,
    /// KMS (or STS / the metadata service) refused our credentials: signature, key, permission.
    Refused = 4,
    /// The secret does not exist, or is not an AccessKey secret.
    NotFound = 5,
    /// KMS unreachable, timed out or throttled after every retry and region.
    Unavailable = 6,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    #[error(transparent)]
    Kms(#[from] KmsError),
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("{0}")]
    Usage(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn exit(&self) -> Exit {
        match self {
            Error::Config(_) => Exit::Config,
            Error::Credentials(e) => e.exit(),
            Error::Kms(e) => e.exit(),
            Error::Secret(_) => Exit::NotFound,
            Error::Usage(_) => Exit::Usage,
            Error::Io { .. } => Exit::Failure,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

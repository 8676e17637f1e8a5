//! ramsecret: fetch Alibaba Cloud RAM secrets (KMS-managed AccessKeys) and hand them to any
//! process. The binary (`main.rs`) only parses and reports; everything lives in these modules.
//! It is a library only so that the fuzz targets and tests can call the parsers directly.

pub mod app;
pub mod cache;
pub mod cli;
pub mod config;
pub mod credentials;
pub mod emulator;
pub mod error;
pub mod exec;
pub mod fuzzing;
pub mod kms;
pub mod output;
pub mod secret;

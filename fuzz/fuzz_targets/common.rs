// The pure modules of the `ramsecret` binary crate, included by path (there is no library
// target). Each fuzz target `include!`s this file.
#[allow(dead_code)]
#[path = "../../src/secret.rs"]
pub mod secret;
#[allow(dead_code)]
#[path = "../../src/kms/proto.rs"]
pub mod proto;
#[allow(dead_code)]
#[path = "../../src/config/properties.rs"]
pub mod properties;
#[allow(unused_imports)]
mod kms {
    pub use super::proto;
}
#[allow(unused_imports)]
mod config {
    pub use super::properties;
}

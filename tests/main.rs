//! Integration tests: the real binary against the emulator (`ramsecret dev-server`) over real
//! sockets and TLS. One test binary, one module per topic.

mod support;

mod cache;
mod cli;
mod dkms;
mod emulator;
mod env;
mod exec;
mod faults;
mod fuzz;
mod get;

//! Integration tests: the real binary against the emulator (`ramsecret dev-server`) over real
//! sockets and TLS. One test binary, one module per topic.

mod support;

mod cli;
mod dkms;
mod emulator;
mod env;
mod exec;
mod get;
mod cache;
mod faults;
mod fuzz;

//! `ramsecret demo`. STUB until the emulator lands.
pub fn run() -> crate::error::Result<i32> {
    Err(crate::error::Error::Usage("demo not implemented yet".into()))
}

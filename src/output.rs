//! Output formats. STUB.

//! Memory: physical frames and the kernel heap.

pub mod frame;
pub mod heap;

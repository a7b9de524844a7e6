//! Memory: physical frames and the kernel heap.

pub mod dma;
pub mod frame;
pub mod heap;

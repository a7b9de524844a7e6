//! Inter-process communication primitives (futexes for now; pipes live in
//! fs::pipe as they are files).

pub mod futex;

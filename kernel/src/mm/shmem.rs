//! Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS, shared /dev/zero):
//! a page store that every mapping of it, across fork, maps directly.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use kevlar_hal::mem::frame::PhysFrame;
use kevlar_hal::sync::SpinLock;

use super::PageSource;
use crate::errno::{Errno, KResult};

static NEXT_INO: AtomicU64 = AtomicU64::new(1);

/// An anonymous shared memory object.
pub struct SharedAnon {
    pages: SpinLock<BTreeMap<u64, PhysFrame>>,
    size: u64,
    ino: u64,
}

impl SharedAnon {
    /// A zero-filled object of `size` bytes.
    pub fn new(size: u64) -> Arc<SharedAnon> {
        Arc::new(SharedAnon { pages: SpinLock::new(BTreeMap::new()), size, ino: NEXT_INO.fetch_add(1, Ordering::Relaxed) })
    }
}

impl PageSource for SharedAnon {
    fn page(&self, index: u64) -> KResult<PhysFrame> {
        let mut pages = self.pages.lock();
        if let Some(f) = pages.get(&index) {
            return Ok(f.clone());
        }
        let f = PhysFrame::alloc_zeroed().ok_or(Errno::ENOMEM)?;
        pages.insert(index, f.clone());
        Ok(f)
    }

    fn cached(&self, index: u64) -> bool {
        self.pages.lock().contains_key(&index)
    }

    fn size(&self) -> u64 {
        self.size
    }

    fn path(&self) -> Vec<u8> {
        b"/dev/zero (deleted)".to_vec()
    }

    fn dev_ino(&self) -> (u64, u64) {
        (crate::fs::inode::make_dev(0, 1), self.ino)
    }
}

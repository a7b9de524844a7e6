//! The vDSO: a shared object (kernel/vdso/, built by kernel/build.rs) that
//! answers clock_gettime, gettimeofday and time in user space, and the data
//! page it reads ([vvar]), mapped into every program at exec and named to
//! it by AT_SYSINFO_EHDR.
//!
//! The kernel's clocks are linear in the TSC (hal::arch::time), so the data
//! page holds the TSC at boot, the multiplier and the real-time base under
//! a sequence counter; only clock_settime changes it.

use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_hal::mem::frame::PhysFrame;
use kevlar_hal::sync::SpinLock;

use super::address_space::{AddressSpace, Placement};
use super::vma::{Backing, PageSource, Prot, VmaKind};
use crate::errno::{Errno, KResult};

static IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/vdso.so"));
const PAGE: usize = 4096;

/// Layout of the data page (kernel/vdso/vdso.c's `struct vdso_data`).
const SEQ: usize = 0;
const TSC_BOOT: usize = 8;
const MULT: usize = 16;
const REALTIME_BASE: usize = 24;

/// Frames shared by every process's mapping.
struct Pages {
    frames: Vec<PhysFrame>,
}

impl PageSource for Pages {
    fn page(&self, index: u64) -> KResult<PhysFrame> {
        self.frames.get(index as usize).cloned().ok_or(Errno::EFAULT)
    }
    fn cached(&self, index: u64) -> bool {
        (index as usize) < self.frames.len()
    }
    fn size(&self) -> u64 {
        (self.frames.len() * PAGE) as u64
    }
    fn path(&self) -> Vec<u8> {
        Vec::new()
    }
    fn dev_ino(&self) -> (u64, u64) {
        (0, 0)
    }
}

struct Vdso {
    data: Arc<Pages>,
    text: Arc<Pages>,
}

static VDSO: SpinLock<Option<Arc<Vdso>>> = SpinLock::new(None);

fn build() -> Option<Vdso> {
    let data = PhysFrame::alloc_zeroed()?;
    let (tsc_boot, mult) = kevlar_hal::arch::time::clock_parameters();
    data.write(TSC_BOOT, &tsc_boot.to_ne_bytes());
    data.write(MULT, &mult.to_ne_bytes());
    data.write(REALTIME_BASE, &crate::time::realtime_minus_monotonic().to_ne_bytes());
    let mut text = Vec::new();
    for chunk in IMAGE.chunks(PAGE) {
        let f = PhysFrame::alloc_zeroed()?;
        f.write(0, chunk);
        text.push(f);
    }
    Some(Vdso { data: Arc::new(Pages { frames: alloc::vec![data] }), text: Arc::new(Pages { frames: text }) })
}

fn get() -> Option<Arc<Vdso>> {
    let mut g = VDSO.lock();
    if g.is_none() {
        *g = build().map(Arc::new);
    }
    g.clone()
}

/// Maps [vvar] and [vdso] into `mm` just below the mmap area; returns
/// the vDSO's address (AT_SYSINFO_EHDR), or None if it is turned off
/// (`kevlar.vdso=0`) or memory is short.
pub fn map_into(mm: &AddressSpace) -> Option<u64> {
    if !crate::cmdline::vdso_enabled() {
        return None;
    }
    let v = get()?;
    let text_len = v.text.frames.len() * PAGE;
    let base = super::address_space::MMAP_BASE - PAGE - text_len;
    let file = |source: &Arc<Pages>| Backing::File { source: source.clone() as Arc<dyn PageSource>, offset: 0, valid_len: None, path: None };
    mm.map(Placement::Fixed(base), PAGE, Prot::READ, false, file(&v.data), VmaKind::Vvar).ok()?;
    mm.map(Placement::Fixed(base + PAGE), text_len, Prot::READ | Prot::EXEC, false, file(&v.text), VmaKind::Vdso).ok()?;
    Some((base + PAGE) as u64)
}

/// CLOCK_REALTIME was set: the data page gets the new base (the sequence
/// counter is odd while it changes, so readers retry).
pub fn clock_was_set() {
    let Some(v) = VDSO.lock().clone() else { return };
    let f = &v.data.frames[0];
    let seq = f.read_u64(SEQ) as u32;
    f.write(SEQ, &seq.wrapping_add(1).to_ne_bytes());
    core::sync::atomic::fence(core::sync::atomic::Ordering::SeqCst);
    f.write(REALTIME_BASE, &crate::time::realtime_minus_monotonic().to_ne_bytes());
    core::sync::atomic::fence(core::sync::atomic::Ordering::SeqCst);
    f.write(SEQ, &seq.wrapping_add(2).to_ne_bytes());
}

//! virtio-blk over PCI, first stage: the legacy (transitional) register
//! interface in I/O space, one split virtqueue, one request in flight,
//! completion by polling the used ring. QEMU's virtio-blk-pci offers this
//! interface on the PCI bus; the modern interface, interrupts and several
//! requests in flight come next (docs/compat.md).
//!
//! A request is three descriptors: the header (type, sector) the device
//! reads, the data buffer (the device writes it for a read), and the
//! status byte the device writes. Data goes through a bounce buffer of
//! `MAX_SECTORS` sectors in DMA memory.

use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;

use kevlar_hal::arch::io::{inb, inl, inw, outb, outl, outw};
use kevlar_hal::arch::pci;
use kevlar_hal::mem::dma::DmaRegion;
use kevlar_hal::sync::SpinLock;

use super::{BlockDevice, Disk, SECTOR};
use crate::errno::{Errno, KResult};

const VENDOR_VIRTIO: u16 = 0x1af4;
/// The transitional virtio-blk device id.
const DEVICE_BLK_LEGACY: u16 = 0x1001;

// Legacy register offsets in BAR0 (I/O space).
const REG_DEVICE_FEATURES: u16 = 0x00;
const REG_GUEST_FEATURES: u16 = 0x04;
const REG_QUEUE_PFN: u16 = 0x08;
const REG_QUEUE_SIZE: u16 = 0x0c;
const REG_QUEUE_SELECT: u16 = 0x0e;
const REG_QUEUE_NOTIFY: u16 = 0x10;
const REG_STATUS: u16 = 0x12;
const REG_ISR: u16 = 0x13;
/// Device configuration (without MSI-X): capacity in sectors, u64.
const REG_CAPACITY: u16 = 0x14;

const STATUS_ACKNOWLEDGE: u8 = 1;
const STATUS_DRIVER: u8 = 2;
const STATUS_DRIVER_OK: u8 = 4;
const STATUS_FAILED: u8 = 128;

const F_RO: u32 = 1 << 5;
const F_FLUSH: u32 = 1 << 9;

const T_IN: u32 = 0;
const T_OUT: u32 = 1;
const T_FLUSH: u32 = 4;

const DESC_NEXT: u16 = 1;
const DESC_WRITE: u16 = 2;

/// Sectors per request (the bounce buffer: 64 KiB).
const MAX_SECTORS: usize = 128;
/// How long to wait for a completion before calling it an I/O error.
const POLL_LIMIT: u64 = 2_000_000_000;

/// One legacy virtio-blk device.
pub struct VirtioBlk {
    io: u16,
    capacity: u64,
    read_only: bool,
    flush: bool,
    queue: SpinLock<Queue>,
}

/// The split virtqueue in its legacy layout (descriptors, the available
/// ring, then the used ring on the next page boundary), plus the request
/// header, status byte and bounce buffer.
struct Queue {
    size: u16,
    ring: DmaRegion,
    avail_off: usize,
    used_off: usize,
    /// Header (16 bytes) at 0, status byte at 16.
    req: DmaRegion,
    data: DmaRegion,
    next_avail: u16,
    last_used: u16,
}

fn align_page(n: usize) -> usize {
    n.div_ceil(4096) * 4096
}

impl VirtioBlk {
    /// Sets up the device whose BAR0 is I/O space at `io`; None (with a
    /// console message) if it does not behave.
    fn init(io: u16, name: &str) -> Option<VirtioBlk> {
        outb(io + REG_STATUS, 0);
        outb(io + REG_STATUS, STATUS_ACKNOWLEDGE);
        outb(io + REG_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        let features = inl(io + REG_DEVICE_FEATURES);
        outl(io + REG_GUEST_FEATURES, features & (F_RO | F_FLUSH));
        outw(io + REG_QUEUE_SELECT, 0);
        let size = inw(io + REG_QUEUE_SIZE);
        if size == 0 || size > 32768 || !size.is_power_of_two() {
            kevlar_hal::println!("[kevlar] virtio-blk {}: bad queue size {}", name, size);
            outb(io + REG_STATUS, STATUS_FAILED);
            return None;
        }
        let n = size as usize;
        let avail_off = 16 * n;
        let used_off = align_page(avail_off + 6 + 2 * n);
        let ring_len = used_off + align_page(6 + 8 * n);
        let (Some(ring), Some(req), Some(data)) = (DmaRegion::alloc(ring_len / 4096), DmaRegion::alloc(1), DmaRegion::alloc(MAX_SECTORS * SECTOR / 4096)) else {
            kevlar_hal::println!("[kevlar] virtio-blk {}: no memory for the queue", name);
            outb(io + REG_STATUS, STATUS_FAILED);
            return None;
        };
        outl(io + REG_QUEUE_PFN, (ring.paddr(0) >> 12) as u32);
        outb(io + REG_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
        let capacity = inl(io + REG_CAPACITY) as u64 | (inl(io + REG_CAPACITY + 4) as u64) << 32;
        Some(VirtioBlk {
            io,
            capacity,
            read_only: features & F_RO != 0,
            flush: features & F_FLUSH != 0,
            queue: SpinLock::new(Queue { size, ring, avail_off, used_off, req, data, next_avail: 0, last_used: 0 }),
        })
    }

    /// Runs one request: `kind`, at `sector`, `len` bytes of the bounce
    /// buffer (device-writable for a read). Polls for the completion.
    fn request(&self, q: &mut Queue, kind: u32, sector: u64, len: usize) -> KResult<()> {
        let mut hdr = [0u8; 16];
        hdr[0..4].copy_from_slice(&kind.to_le_bytes());
        hdr[8..16].copy_from_slice(&sector.to_le_bytes());
        q.req.write(0, &hdr);
        q.req.write(16, &[0xff]);
        let mut descs = alloc::vec::Vec::new();
        descs.push((q.req.paddr(0), 16u32, DESC_NEXT));
        if len > 0 {
            let flags = DESC_NEXT | if kind == T_IN { DESC_WRITE } else { 0 };
            descs.push((q.data.paddr(0), len as u32, flags));
        }
        descs.push((q.req.paddr(16), 1, DESC_WRITE));
        for (i, (addr, dlen, flags)) in descs.iter().enumerate() {
            let mut d = [0u8; 16];
            d[0..8].copy_from_slice(&addr.to_le_bytes());
            d[8..12].copy_from_slice(&dlen.to_le_bytes());
            d[12..14].copy_from_slice(&flags.to_le_bytes());
            let next = if flags & DESC_NEXT != 0 { i as u16 + 1 } else { 0 };
            d[14..16].copy_from_slice(&next.to_le_bytes());
            q.ring.write(16 * i, &d);
        }
        let slot = q.avail_off + 4 + 2 * (q.next_avail % q.size) as usize;
        q.ring.write_u16(slot, 0);
        q.next_avail = q.next_avail.wrapping_add(1);
        q.ring.write_u16(q.avail_off + 2, q.next_avail);
        outw(self.io + REG_QUEUE_NOTIFY, 0);
        let mut spins: u64 = 0;
        while q.ring.read_u16(q.used_off + 2) == q.last_used {
            spins += 1;
            if spins > POLL_LIMIT {
                kevlar_hal::println!("[kevlar] virtio-blk: request timed out");
                return Err(Errno::EIO);
            }
            core::hint::spin_loop();
        }
        q.last_used = q.last_used.wrapping_add(1);
        // Reading the ISR acknowledges the interrupt the device raised.
        let _ = inb(self.io + REG_ISR);
        if q.req.read_u8(16) != 0 { Err(Errno::EIO) } else { Ok(()) }
    }

    fn check_range(&self, sector: u64, bytes: usize) -> KResult<()> {
        let end = sector.checked_add((bytes / SECTOR) as u64).ok_or(Errno::EIO)?;
        if bytes % SECTOR != 0 || end > self.capacity {
            return Err(Errno::EIO);
        }
        Ok(())
    }
}

impl BlockDevice for VirtioBlk {
    fn sectors(&self) -> u64 {
        self.capacity
    }

    fn read_only(&self) -> bool {
        self.read_only
    }

    fn read(&self, sector: u64, buf: &mut [u8]) -> KResult<()> {
        self.check_range(sector, buf.len())?;
        let mut q = self.queue.lock();
        for (k, chunk) in buf.chunks_mut(MAX_SECTORS * SECTOR).enumerate() {
            let at = sector + (k * MAX_SECTORS) as u64;
            self.request(&mut q, T_IN, at, chunk.len())?;
            q.data.read(0, chunk);
        }
        Ok(())
    }

    fn write(&self, sector: u64, buf: &[u8]) -> KResult<()> {
        if self.read_only {
            return Err(Errno::EROFS);
        }
        self.check_range(sector, buf.len())?;
        let mut q = self.queue.lock();
        for (k, chunk) in buf.chunks(MAX_SECTORS * SECTOR).enumerate() {
            let at = sector + (k * MAX_SECTORS) as u64;
            q.data.write(0, chunk);
            self.request(&mut q, T_OUT, at, chunk.len())?;
        }
        Ok(())
    }

    fn flush(&self) -> KResult<()> {
        if !self.flush {
            return Ok(());
        }
        let mut q = self.queue.lock();
        self.request(&mut q, T_FLUSH, 0, 0)
    }
}

/// Finds virtio-blk devices on PCI bus 0..=255 and registers each as
/// vda, vdb, ... (253:0, 253:16, ... as Linux numbers them).
pub fn probe() {
    let mut found = 0u32;
    for bus in 0..=255u8 {
        for dev in 0..32u8 {
            let id = pci::read32(bus, dev, 0, 0);
            if id & 0xffff == 0xffff {
                continue;
            }
            let functions = if pci::read32(bus, dev, 0, 0x0c) >> 16 & 0x80 != 0 { 8 } else { 1 };
            for func in 0..functions {
                let id = pci::read32(bus, dev, func, 0);
                if id as u16 != VENDOR_VIRTIO || (id >> 16) as u16 != DEVICE_BLK_LEGACY {
                    continue;
                }
                let bar0 = pci::read32(bus, dev, func, 0x10);
                if bar0 & 1 == 0 || bar0 & !3 > 0xffff {
                    kevlar_hal::println!("[kevlar] virtio-blk at {:02x}:{:02x}.{}: BAR0 is not I/O space, skipped", bus, dev, func);
                    continue;
                }
                // I/O space and bus mastering on.
                let cmd = pci::read32(bus, dev, func, 0x04);
                pci::write32(bus, dev, func, 0x04, cmd | 0x1 | 0x4);
                let letter = (b'a' + found as u8) as char;
                let name = format!("vd{}", letter);
                let Some(blk) = VirtioBlk::init((bar0 & !3) as u16, &name) else { continue };
                kevlar_hal::println!(
                    "[kevlar] {}: virtio-blk (legacy, polled), {} MiB{}",
                    name,
                    blk.capacity * SECTOR as u64 >> 20,
                    if blk.read_only { ", read-only" } else { "" }
                );
                let minor = found * 16;
                let blk: Arc<dyn BlockDevice> = Arc::new(blk);
                super::register(Disk { name: String::from(name.as_str()), major: 253, minor, device: blk });
                if let Err(e) = crate::fs::devices::add_block_node(name.as_bytes(), 253, minor) {
                    kevlar_hal::println!("[kevlar] {}: no device node: {:?}", name, e);
                }
                found += 1;
                if found == 26 {
                    return;
                }
            }
        }
    }
}

//! The mounted file system: mount, inode I/O, transactions, statfs,
//! sync and unmount. The operations themselves live in file.rs, dir.rs,
//! namei.rs and xattr.rs as further `impl Fs` blocks.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use crate::bytes::*;
use crate::cache::Disk;
use crate::device::BlockDevice;
use crate::error::{Error, Result};
use crate::group::{GroupDesc, Layout};
use crate::inode::*;
use crate::journal::Journal;
use crate::superblock::*;

/// How to mount.
#[derive(Clone, Debug)]
pub struct MountOptions {
    /// Never write to the device (a dirty journal is still replayed, as
    /// Linux does, unless `replay_journal` is false).
    pub read_only: bool,
    /// Replay a dirty journal at mount (Linux's `noload` turns this off,
    /// which forces a read-only mount).
    pub replay_journal: bool,
    /// The current time, for timestamps the library sets itself.
    pub clock: fn() -> Timestamp,
    /// Metadata cache size in blocks (dirty blocks are pinned beyond it).
    pub cache_blocks: usize,
    /// Commit when the running transaction reaches this many blocks
    /// (0: a quarter of the journal, or 4096 blocks without one).
    pub max_transaction_blocks: usize,
}

fn zero_clock() -> Timestamp {
    Timestamp::default()
}

impl Default for MountOptions {
    fn default() -> MountOptions {
        MountOptions {
            read_only: false,
            replay_journal: true,
            clock: zero_clock,
            cache_blocks: 8192,
            max_transaction_blocks: 0,
        }
    }
}

/// statfs(2) figures, computed as Linux's ext4_statfs does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatFs {
    pub f_type: u64,
    pub f_bsize: u64,
    pub f_blocks: u64,
    pub f_bfree: u64,
    pub f_bavail: u64,
    pub f_files: u64,
    pub f_ffree: u64,
    pub f_fsid: [u32; 2],
    pub f_namelen: u64,
    pub f_frsize: u64,
}

/// The file type as directory entries record it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Unknown,
    Regular,
    Directory,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
    Symlink,
}

impl FileType {
    /// From the S_IFMT bits of a mode.
    pub fn from_mode(mode: u16) -> FileType {
        match mode & S_IFMT {
            S_IFREG => FileType::Regular,
            S_IFDIR => FileType::Directory,
            S_IFCHR => FileType::CharDevice,
            S_IFBLK => FileType::BlockDevice,
            S_IFIFO => FileType::Fifo,
            S_IFSOCK => FileType::Socket,
            S_IFLNK => FileType::Symlink,
            _ => FileType::Unknown,
        }
    }
    /// The ext4 dirent file_type code.
    pub fn to_dirent(self) -> u8 {
        match self {
            FileType::Unknown => 0,
            FileType::Regular => 1,
            FileType::Directory => 2,
            FileType::CharDevice => 3,
            FileType::BlockDevice => 4,
            FileType::Fifo => 5,
            FileType::Socket => 6,
            FileType::Symlink => 7,
        }
    }
    pub fn from_dirent(t: u8) -> FileType {
        match t {
            1 => FileType::Regular,
            2 => FileType::Directory,
            3 => FileType::CharDevice,
            4 => FileType::BlockDevice,
            5 => FileType::Fifo,
            6 => FileType::Socket,
            7 => FileType::Symlink,
            _ => FileType::Unknown,
        }
    }
    /// The DT_* value getdents64 reports.
    pub fn dt(self) -> u8 {
        match self {
            FileType::Unknown => 0,
            FileType::Fifo => 1,
            FileType::CharDevice => 2,
            FileType::Directory => 4,
            FileType::BlockDevice => 6,
            FileType::Regular => 8,
            FileType::Symlink => 10,
            FileType::Socket => 12,
        }
    }
}

/// What stat(2)/statx(2) need to know about an inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr {
    pub ino: Ino,
    /// Type and permission bits.
    pub mode: u16,
    pub nlink: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    /// Space used in 512-byte units.
    pub blocks: u64,
    pub atime: Timestamp,
    pub mtime: Timestamp,
    pub ctime: Timestamp,
    /// Creation time (zero when the inode has no room for it).
    pub crtime: Timestamp,
    /// Device number (major, minor) of a special file.
    pub rdev: (u32, u32),
    /// ext4 inode flags (FS_IOC_GETFLAGS values are these, masked).
    pub flags: u32,
    pub generation: u32,
    /// Preferred I/O size: the block size.
    pub blksize: u32,
}

/// A mounted ext4 (or ext2/ext3) file system on device `D`.
pub struct Fs<D: BlockDevice> {
    pub(crate) disk: Disk<D>,
    pub(crate) sb: Superblock,
    pub(crate) layout: Layout,
    pub(crate) groups: Vec<GroupDesc>,
    pub(crate) groups_dirty: BTreeSet<u32>,
    /// (group, is the inode bitmap) whose checksum needs recomputing.
    pub(crate) bitmaps_dirty: BTreeSet<(u32, bool)>,
    pub(crate) sb_dirty: bool,
    /// The metadata_csum seed, when checksums are on.
    pub(crate) csum: Option<u32>,
    pub(crate) ro_reason: Option<String>,
    pub(crate) opts: MountOptions,
    pub(crate) journal: Option<Journal>,
    /// Runs freed in the running transaction (start -> length).
    pub(crate) recent_frees: BTreeMap<u64, u64>,
    /// Open references per inode (see `hold`/`release`).
    pub(crate) open: BTreeMap<Ino, u32>,
    /// Overhead in blocks for statfs.
    pub(crate) overhead: u64,
    /// Whether mount changed the on-disk state flags (restore at unmount).
    pub(crate) mounted_rw: bool,
    /// Notes from mount (journal replayed, orphans processed), for the
    /// kernel to print.
    pub mount_notes: Vec<String>,
}

impl<D: BlockDevice> core::fmt::Debug for Fs<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Fs").field("sb", &self.sb).field("ro_reason", &self.ro_reason).finish()
    }
}

/// Why a mount failed, with the device handed back.
pub struct MountError<D> {
    pub device: D,
    pub error: Error,
}

impl<D> core::fmt::Debug for MountError<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "MountError({:?})", self.error)
    }
}

fn read_superblock<D: BlockDevice>(dev: &mut D) -> Result<Superblock> {
    let mut raw = [0u8; SUPERBLOCK_SIZE];
    dev.read_at(SUPERBLOCK_OFFSET, &mut raw)?;
    Superblock::parse(&raw, dev.size())
}

impl<D: BlockDevice> Fs<D> {
    /// Mount the file system on `dev`.
    ///
    /// Refuses (handing the device back) when there is no ext2/3/4
    /// superblock, when incompatible features it cannot read are on, or
    /// when the structures needed to read are corrupt. Mounts read-only,
    /// with `read_only_reason` saying why, when it can read but not safely
    /// write: unsupported read-only-compatible features, descriptor
    /// checksum errors, a journal it could not replay.
    pub fn mount(mut dev: D, opts: MountOptions) -> core::result::Result<Fs<D>, MountError<D>> {
        let sb = match read_superblock(&mut dev) {
            Ok(sb) => sb,
            Err(error) => return Err(MountError { device: dev, error }),
        };
        let unsupported = sb.unsupported_incompat();
        if unsupported != 0 {
            return Err(MountError { device: dev, error: Error::Unsupported("incompatible feature flags") });
        }
        let layout = Layout::new(&sb);
        let bs = sb.block_size as usize;
        let blocks = sb.blocks_count;
        let mut fs = Fs {
            disk: Disk::new(dev, bs, blocks, opts.cache_blocks),
            csum: sb.has_metadata_csum().then(|| sb.csum_seed()),
            sb,
            layout,
            groups: Vec::new(),
            groups_dirty: BTreeSet::new(),
            bitmaps_dirty: BTreeSet::new(),
            sb_dirty: false,
            ro_reason: None,
            opts,
            journal: None,
            recent_frees: BTreeMap::new(),
            open: BTreeMap::new(),
            overhead: 0,
            mounted_rw: false,
            mount_notes: Vec::new(),
        };
        match fs.finish_mount() {
            Ok(()) => Ok(fs),
            Err(error) => Err(MountError { device: fs.disk.dev, error }),
        }
    }

    fn finish_mount(&mut self) -> Result<()> {
        if let Some(r) = self.sb.read_only_reason() {
            self.ro_reason = Some(r);
        }
        if !self.sb.has_extents() && self.ro_reason.is_none() {
            self.ro_reason = Some(String::from("no extents feature: writing block-mapped (ext2/ext3) files is not supported"));
        }
        self.load_groups()?;
        if self.sb.has_journal() {
            if self.sb.incompat & INCOMPAT_JOURNAL_DEV != 0 {
                return Err(Error::Unsupported("external journal device"));
            }
            let jino = if self.sb.journal_inum != 0 { self.sb.journal_inum } else { JOURNAL_INO };
            let jinode = self.read_inode(jino)?;
            let mut journal = Journal::load(self, &jinode)?;
            if journal.needs_recovery() {
                if self.opts.replay_journal {
                    let n = journal.replay(&mut self.disk, self.csum.is_some())?;
                    self.mount_notes.push(alloc::format!("journal: replayed {n} transactions"));
                    self.disk.invalidate();
                    // The replay may have rewritten the superblock and the
                    // descriptors: read them again.
                    let mut raw = [0u8; SUPERBLOCK_SIZE];
                    self.disk.dev.read_at(SUPERBLOCK_OFFSET, &mut raw)?;
                    let sb = Superblock::parse(&raw, self.disk.dev.size())?;
                    self.layout = Layout::new(&sb);
                    self.csum = sb.has_metadata_csum().then(|| sb.csum_seed());
                    self.sb = sb;
                    self.sb.incompat &= !INCOMPAT_RECOVER;
                    self.disk.blocks_count = self.sb.blocks_count;
                    self.load_groups()?;
                    self.write_super_now()?;
                } else {
                    self.ro_reason.get_or_insert(String::from("journal needs recovery and replay is off"));
                }
            }
            self.journal = Some(journal);
        }
        self.overhead = self.compute_overhead();
        if self.opts.read_only {
            self.ro_reason.get_or_insert(String::from("mounted read-only"));
        }
        if self.ro_reason.is_some() {
            return Ok(());
        }
        // Going read-write: mark the file system in use, as Linux does.
        self.mounted_rw = true;
        self.sb.state &= !STATE_VALID;
        if self.journal.is_some() {
            self.sb.incompat |= INCOMPAT_RECOVER;
        }
        self.sb.mnt_count = self.sb.mnt_count.wrapping_add(1);
        self.sb.mtime = self.now().sec as u32;
        self.sb_dirty = true;
        self.process_orphans()?;
        self.commit()?;
        Ok(())
    }

    fn load_groups(&mut self) -> Result<()> {
        let lay = self.layout.clone();
        let mut groups = Vec::with_capacity(lay.group_count as usize);
        let mut bad_csum = 0u32;
        let itb = lay.inode_table_blocks;
        for i in 0..lay.gdt_blocks {
            let blk = lay.gdt_block(&self.sb, i);
            let b = self.disk.read(blk)?.to_vec();
            for j in 0..lay.descs_per_block {
                let g = (i * lay.descs_per_block as u64 + j as u64) as u32;
                if g >= lay.group_count {
                    break;
                }
                let raw = &b[j as usize * lay.desc_size..(j as usize + 1) * lay.desc_size];
                let d = GroupDesc::parse(raw, lay.desc_size);
                if !GroupDesc::checksum_ok(&self.sb, g, raw) {
                    bad_csum += 1;
                }
                let fdb = lay.first_data_block;
                let end = lay.blocks_count;
                if d.block_bitmap < fdb || d.block_bitmap >= end
                    || d.inode_bitmap < fdb || d.inode_bitmap >= end
                    || d.inode_table < fdb || d.inode_table + itb > end
                {
                    return Err(Error::Corrupt("group descriptor points outside the file system"));
                }
                groups.push(d);
            }
        }
        if bad_csum > 0 {
            self.ro_reason.get_or_insert(alloc::format!("{bad_csum} group descriptor checksums do not match"));
        }
        self.groups = groups;
        Ok(())
    }

    /// Overhead as Linux computes it for statfs: s_overhead_clusters when
    /// recorded, otherwise every group's metadata plus the journal.
    fn compute_overhead(&self) -> u64 {
        if self.sb.overhead_clusters != 0 && (self.sb.overhead_clusters as u64) < self.sb.blocks_count {
            return self.sb.overhead_clusters as u64;
        }
        let mut total = self.layout.first_data_block;
        for g in 0..self.layout.group_count {
            let start = self.layout.group_start(g);
            let end = start + self.layout.group_len(g);
            let mut runs = self.group_meta_runs(g);
            runs.sort_unstable();
            let mut covered = start;
            for (s, n) in runs {
                let s = s.max(covered).max(start);
                let e = (s.max(start) + n).min(end);
                let e = e.max(s);
                if e > s {
                    total += e - s;
                    covered = e;
                }
            }
        }
        if let Some(j) = &self.journal {
            total += j.total_len();
        }
        total
    }

    // ---- small helpers -------------------------------------------------

    pub(crate) fn now(&self) -> Timestamp {
        (self.opts.clock)()
    }

    pub(crate) fn check_writable(&self) -> Result<()> {
        if self.ro_reason.is_some() { Err(Error::ReadOnly) } else { Ok(()) }
    }

    /// The file-system block size in bytes.
    pub fn block_size(&self) -> u32 {
        self.sb.block_size
    }

    /// Why the file system is read-only, or None when it is writable.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.ro_reason.as_deref()
    }

    /// Whether writes are refused.
    pub fn is_read_only(&self) -> bool {
        self.ro_reason.is_some()
    }

    /// The superblock's feature words (compat, incompat, ro_compat).
    pub fn features(&self) -> (u32, u32, u32) {
        (self.sb.compat, self.sb.incompat, self.sb.ro_compat)
    }

    /// The volume UUID.
    pub fn uuid(&self) -> [u8; 16] {
        self.sb.uuid
    }

    /// Blocks in the metadata cache that wait for the next commit.
    pub fn pending_blocks(&self) -> usize {
        self.disk.dirty_count()
    }

    /// The device (for statistics or tests).
    pub fn device(&self) -> &D {
        &self.disk.dev
    }

    /// The device, mutably (tests use it to simulate a crash).
    pub fn device_mut(&mut self) -> &mut D {
        &mut self.disk.dev
    }

    fn inode_loc(&self, ino: Ino) -> Result<(u64, usize)> {
        if ino == 0 || ino > self.sb.inodes_count {
            return Err(Error::Corrupt("inode number out of range"));
        }
        let ipg = self.sb.inodes_per_group;
        let g = ((ino - 1) / ipg) as usize;
        let byte = ((ino - 1) % ipg) as u64 * self.sb.inode_size as u64;
        let bs = self.layout.block_size;
        Ok((self.groups[g].inode_table + byte / bs, (byte % bs) as usize))
    }

    /// Read and check inode `ino`.
    pub(crate) fn read_inode(&mut self, ino: Ino) -> Result<Inode> {
        let (blk, off) = self.inode_loc(ino)?;
        let isz = self.sb.inode_size as usize;
        let csum = self.csum;
        let b = self.disk.read(blk)?;
        let raw = &b[off..off + isz];
        if let Some(seed) = csum {
            if !inode_checksum_ok(seed, ino, raw) {
                return Err(Error::Corrupt("inode checksum mismatch"));
            }
        }
        Inode::parse(ino, raw, self.sb.has_huge_file(), self.sb.block_size)
    }

    /// Read an inode that a directory entry or the caller names: it must be
    /// in use.
    pub(crate) fn get_inode(&mut self, ino: Ino) -> Result<Inode> {
        let inode = self.read_inode(ino)?;
        if inode.links == 0 && inode.mode == 0 {
            return Err(Error::Corrupt("reference to a free inode"));
        }
        Ok(inode)
    }

    /// Write an inode back into its table block.
    pub(crate) fn write_inode(&mut self, inode: &mut Inode) -> Result<()> {
        self.check_writable()?;
        let (blk, off) = self.inode_loc(inode.ino)?;
        let raw = inode.encode(self.sb.has_huge_file(), self.sb.block_size, self.csum)?;
        let b = self.disk.modify(blk)?;
        b[off..off + raw.len()].copy_from_slice(raw);
        Ok(())
    }

    /// An inode's attributes.
    pub fn stat(&mut self, ino: Ino) -> Result<Attr> {
        let i = self.get_inode(ino)?;
        Ok(self.attr_of(&i))
    }

    pub(crate) fn attr_of(&self, i: &Inode) -> Attr {
        let special = matches!(i.file_type(), S_IFCHR | S_IFBLK);
        Attr {
            ino: i.ino,
            mode: i.mode,
            nlink: if i.is_dir() && i.links == 1 && self.sb.has_dir_nlink() { 1 } else { i.links as u32 },
            uid: i.uid,
            gid: i.gid,
            size: i.size,
            blocks: i.blocks,
            atime: i.atime,
            mtime: i.mtime,
            ctime: i.ctime,
            crtime: i.crtime,
            rdev: if special { i.rdev() } else { (0, 0) },
            flags: i.flags,
            generation: i.generation,
            blksize: self.sb.block_size,
        }
    }

    /// statfs(2) as Linux's ext4 reports it.
    pub fn statfs(&self) -> StatFs {
        let blocks = self.sb.blocks_count;
        let bfree = self.sb.free_blocks;
        // Linux reserves min(2%, 4096 clusters) on extent file systems on
        // top of s_r_blocks_count.
        let resv = if self.sb.has_extents() { (blocks / 50).min(4096) } else { 0 };
        let reserved = self.sb.r_blocks_count + resv;
        let u = &self.sb.uuid;
        let lo = u64::from_le_bytes([u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7]]);
        let hi = u64::from_le_bytes([u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]]);
        let fsid = lo ^ hi;
        StatFs {
            f_type: EXT4_MAGIC as u64,
            f_bsize: self.sb.block_size as u64,
            f_blocks: blocks.saturating_sub(self.overhead),
            f_bfree: bfree,
            f_bavail: bfree.saturating_sub(reserved),
            f_files: self.sb.inodes_count as u64,
            f_ffree: self.sb.free_inodes as u64,
            f_fsid: [fsid as u32, (fsid >> 32) as u32],
            f_namelen: 255,
            f_frsize: self.sb.block_size as u64,
        }
    }

    // ---- transactions ----------------------------------------------------

    fn transaction_limit(&self) -> usize {
        if self.opts.max_transaction_blocks > 0 {
            return self.opts.max_transaction_blocks;
        }
        match &self.journal {
            Some(j) => j.max_transaction_blocks(),
            None => 4096,
        }
    }

    /// Commit first when the running transaction is large; operations call
    /// this before they start so one operation never spans two commits.
    pub(crate) fn begin_op(&mut self) -> Result<()> {
        self.check_writable()?;
        if self.disk.dirty_count() >= self.transaction_limit() {
            self.commit()?;
        }
        Ok(())
    }

    fn super_location(&self) -> (u64, usize) {
        let bs = self.layout.block_size;
        (SUPERBLOCK_OFFSET / bs, (SUPERBLOCK_OFFSET % bs) as usize)
    }

    /// Put the superblock and the changed descriptors into their blocks.
    fn stage_metadata(&mut self) -> Result<()> {
        self.update_bitmap_csums()?;
        let dirty = core::mem::take(&mut self.groups_dirty);
        let dpb = self.layout.descs_per_block;
        let ds = self.layout.desc_size;
        for g in dirty {
            let raw = self.groups[g as usize].encode(&self.sb, g);
            let blk = self.layout.gdt_block(&self.sb, (g / dpb) as u64);
            let off = (g % dpb) as usize * ds;
            let b = self.disk.modify(blk)?;
            b[off..off + ds].copy_from_slice(&raw);
        }
        if self.sb_dirty {
            self.sb.wtime = self.now().sec as u32;
            let raw = self.sb.encode();
            let (blk, off) = self.super_location();
            let b = self.disk.modify_super(blk)?;
            b[off..off + SUPERBLOCK_SIZE].copy_from_slice(&raw);
            self.sb_dirty = false;
        }
        Ok(())
    }

    /// Write the superblock straight to its place (after journal replay).
    fn write_super_now(&mut self) -> Result<()> {
        let raw = self.sb.encode();
        self.disk.dev.write_at(SUPERBLOCK_OFFSET, &raw)?;
        self.disk.dev.flush()
    }

    /// Commit the running transaction: through the journal when there is
    /// one (data already on disk, log blocks, commit record, then the
    /// blocks in place), else in place.
    pub(crate) fn commit(&mut self) -> Result<()> {
        if self.ro_reason.is_some() {
            return Ok(());
        }
        self.stage_metadata()?;
        if self.disk.dirty_count() == 0 {
            return Ok(());
        }
        let now = self.now();
        match self.journal.as_mut() {
            Some(j) => j.commit(&mut self.disk, now, self.csum.is_some())?,
            None => {
                let blocks: Vec<(u64, Vec<u8>)> = self.disk.dirty_blocks().map(|(b, d)| (b, d.to_vec())).collect();
                let refs: Vec<(u64, &[u8])> = blocks.iter().map(|(b, d)| (*b, &d[..])).collect();
                self.disk.write_merged(&refs)?;
                self.disk.dev.flush()?;
            }
        }
        let bs = self.layout.block_size;
        self.sb.kbytes_written += (self.disk.dirty_count() as u64 * bs) / 1024;
        self.disk.mark_all_clean();
        self.recent_frees.clear();
        Ok(())
    }

    /// Make everything written so far durable (sync(2), fsync(2)).
    pub fn sync(&mut self) -> Result<()> {
        if self.ro_reason.is_some() {
            return Ok(());
        }
        self.commit()?;
        self.disk.dev.flush()
    }

    /// Unmount: free what unlinked-but-open files still held, commit, mark
    /// the file system clean and hand the device back.
    pub fn unmount(mut self) -> Result<D> {
        if self.ro_reason.is_none() {
            let held: Vec<Ino> = self.open.keys().copied().collect();
            self.open.clear();
            for ino in held {
                self.evict_if_unlinked(ino)?;
            }
            self.commit()?;
            if self.mounted_rw {
                self.sb.state |= STATE_VALID;
                self.sb.incompat &= !INCOMPAT_RECOVER;
                self.sb_dirty = true;
                self.commit()?;
            }
            if let Some(j) = self.journal.as_mut() {
                j.mark_empty(&mut self.disk)?;
            }
            self.disk.dev.flush()?;
        }
        Ok(self.disk.dev)
    }

    /// Commit the current metadata to the journal but do not write it in
    /// place, then stop as a power cut would (tests of replay).
    #[doc(hidden)]
    pub fn crash_after_journal_commit(mut self) -> Result<D> {
        self.stage_metadata()?;
        let now = self.now();
        if let Some(j) = self.journal.as_mut() {
            j.commit_without_checkpoint(&mut self.disk, now, self.csum.is_some())?;
        }
        Ok(self.disk.dev)
    }

    // ---- open references and orphans -----------------------------------

    /// Note that `ino` is open: if it is unlinked while held, its blocks
    /// are kept (on the orphan list) until the last `release`.
    pub fn hold(&mut self, ino: Ino) {
        *self.open.entry(ino).or_insert(0) += 1;
    }

    /// Drop an open reference; the last one frees an unlinked inode.
    pub fn release(&mut self, ino: Ino) -> Result<()> {
        let Some(n) = self.open.get_mut(&ino) else { return Ok(()) };
        *n -= 1;
        if *n > 0 {
            return Ok(());
        }
        self.open.remove(&ino);
        if self.ro_reason.is_some() {
            return Ok(());
        }
        self.begin_op()?;
        self.evict_if_unlinked(ino)
    }

    pub(crate) fn is_held(&self, ino: Ino) -> bool {
        self.open.contains_key(&ino)
    }

    fn evict_if_unlinked(&mut self, ino: Ino) -> Result<()> {
        let inode = self.read_inode(ino)?;
        if inode.links == 0 && inode.mode != 0 {
            self.orphan_remove(ino)?;
            self.destroy_inode(inode)?;
        }
        Ok(())
    }

    /// Put `ino` on the on-disk orphan list (s_last_orphan chained through
    /// i_dtime) so a crash before its release still frees it at mount.
    pub(crate) fn orphan_add(&mut self, inode: &mut Inode) -> Result<()> {
        inode.dtime = self.sb.last_orphan;
        self.sb.last_orphan = inode.ino;
        self.sb_dirty = true;
        self.write_inode(inode)
    }

    /// Take `ino` off the orphan list.
    pub(crate) fn orphan_remove(&mut self, ino: Ino) -> Result<()> {
        let mut prev: Option<Ino> = None;
        let mut cur = self.sb.last_orphan;
        let mut steps = 0u32;
        while cur != 0 {
            steps += 1;
            if steps > self.sb.inodes_count {
                return Err(Error::Corrupt("orphan list loops"));
            }
            let inode = self.read_inode(cur)?;
            let next = inode.dtime;
            if cur == ino {
                match prev {
                    None => {
                        self.sb.last_orphan = next;
                        self.sb_dirty = true;
                    }
                    Some(p) => {
                        let mut pi = self.read_inode(p)?;
                        pi.dtime = next;
                        self.write_inode(&mut pi)?;
                    }
                }
                let mut me = inode;
                me.dtime = 0;
                self.write_inode(&mut me)?;
                return Ok(());
            }
            prev = Some(cur);
            cur = next;
        }
        Ok(())
    }

    /// At a read-write mount: finish what the orphan list records (free
    /// unlinked inodes, finish truncates).
    fn process_orphans(&mut self) -> Result<()> {
        let mut cur = self.sb.last_orphan;
        let mut freed = 0u32;
        let mut truncated = 0u32;
        let mut steps = 0u32;
        while cur != 0 {
            steps += 1;
            if steps > self.sb.inodes_count {
                return Err(Error::Corrupt("orphan list loops"));
            }
            let mut inode = self.read_inode(cur)?;
            let next = inode.dtime;
            self.sb.last_orphan = next;
            self.sb_dirty = true;
            inode.dtime = 0;
            if inode.links == 0 {
                self.destroy_inode(inode)?;
                freed += 1;
            } else {
                let size = inode.size;
                self.write_inode(&mut inode)?;
                self.truncate_blocks(&mut inode, size)?;
                self.write_inode(&mut inode)?;
                truncated += 1;
            }
            cur = next;
        }
        if freed + truncated > 0 {
            self.mount_notes.push(alloc::format!("orphans: freed {freed} inodes, truncated {truncated}"));
        }
        Ok(())
    }

    /// Free an unlinked inode: its blocks, its xattr block, its number.
    pub(crate) fn destroy_inode(&mut self, mut inode: Inode) -> Result<()> {
        let was_dir = inode.is_dir();
        self.truncate_blocks(&mut inode, 0)?;
        if inode.file_acl != 0 {
            self.xattr_release_block(&mut inode)?;
        }
        inode.dtime = self.now().sec as u32;
        inode.links = 0;
        inode.size = 0;
        self.write_inode(&mut inode)?;
        self.free_inode(inode.ino, was_dir)
    }
}

/// Decode a little-endian u32 (re-exported for sibling modules).
#[allow(dead_code)]
pub(crate) fn le32_at(b: &[u8], off: usize) -> u32 {
    le32(b, off)
}

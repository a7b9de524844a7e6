//! memfd_create(2) and file seals (fcntl F_ADD_SEALS/F_GET_SEALS).
//!
//! A memfd is a tmpfs regular file that never had a name, in one internal
//! tmpfs instance (Linux's shm_mnt), so it behaves as any tmpfs file
//! (read, write, mmap, fallocate, SEEK_DATA). Its /proc/PID/fd link reads
//! "/memfd:NAME (deleted)".
//!
//! Seals live on the tmpfs inode and tmpfs enforces them where the data
//! changes (writes, truncation, fallocate, chmod of the execute bits);
//! mmap refuses new shared writable mappings of a write-sealed file
//! (`Inode::write_sealed`). Every tmpfs file carries seals, so F_GET_SEALS
//! on an ordinary tmpfs file answers F_SEAL_SEAL as on Linux; only a memfd
//! made with MFD_ALLOW_SEALING (or MFD_NOEXEC_SEAL) starts unsealed.

use alloc::format;
use alloc::sync::Arc;

use kevlar_hal::sync::SpinLock;
use linux_raw_sys::general as g;

use super::file::{InodeFile, OpenFile};
use super::inode::Inode;
use super::mount::{Mount, MountFlags, SuperBlock};
use super::path::PathNode;
use super::tmpfs::{Tmpfs, TmpfsInode, seals};
use crate::errno::{Errno, KResult};

/// memfd_create flags.
pub const MFD_CLOEXEC: u32 = 0x0001;
/// Seals may be added (F_SEAL_SEAL starts clear).
pub const MFD_ALLOW_SEALING: u32 = 0x0002;
/// A hugetlbfs file.
pub const MFD_HUGETLB: u32 = 0x0004;
/// Not executable, and F_SEAL_EXEC set (implies sealing allowed).
pub const MFD_NOEXEC_SEAL: u32 = 0x0008;
/// Executable (the default while vm.memfd_noexec is 0).
pub const MFD_EXEC: u32 = 0x0010;
const MFD_ALL_FLAGS: u32 = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC;
/// Longest name: NAME_MAX less the "memfd:" prefix.
pub const NAME_MAX_LEN: usize = 255 - 6;

/// The internal file system memfds live in, and its root as a path.
static MEMFD_ROOT: SpinLock<Option<(Arc<TmpfsInode>, Arc<PathNode>)>> = SpinLock::new(None);

fn memfd_root() -> (Arc<TmpfsInode>, Arc<PathNode>) {
    let mut root = MEMFD_ROOT.lock();
    root.get_or_insert_with(|| {
        // An internal mount in no namespace, as Linux's shm mount.
        let dir = Tmpfs::new(0o1777, 0, 0);
        let sb = SuperBlock::new("tmpfs", b"memfd".to_vec(), dir.clone(), false, alloc::string::String::new());
        let mnt = Mount::new(sb, dir.clone(), b"/".to_vec(), MountFlags::empty());
        let node = PathNode::new_root(mnt);
        (dir, node)
    })
    .clone()
}

/// Checks memfd_create's flags (sanitize_flags): unknown bits, and
/// MFD_EXEC with MFD_NOEXEC_SEAL, fail with EINVAL.
pub fn check_flags(flags: u32) -> KResult<()> {
    if flags & !MFD_ALL_FLAGS != 0 || (flags & MFD_EXEC != 0 && flags & MFD_NOEXEC_SEAL != 0) {
        return Err(Errno::EINVAL);
    }
    if flags & MFD_HUGETLB != 0 {
        // No hugetlbfs here (docs/compat.md).
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// A new memfd named `name` (already checked for length), owned by
/// `uid`/`gid`, opened read-write.
pub fn create(name: &[u8], flags: u32, uid: u32, gid: u32) -> KResult<Arc<OpenFile>> {
    let (dir, root) = memfd_root();
    // shmem_file_setup: mode 0777, no umask.
    let inode = dir.new_unnamed_file(0o777, uid, gid)?;
    if flags & MFD_NOEXEC_SEAL != 0 {
        inode.set_attr(&super::inode::SetAttr { mode: Some(0o666), ..Default::default() })?;
        inode.set_seals(seals::EXEC);
    } else if flags & MFD_ALLOW_SEALING != 0 {
        inode.set_seals(0);
    }
    let mut link_name = format!("memfd:").into_bytes();
    link_name.extend_from_slice(name);
    link_name.extend_from_slice(b" (deleted)");
    let node = root.child(&link_name, inode.clone());
    Ok(OpenFile::new(InodeFile::new(inode), Some(node), g::O_RDWR | g::O_LARGEFILE))
}

/// The tmpfs file whose seals `file` reaches: regular tmpfs files only
/// (EINVAL otherwise, as for any file that is not shmem's).
fn sealable(file: &OpenFile) -> KResult<&TmpfsInode> {
    let inode = file.inode().ok_or(Errno::EINVAL)?;
    match inode.as_any().downcast_ref::<TmpfsInode>() {
        Some(t) if t.is_regular() => Ok(t),
        _ => Err(Errno::EINVAL),
    }
}

/// Serialises seal changes (Linux holds the inode lock).
static SEAL_LOCK: SpinLock<()> = SpinLock::new(());

/// fcntl F_GET_SEALS.
pub fn get_seals(file: &OpenFile) -> KResult<u32> {
    Ok(sealable(file)?.seals())
}

/// fcntl F_ADD_SEALS (memfd_add_seals): needs a writable descriptor;
/// refused once F_SEAL_SEAL is set; F_SEAL_WRITE fails with EBUSY while
/// a shared mapping may still write; F_SEAL_EXEC on an executable file
/// brings every write seal with it.
pub fn add_seals(file: &OpenFile, add: u32) -> KResult<()> {
    if !file.writable() {
        return Err(Errno::EPERM);
    }
    if add & !seals::ALL != 0 {
        return Err(Errno::EINVAL);
    }
    let inode = sealable(file)?;
    let _serial = SEAL_LOCK.lock();
    let current = inode.seals();
    if current & seals::SEAL != 0 {
        return Err(Errno::EPERM);
    }
    if add & seals::WRITE != 0 && current & seals::WRITE == 0 && crate::mm::writably_mapped(inode) {
        return Err(Errno::EBUSY);
    }
    let mut add = add;
    if add & seals::EXEC != 0 && inode.stat().mode & 0o111 != 0 {
        add |= seals::SHRINK | seals::GROW | seals::WRITE | seals::FUTURE_WRITE;
    }
    inode.set_seals(current | add);
    Ok(())
}

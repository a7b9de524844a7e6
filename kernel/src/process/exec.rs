//! execve: loading an ELF program (or a `#!` script's interpreter) into a
//! fresh address space.
//!
//! The new address space is built completely before anything of the old
//! program is touched, so a failing execve returns an error to an intact
//! caller, as on Linux. The ELF parsing and the initial stack layout are in
//! `libs/elf` (host-tested); this module maps what they describe.

use alloc::sync::Arc;
use alloc::vec::Vec;

use kevlar_elf::{ElfError, ElfInfo, ElfType, Machine, StackParams, auxv};

use crate::errno::{Errno, KResult};
use crate::fs::inode::FileType;
use crate::fs::path::{FsContext, PathNode, Perm, Resolver, check_permission};
use crate::mm::address_space::{ET_DYN_BASE, Placement, STACK_SIZE, STACK_TOP, TASK_SIZE};
use crate::mm::vma::VmaKind;
use crate::mm::{AddressSpace, Backing, PAGE_SIZE, Prot, page_align_down, page_align_up};
use crate::process::creds::Credentials;

/// Most arguments plus environment strings accepted (Linux: a quarter of
/// the stack limit, at most 6 MiB; MAX_ARG_STRINGS entries).
pub const ARG_MAX: usize = 2 << 20;
/// Most argv/envp entries.
pub const MAX_ARG_STRINGS: usize = 0x7fff_ffff;
/// Nested `#!` interpreters allowed.
const MAX_INTERP_DEPTH: u32 = 4;

/// A program ready to run.
pub struct LoadedImage {
    /// The new address space.
    pub mm: Arc<AddressSpace>,
    /// First instruction (the interpreter's entry for dynamic programs).
    pub entry: u64,
    /// Initial stack pointer.
    pub sp: u64,
    /// The executable file.
    pub exe: Arc<PathNode>,
    /// The name for `comm` (basename of the path).
    pub comm: Vec<u8>,
    /// The credentials the program runs with (set-user-id and
    /// set-group-id bits applied).
    pub creds: Credentials,
    /// Where the argument and environment strings are (/proc/PID/cmdline).
    pub args: super::ArgRanges,
}

/// Loads `path` with `argv` and `envp`.
pub fn load(fs: &FsContext, creds: &Credentials, path: &[u8], argv: Vec<Vec<u8>>, envp: Vec<Vec<u8>>) -> KResult<LoadedImage> {
    load_at_depth(fs, creds, path, argv, envp, 0)
}

fn load_at_depth(fs: &FsContext, creds: &Credentials, path: &[u8], mut argv: Vec<Vec<u8>>, envp: Vec<Vec<u8>>, depth: u32) -> KResult<LoadedImage> {
    let node = open_executable(fs, creds, path)?;
    let mut head = [0u8; 256];
    let n = node.inode.read_at(0, &mut head)?;
    let head = &head[..n];

    if head.starts_with(b"#!") {
        if depth >= MAX_INTERP_DEPTH {
            return Err(Errno::ELOOP);
        }
        let (interp, arg) = parse_shebang(head)?;
        // argv becomes: interp [arg] path argv[1..]
        let mut new_argv = Vec::with_capacity(argv.len() + 2);
        new_argv.push(interp.clone());
        if let Some(a) = arg {
            new_argv.push(a);
        }
        new_argv.push(path.to_vec());
        if !argv.is_empty() {
            argv.remove(0);
        }
        new_argv.extend(argv);
        return load_at_depth(fs, creds, &interp, new_argv, envp, depth + 1);
    }

    let elf = parse_elf(&node)?;
    // The ELF file's set-id bits count (a script's are ignored, as on
    // Linux: what runs is its interpreter).
    // nosuid: the set-id bits of files on this mount are ignored.
    let mut st = node.stat();
    if node.mnt.flags().contains(crate::fs::mount::MountFlags::NOSUID) {
        st.mode &= !0o6000;
    }
    let new_creds = exec_credentials(creds, &st);
    let secure = new_creds.euid != new_creds.uid || new_creds.egid != new_creds.gid;
    let mm = AddressSpace::new()?;
    // The vDSO first, at the top of the mmap area, so that a static PIE or
    // an interpreter placed top-down goes below it.
    let vdso = crate::mm::vdso::map_into(&mm);
    let (bias, brk) = map_program(&mm, &node, &elf, false)?;

    let mut interp_base = 0u64;
    let mut entry = elf.entry + bias;
    if let Some(interp) = &elf.interp {
        let ipath = read_interp_path(&node, interp.offset, interp.size)?;
        let inode = open_executable(fs, creds, &ipath)?;
        let ielf = parse_elf(&inode)?;
        let (ibias, _) = map_program(&mm, &inode, &ielf, true)?;
        interp_base = ibias;
        entry = ielf.entry + ibias;
    }
    mm.set_brk_start(brk as usize);

    // The main stack.
    mm.map(Placement::Fixed(STACK_TOP - STACK_SIZE), STACK_SIZE, Prot::READ | Prot::WRITE, false, Backing::Anonymous, VmaKind::Stack)?;
    let phdr = elf.phdr_address(bias).ok_or(Errno::ENOEXEC)?;
    let mut aux: Vec<(u64, u64)> = alloc::vec![
        (auxv::AT_HWCAP, hwcap()),
        (auxv::AT_PAGESZ, PAGE_SIZE as u64),
        (auxv::AT_CLKTCK, 100),
        (auxv::AT_PHDR, phdr),
        (auxv::AT_PHENT, elf.phentsize as u64),
        (auxv::AT_PHNUM, elf.phnum as u64),
        (auxv::AT_BASE, interp_base),
        (auxv::AT_FLAGS, 0),
        (auxv::AT_ENTRY, elf.entry + bias),
        (auxv::AT_UID, new_creds.uid as u64),
        (auxv::AT_EUID, new_creds.euid as u64),
        (auxv::AT_GID, new_creds.gid as u64),
        (auxv::AT_EGID, new_creds.egid as u64),
        (auxv::AT_SECURE, secure as u64),
    ];
    if let Some(base) = vdso {
        aux.push((auxv::AT_SYSINFO_EHDR, base));
    }
    let argv_refs: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
    let envp_refs: Vec<&[u8]> = envp.iter().map(|a| a.as_slice()).collect();
    let params = StackParams {
        stack_top: STACK_TOP as u64,
        argv: &argv_refs,
        envp: &envp_refs,
        execfn: path,
        platform: b"x86_64",
        random: crate::random::bytes16(),
        auxv: &aux,
        max_size: ARG_MAX + 64 * 1024,
    };
    let image = kevlar_elf::build_initial_stack(&params).map_err(|_| Errno::E2BIG)?;
    mm.write_user(image.sp as usize, &image.bytes)?;

    let comm = path.rsplit(|&c| c == b'/').next().unwrap_or(path).to_vec();
    let args = super::ArgRanges { arg_start: image.arg_start, arg_end: image.arg_end, env_start: image.env_start, env_end: image.env_end };
    Ok(LoadedImage { mm, entry, sp: image.sp, exe: node, comm, creds: new_creds, args })
}

/// Credentials after exec of a file with metadata `st` (execve(2)): a
/// set-user-id file sets the effective uid to its owner; a set-group-id
/// file with group execute permission sets the effective gid; the saved
/// ids then follow the effective ones.
fn exec_credentials(c: &Credentials, st: &crate::fs::inode::Stat) -> Credentials {
    const S_ISUID: u32 = 0o4000;
    const S_ISGID: u32 = 0o2000;
    const S_IXGRP: u32 = 0o010;
    let mut n = c.clone();
    if !c.no_new_privs {
        if st.mode & S_ISUID != 0 {
            n.euid = st.uid;
        }
        if st.mode & S_ISGID != 0 && st.mode & S_IXGRP != 0 {
            n.egid = st.gid;
        }
    }
    n.suid = n.euid;
    n.fsuid = n.euid;
    n.sgid = n.egid;
    n.fsgid = n.egid;
    n.update_caps_for_exec();
    n
}

/// Resolves and checks a file for execution: a regular file with an x bit
/// the caller may use.
fn open_executable(fs: &FsContext, creds: &Credentials, path: &[u8]) -> KResult<Arc<PathNode>> {
    let node = Resolver::new(fs, creds).resolve(&fs.cwd, path, true)?;
    let st = node.stat();
    if st.file_type() != Some(FileType::Regular) {
        return Err(Errno::EACCES);
    }
    // noexec (Linux's path_noexec, checked before permission).
    if node.mnt.flags().contains(crate::fs::mount::MountFlags::NOEXEC) {
        return Err(Errno::EACCES);
    }
    check_permission(&st, creds, Perm::Exec)?;
    Ok(node)
}

fn parse_elf(node: &Arc<PathNode>) -> KResult<ElfInfo> {
    let mut buf = alloc::vec![0u8; PAGE_SIZE];
    loop {
        let n = node.inode.read_at(0, &mut buf)?;
        match kevlar_elf::parse(&buf[..n], Machine::X86_64) {
            Ok(info) => return Ok(info),
            Err(ElfError::HeadersBeyond { needed }) if needed > buf.len() && needed <= 64 * 1024 && n == buf.len() => {
                buf.resize(needed, 0);
            }
            Err(_) => return Err(Errno::ENOEXEC),
        }
    }
}

fn read_interp_path(node: &Arc<PathNode>, offset: u64, size: u64) -> KResult<Vec<u8>> {
    let mut buf = alloc::vec![0u8; size as usize];
    let n = node.inode.read_at(offset, &mut buf)?;
    buf.truncate(n);
    while buf.last() == Some(&0) {
        buf.pop();
    }
    if buf.is_empty() {
        return Err(Errno::ENOEXEC);
    }
    Ok(buf)
}

/// Maps the PT_LOAD segments; returns (load bias, end of the highest segment).
fn map_program(mm: &Arc<AddressSpace>, node: &Arc<PathNode>, elf: &ElfInfo, is_interp: bool) -> KResult<(u64, u64)> {
    let source = node.inode.clone().page_source().ok_or(Errno::EACCES)?;
    let (lo, hi) = elf.load_span();
    let span = (hi - lo) as usize;
    let bias = match elf.elf_type {
        ElfType::Exec => 0,
        ElfType::Dyn if !is_interp && elf.interp.is_some() => ET_DYN_BASE as u64 - lo,
        ElfType::Dyn => {
            // An interpreter, or a static PIE run directly: anywhere in the
            // mmap area (reserve the whole span, then map into it).
            let at = mm.map(Placement::Hint(0), span, Prot::empty(), false, Backing::Anonymous, VmaKind::Normal)?;
            at as u64 - lo
        }
    };
    let mut end = 0u64;
    for seg in &elf.segments {
        let vaddr = seg.vaddr + bias;
        let start = page_align_down(vaddr as usize);
        let page_off = vaddr as usize - start;
        let map_end = page_align_up((vaddr + seg.memsz) as usize).ok_or(Errno::ENOEXEC)?;
        if map_end > TASK_SIZE {
            return Err(Errno::ENOEXEC);
        }
        let mut prot = Prot::empty();
        if seg.readable {
            prot |= Prot::READ;
        }
        if seg.writable {
            prot |= Prot::WRITE;
        }
        if seg.executable {
            prot |= Prot::EXEC;
        }
        let backing = Backing::File {
            source: source.clone(),
            offset: seg.file_offset - page_off as u64,
            valid_len: Some(seg.filesz + page_off as u64),
            path: Some(node.clone()),
        };
        mm.map(Placement::Fixed(start), map_end - start, prot, false, backing, VmaKind::Normal)?;
        end = end.max(vaddr + seg.memsz);
    }
    Ok((bias, page_align_up(end as usize).unwrap_or(end as usize) as u64))
}

/// Splits a `#!interpreter [arg]` line (Linux: one optional argument, the
/// rest of the line, trimmed).
fn parse_shebang(head: &[u8]) -> KResult<(Vec<u8>, Option<Vec<u8>>)> {
    let line_end = head.iter().position(|&c| c == b'\n').unwrap_or(head.len());
    let line = &head[2..line_end];
    let is_space = |c: &u8| *c == b' ' || *c == b'\t';
    let line = trim(line, is_space);
    if line.is_empty() {
        return Err(Errno::ENOEXEC);
    }
    let split = line.iter().position(is_space).unwrap_or(line.len());
    let interp = line[..split].to_vec();
    let rest = trim(&line[split..], is_space);
    Ok((interp, (!rest.is_empty()).then(|| rest.to_vec())))
}

fn trim(s: &[u8], f: impl Fn(&u8) -> bool) -> &[u8] {
    let start = s.iter().position(|c| !f(c)).unwrap_or(s.len());
    let end = s.iter().rposition(|c| !f(c)).map_or(start, |i| i + 1);
    &s[start..end]
}

/// AT_HWCAP on x86_64: CPUID leaf 1 EDX.
fn hwcap() -> u64 {
    kevlar_hal::arch::cpu::cpuid(1, 0).3 as u64
}

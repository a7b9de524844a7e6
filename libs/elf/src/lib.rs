//! ELF64 executable loading support for Kevlar, usable (and tested) on the
//! host.
//!
//! This crate has two independent parts:
//!
//! * [`parse`]: validates an ELF64 executable's header and program headers
//!   the way Linux's `fs/binfmt_elf.c` (`load_elf_binary`) does before it
//!   maps anything, and turns them into a load plan ([`ElfInfo`]): which
//!   file ranges go to which addresses with which permissions, the program
//!   interpreter to load, whether the stack must be executable, and where the
//!   program headers end up in memory (for `AT_PHDR`).
//! * [`build_initial_stack`] (module [`stack`]): builds the initial user
//!   stack (argument and environment strings, auxiliary vector, and the
//!   `argc`/`argv`/`envp`/`auxv` table) byte for byte in the layout Linux's
//!   `fs/exec.c` and `create_elf_tables()` produce.
//!
//! # ELF64 format
//!
//! The structures are those of the ELF-64 Object File Format (version 1.5)
//! and the System V ABI AMD64 / AArch64 supplements. Everything here is
//! little-endian:
//!
//! ```text
//! Elf64_Ehdr (64 bytes)                 Elf64_Phdr (56 bytes)
//!   0  e_ident[16]                        0  p_type   u32
//!        [0..4]  "\x7fELF"                4  p_flags  u32  (PF_X=1 PF_W=2 PF_R=4)
//!        [4]     EI_CLASS   (2 = 64-bit)  8  p_offset u64
//!        [5]     EI_DATA    (1 = LE)     16  p_vaddr  u64
//!        [6]     EI_VERSION (1)          24  p_paddr  u64
//!  16  e_type      u16 (2 EXEC, 3 DYN)   32  p_filesz u64
//!  18  e_machine   u16 (62, 183)         40  p_memsz  u64
//!  20  e_version   u32                   48  p_align  u64
//!  24  e_entry     u64
//!  32  e_phoff     u64
//!  40  e_shoff     u64
//!  48  e_flags     u32
//!  52  e_ehsize    u16
//!  54  e_phentsize u16
//!  56  e_phnum     u16
//!  58  e_shentsize, e_shnum, e_shstrndx  u16 each
//! ```
//!
//! # Validation
//!
//! All the checks below make Linux fail `execve` with `ENOEXEC` or
//! `EINVAL`; here each has its own [`ElfError`] variant:
//!
//! * the magic, 64-bit class, little-endian data, `EI_VERSION == 1`;
//! * `e_type` is `ET_EXEC` or `ET_DYN`, `e_machine` is the expected one;
//! * `e_phentsize == 56` and `1 <= e_phnum <= 65536 / 56` (Linux refuses a
//!   program header table larger than 64 KiB);
//! * the program header table lies in the file (if it lies beyond the bytes
//!   the caller supplied, [`ElfError::HeadersBeyond`] says how many are
//!   needed so the caller can read more and retry);
//! * for every `PT_LOAD`: `p_filesz <= p_memsz`; `p_offset + p_filesz` and
//!   `p_vaddr + p_memsz` do not overflow; the segment ends at or below the
//!   user address limit; if it maps file contents (`p_filesz > 0`),
//!   `p_offset` and `p_vaddr` are congruent modulo the page size (otherwise
//!   the kernel's `mmap` of the segment fails);
//! * `PT_LOAD` entries are sorted by `p_vaddr` (the ELF specification
//!   requires it and Linux's total-mapping-size computation relies on it)
//!   and do not overlap (they may share a page);
//! * at least one `PT_LOAD`; the entry point below the user limit;
//! * `PT_INTERP` (the first one counts, like in Linux): `2 <= p_filesz <=
//!   4096` (`PATH_MAX`), in the file, and NUL-terminated.
//!
//! `PT_GNU_STACK` decides whether the stack is executable (the last one
//! counts, like in Linux); without one, a 64-bit program gets a
//! non-executable stack on both x86-64 and AArch64 (Linux only implies
//! `READ_IMPLIES_EXEC` for 32-bit programs).
//!
//! The crate is `no_std` (it needs `alloc` for the segment list and the
//! stack image) and contains no unsafe code.

#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod stack;

pub use stack::{StackError, StackImage, StackParams, build_initial_stack};

use alloc::vec::Vec;
use core::fmt;

/// Auxiliary vector entry types (`AT_*`, from Linux's
/// `include/uapi/linux/auxvec.h` and `arch/x86/include/uapi/asm/auxvec.h`).
pub mod auxv {
    /// End of the vector.
    pub const AT_NULL: u64 = 0;
    /// Entry to ignore.
    pub const AT_IGNORE: u64 = 1;
    /// File descriptor of the program (binfmt_misc).
    pub const AT_EXECFD: u64 = 2;
    /// Address of the program headers in memory.
    pub const AT_PHDR: u64 = 3;
    /// Size of one program header entry.
    pub const AT_PHENT: u64 = 4;
    /// Number of program headers.
    pub const AT_PHNUM: u64 = 5;
    /// System page size.
    pub const AT_PAGESZ: u64 = 6;
    /// Base address of the interpreter.
    pub const AT_BASE: u64 = 7;
    /// Flags (`AT_FLAGS_PRESERVE_ARGV0`).
    pub const AT_FLAGS: u64 = 8;
    /// Entry point of the program.
    pub const AT_ENTRY: u64 = 9;
    /// Program is not ELF.
    pub const AT_NOTELF: u64 = 10;
    /// Real user id.
    pub const AT_UID: u64 = 11;
    /// Effective user id.
    pub const AT_EUID: u64 = 12;
    /// Real group id.
    pub const AT_GID: u64 = 13;
    /// Effective group id.
    pub const AT_EGID: u64 = 14;
    /// Address of a string naming the platform (e.g. "x86_64").
    pub const AT_PLATFORM: u64 = 15;
    /// Machine-dependent CPU capability hints.
    pub const AT_HWCAP: u64 = 16;
    /// Frequency of `times()`.
    pub const AT_CLKTCK: u64 = 17;
    /// Secure mode boolean (set-uid/set-gid execution).
    pub const AT_SECURE: u64 = 23;
    /// Address of a string naming the real platform.
    pub const AT_BASE_PLATFORM: u64 = 24;
    /// Address of 16 random bytes.
    pub const AT_RANDOM: u64 = 25;
    /// Extension of `AT_HWCAP`.
    pub const AT_HWCAP2: u64 = 26;
    /// rseq feature size.
    pub const AT_RSEQ_FEATURE_SIZE: u64 = 27;
    /// rseq allocation alignment.
    pub const AT_RSEQ_ALIGN: u64 = 28;
    /// Address of the file name of the program (as passed to `execve`).
    pub const AT_EXECFN: u64 = 31;
    /// Address of the vDSO's ELF header.
    pub const AT_SYSINFO_EHDR: u64 = 33;
    /// Minimal stack size for signal delivery.
    pub const AT_MINSIGSTKSZ: u64 = 51;

    /// `AT_FLAGS` bit: the interpreter was asked to keep `argv[0]`.
    pub const AT_FLAGS_PRESERVE_ARGV0: u64 = 1;
}

/// The page size the loader works with (4 KiB on every supported machine).
pub const PAGE_SIZE: u64 = 4096;

/// `PATH_MAX`: the largest allowed `PT_INTERP` size, NUL included.
pub const PATH_MAX: u64 = 4096;

/// Size of the ELF64 file header.
pub const EHDR_SIZE: usize = 64;
/// Size of one ELF64 program header.
pub const PHDR_SIZE: usize = 56;
/// The largest program header table Linux accepts, in bytes.
pub const MAX_PHDR_TABLE: usize = 65536;

/// ELF identification and header constants.
pub mod consts {
    /// `e_ident[0..4]`.
    pub const ELFMAG: &[u8; 4] = b"\x7fELF";
    /// `EI_CLASS` value for 64-bit objects.
    pub const ELFCLASS64: u8 = 2;
    /// `EI_DATA` value for little-endian objects.
    pub const ELFDATA2LSB: u8 = 1;
    /// `EI_VERSION` value.
    pub const EV_CURRENT: u8 = 1;
    /// Executable file.
    pub const ET_EXEC: u16 = 2;
    /// Shared object / position-independent executable.
    pub const ET_DYN: u16 = 3;
    /// AMD x86-64.
    pub const EM_X86_64: u16 = 62;
    /// ARM 64-bit.
    pub const EM_AARCH64: u16 = 183;

    /// Unused program header.
    pub const PT_NULL: u32 = 0;
    /// Loadable segment.
    pub const PT_LOAD: u32 = 1;
    /// Dynamic linking information.
    pub const PT_DYNAMIC: u32 = 2;
    /// Program interpreter path.
    pub const PT_INTERP: u32 = 3;
    /// Auxiliary information.
    pub const PT_NOTE: u32 = 4;
    /// Program header table itself.
    pub const PT_PHDR: u32 = 6;
    /// Thread-local storage template.
    pub const PT_TLS: u32 = 7;
    /// Exception handling frame header.
    pub const PT_GNU_EH_FRAME: u32 = 0x6474_e550;
    /// Stack executability.
    pub const PT_GNU_STACK: u32 = 0x6474_e551;
    /// Read-only after relocation.
    pub const PT_GNU_RELRO: u32 = 0x6474_e552;
    /// GNU property notes.
    pub const PT_GNU_PROPERTY: u32 = 0x6474_e553;

    /// Segment is executable.
    pub const PF_X: u32 = 1;
    /// Segment is writable.
    pub const PF_W: u32 = 2;
    /// Segment is readable.
    pub const PF_R: u32 = 4;
}

use consts::*;

/// The machine an executable must be built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Machine {
    /// x86-64 (`EM_X86_64`).
    X86_64,
    /// AArch64 (`EM_AARCH64`).
    Aarch64,
}

impl Machine {
    /// The `e_machine` value.
    pub const fn e_machine(self) -> u16 {
        match self {
            Machine::X86_64 => EM_X86_64,
            Machine::Aarch64 => EM_AARCH64,
        }
    }

    /// The machine with this `e_machine` value, if supported.
    pub const fn from_e_machine(value: u16) -> Option<Machine> {
        match value {
            EM_X86_64 => Some(Machine::X86_64),
            EM_AARCH64 => Some(Machine::Aarch64),
            _ => None,
        }
    }

    /// The exclusive upper end of user addresses (Linux's `TASK_SIZE` for a
    /// 64-bit task with 4-level / 48-bit page tables): x86-64 keeps the top
    /// page below the canonical hole unmapped (`0x7fff_ffff_f000`), AArch64
    /// uses all of the 48-bit range.
    pub const fn user_limit(self) -> u64 {
        match self {
            Machine::X86_64 => 0x0000_7fff_ffff_f000,
            Machine::Aarch64 => 0x0001_0000_0000_0000,
        }
    }

    /// The `AT_PLATFORM` string Linux reports for 64-bit programs.
    pub const fn platform(self) -> &'static [u8] {
        match self {
            Machine::X86_64 => b"x86_64",
            Machine::Aarch64 => b"aarch64",
        }
    }
}

/// The kind of executable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ElfType {
    /// `ET_EXEC`: loaded at the addresses in its program headers.
    Exec,
    /// `ET_DYN`: position-independent; loaded at a bias chosen by the loader.
    Dyn,
}

/// One `PT_LOAD` segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadSegment {
    /// Virtual address (before adding the load bias for `ET_DYN`).
    pub vaddr: u64,
    /// Size in memory; bytes past `filesz` are zero (`.bss`).
    pub memsz: u64,
    /// Offset of the segment's contents in the file.
    pub file_offset: u64,
    /// Number of bytes taken from the file.
    pub filesz: u64,
    /// `PF_R`.
    pub readable: bool,
    /// `PF_W`.
    pub writable: bool,
    /// `PF_X`.
    pub executable: bool,
    /// `p_align` as found in the file.
    pub align: u64,
}

impl LoadSegment {
    /// `vaddr` rounded down to a page boundary.
    pub fn page_start(&self) -> u64 {
        page_down(self.vaddr)
    }

    /// `vaddr + memsz` rounded up to a page boundary (validated not to
    /// overflow).
    pub fn page_end(&self) -> u64 {
        page_up(self.mem_end()).unwrap_or(page_down(u64::MAX))
    }

    /// The end of the file-backed part in memory, `vaddr + filesz`.
    pub fn file_end_vaddr(&self) -> u64 {
        self.vaddr.saturating_add(self.filesz)
    }

    /// The end of the segment in memory, `vaddr + memsz`.
    pub fn mem_end(&self) -> u64 {
        self.vaddr.saturating_add(self.memsz)
    }

    /// The end of the segment's contents in the file, `file_offset + filesz`.
    pub fn file_end(&self) -> u64 {
        self.file_offset.saturating_add(self.filesz)
    }
}

/// The `PT_INTERP` entry: where the interpreter's path is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interp {
    /// File offset of the path.
    pub offset: u64,
    /// Size of the path including its NUL terminator (2..=4096).
    pub size: u64,
    /// The path without its NUL, if the bytes given to [`parse`] contained
    /// it; otherwise read `size` bytes at `offset` and use
    /// [`Interp::path_from`].
    pub path: Option<Vec<u8>>,
}

impl Interp {
    /// Extracts and validates the path from `bytes`, which must be the
    /// `size` bytes read from `offset`. The path must be NUL-terminated
    /// (Linux rejects the executable otherwise); like the kernel, which
    /// treats it as a C string, the path ends at the first NUL.
    pub fn path_from(bytes: &[u8]) -> Result<&[u8], ElfError> {
        match bytes.split_last() {
            Some((0, path)) => Ok(match path.iter().position(|&b| b == 0) {
                Some(nul) => &path[..nul],
                None => path,
            }),
            _ => Err(ElfError::InterpNotTerminated),
        }
    }
}

/// The `PT_TLS` segment (the initial thread-local storage image).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TlsSegment {
    /// Virtual address of the TLS initialisation image.
    pub vaddr: u64,
    /// Size of the initialised part.
    pub filesz: u64,
    /// Total size of the TLS block.
    pub memsz: u64,
    /// Required alignment.
    pub align: u64,
}

/// The load plan of an executable, as produced by [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfInfo {
    /// `ET_EXEC` or `ET_DYN`.
    pub elf_type: ElfType,
    /// Entry point (before adding the load bias for `ET_DYN`).
    pub entry: u64,
    /// File offset of the program header table.
    pub phoff: u64,
    /// Number of program headers (`AT_PHNUM`).
    pub phnum: u16,
    /// Size of one program header (`AT_PHENT`); always 56.
    pub phentsize: u16,
    /// The `PT_LOAD` segments, in ascending, non-overlapping address order.
    pub segments: Vec<LoadSegment>,
    /// The program interpreter, if any.
    pub interp: Option<Interp>,
    /// Whether `PT_GNU_STACK` asks for an executable stack.
    pub stack_executable: bool,
    /// `PT_GNU_RELRO` as `(vaddr, memsz)`.
    pub relro: Option<(u64, u64)>,
    /// `PT_PHDR`'s `p_vaddr`, if present.
    pub phdr_vaddr: Option<u64>,
    /// The `PT_TLS` segment, if present.
    pub tls: Option<TlsSegment>,
}

impl ElfInfo {
    /// The page-aligned address range `(start, end)` covered by all
    /// `PT_LOAD` segments (before the load bias). `end - start` is the size
    /// to reserve when choosing a bias for an `ET_DYN` executable.
    pub fn load_span(&self) -> (u64, u64) {
        let start = self.segments.first().map_or(0, LoadSegment::page_start);
        let end = self
            .segments
            .iter()
            .map(LoadSegment::page_end)
            .max()
            .unwrap_or(0);
        (start, end)
    }

    /// The largest power-of-two `p_align` among the `PT_LOAD` segments, at
    /// least [`PAGE_SIZE`]: the alignment Linux gives an `ET_DYN` load bias
    /// (non-power-of-two alignments are ignored, as in Linux).
    pub fn max_align(&self) -> u64 {
        self.segments
            .iter()
            .map(|s| s.align)
            .filter(|a| a.is_power_of_two())
            .fold(PAGE_SIZE, u64::max)
    }

    /// The address of the program headers in memory (`AT_PHDR`) for a given
    /// load bias (0 for `ET_EXEC`): `PT_PHDR`'s `p_vaddr` if there is one,
    /// otherwise the address the `PT_LOAD` segment whose file range holds
    /// `e_phoff` maps it to. `None` if the headers are not loaded at all
    /// (Linux then reports just the bias).
    pub fn phdr_address(&self, bias: u64) -> Option<u64> {
        let vaddr = match self.phdr_vaddr {
            Some(v) => v,
            None => self
                .segments
                .iter()
                .find(|s| s.file_offset <= self.phoff && self.phoff < s.file_end())
                .map(|s| s.vaddr.wrapping_add(self.phoff - s.file_offset))?,
        };
        Some(vaddr.wrapping_add(bias))
    }

    /// Size of the program header table in bytes.
    pub fn phdr_table_size(&self) -> usize {
        usize::from(self.phnum) * usize::from(self.phentsize)
    }

    /// Checks, once the file size is known, that every segment's contents
    /// and the interpreter path lie within the file.
    pub fn check_file_size(&self, file_size: u64) -> Result<(), ElfError> {
        for (i, seg) in self.segments.iter().enumerate() {
            if seg.filesz > 0 && seg.file_end() > file_size {
                return Err(ElfError::SegmentBeyondFile { index: i });
            }
        }
        if let Some(interp) = &self.interp
            && interp.offset.saturating_add(interp.size) > file_size
        {
            return Err(ElfError::InterpOutOfBounds);
        }
        Ok(())
    }
}

/// Why an executable was rejected. All of these are `ENOEXEC`-class errors
/// except [`ElfError::HeadersBeyond`], which asks for more input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElfError {
    /// The headers extend beyond the supplied bytes: supply at least
    /// `needed` bytes from the start of the file and call [`parse`] again.
    HeadersBeyond {
        /// Number of bytes from the start of the file needed.
        needed: usize,
    },
    /// Not an ELF file (`e_ident` does not start with "\x7fELF").
    BadMagic,
    /// The file (of known size) is shorter than an ELF header.
    TooShort,
    /// `EI_CLASS` is not `ELFCLASS64`.
    BadClass(u8),
    /// `EI_DATA` is not little-endian.
    BadDataEncoding(u8),
    /// `EI_VERSION` is not `EV_CURRENT`.
    BadVersion(u8),
    /// `e_type` is neither `ET_EXEC` nor `ET_DYN`.
    BadType(u16),
    /// `e_machine` is not the expected machine.
    WrongMachine(u16),
    /// `e_phentsize` is not 56.
    BadPhentsize(u16),
    /// `e_phnum` is 0 or the table would exceed 64 KiB.
    BadPhnum(u16),
    /// The program header table is not within the file (overflowing
    /// offset, or beyond the known file size).
    PhdrsOutOfBounds,
    /// No `PT_LOAD` segment.
    NoLoadSegments,
    /// A `PT_LOAD` has `p_filesz > p_memsz`. `index` is the program header
    /// index.
    FileszExceedsMemsz {
        /// Program header index.
        index: usize,
    },
    /// A `PT_LOAD`'s `p_offset + p_filesz` or `p_vaddr + p_memsz` overflows.
    SegmentOverflow {
        /// Program header index.
        index: usize,
    },
    /// A `PT_LOAD` ends above the user address limit.
    SegmentBeyondUserLimit {
        /// Program header index.
        index: usize,
    },
    /// A file-backed `PT_LOAD`'s `p_offset` and `p_vaddr` differ modulo the
    /// page size, so it cannot be mapped.
    SegmentMisaligned {
        /// Program header index.
        index: usize,
    },
    /// A `PT_LOAD` starts below the previous one.
    SegmentsUnsorted {
        /// Program header index.
        index: usize,
    },
    /// A `PT_LOAD` starts before the previous one ends.
    SegmentsOverlap {
        /// Program header index.
        index: usize,
    },
    /// A `PT_LOAD`'s contents are beyond the end of the file (from
    /// [`ElfInfo::check_file_size`] or a known file size). `index` is the
    /// index among the `PT_LOAD` segments there, the program header index
    /// during [`parse_with`].
    SegmentBeyondFile {
        /// Segment index.
        index: usize,
    },
    /// The entry point is not below the user address limit.
    EntryBeyondUserLimit,
    /// `PT_INTERP`'s size is below 2 or above `PATH_MAX`.
    BadInterpSize(u64),
    /// `PT_INTERP`'s range overflows or is beyond the end of the file.
    InterpOutOfBounds,
    /// The interpreter path is not NUL-terminated.
    InterpNotTerminated,
}

impl fmt::Display for ElfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ElfError::HeadersBeyond { needed } => {
                write!(f, "ELF headers need the first {needed} bytes of the file")
            }
            ElfError::BadMagic => write!(f, "not an ELF file"),
            ElfError::TooShort => write!(f, "file shorter than an ELF header"),
            ElfError::BadClass(c) => write!(f, "not a 64-bit ELF file (class {c})"),
            ElfError::BadDataEncoding(d) => write!(f, "not a little-endian ELF file (data {d})"),
            ElfError::BadVersion(v) => write!(f, "unsupported ELF version {v}"),
            ElfError::BadType(t) => write!(f, "ELF type {t} is not executable"),
            ElfError::WrongMachine(m) => write!(f, "ELF file is for machine {m}"),
            ElfError::BadPhentsize(s) => write!(f, "bad program header size {s}"),
            ElfError::BadPhnum(n) => write!(f, "bad program header count {n}"),
            ElfError::PhdrsOutOfBounds => write!(f, "program headers outside the file"),
            ElfError::NoLoadSegments => write!(f, "no loadable segments"),
            ElfError::FileszExceedsMemsz { index } => {
                write!(f, "segment {index}: file size exceeds memory size")
            }
            ElfError::SegmentOverflow { index } => write!(f, "segment {index}: address overflow"),
            ElfError::SegmentBeyondUserLimit { index } => {
                write!(f, "segment {index}: beyond the user address range")
            }
            ElfError::SegmentMisaligned { index } => {
                write!(
                    f,
                    "segment {index}: offset and address not congruent modulo the page size"
                )
            }
            ElfError::SegmentsUnsorted { index } => {
                write!(
                    f,
                    "segment {index}: loadable segments not in ascending order"
                )
            }
            ElfError::SegmentsOverlap { index } => {
                write!(f, "segment {index}: overlaps the previous loadable segment")
            }
            ElfError::SegmentBeyondFile { index } => {
                write!(f, "segment {index}: contents beyond the end of the file")
            }
            ElfError::EntryBeyondUserLimit => {
                write!(f, "entry point beyond the user address range")
            }
            ElfError::BadInterpSize(s) => write!(f, "bad interpreter path size {s}"),
            ElfError::InterpOutOfBounds => write!(f, "interpreter path outside the file"),
            ElfError::InterpNotTerminated => write!(f, "interpreter path not NUL-terminated"),
        }
    }
}

impl core::error::Error for ElfError {}

/// Options for [`parse_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// The required machine.
    pub machine: Machine,
    /// Exclusive upper limit for segment ends and the entry point.
    pub user_limit: u64,
    /// The size of the whole file, if known: enables the checks that
    /// segment contents, the program headers and the interpreter path lie
    /// within the file.
    pub file_size: Option<u64>,
}

impl ParseOptions {
    /// Options for `machine` with its default user limit and an unknown
    /// file size.
    pub const fn new(machine: Machine) -> ParseOptions {
        ParseOptions {
            machine,
            user_limit: machine.user_limit(),
            file_size: None,
        }
    }
}

/// Parses and validates an executable for `machine` with the machine's
/// default user address limit. `image` is the start of the file: at least
/// the ELF header and the program header table (otherwise
/// [`ElfError::HeadersBeyond`] tells how much is needed).
pub fn parse(image: &[u8], machine: Machine) -> Result<ElfInfo, ElfError> {
    parse_with(image, &ParseOptions::new(machine))
}

/// Like [`parse`], with explicit [`ParseOptions`].
pub fn parse_with(image: &[u8], opts: &ParseOptions) -> Result<ElfInfo, ElfError> {
    // Identification first, so that a short non-ELF file is reported as
    // such rather than as too short.
    let ident_len = image.len().min(4);
    if image[..ident_len] != ELFMAG[..ident_len] {
        return Err(ElfError::BadMagic);
    }
    if image.len() < EHDR_SIZE {
        if opts.file_size.is_some_and(|s| s < EHDR_SIZE as u64) {
            return Err(ElfError::TooShort);
        }
        return Err(ElfError::HeadersBeyond { needed: EHDR_SIZE });
    }
    let class = image[4];
    if class != ELFCLASS64 {
        return Err(ElfError::BadClass(class));
    }
    let data = image[5];
    if data != ELFDATA2LSB {
        return Err(ElfError::BadDataEncoding(data));
    }
    let version = image[6];
    if version != EV_CURRENT {
        return Err(ElfError::BadVersion(version));
    }

    let e_type = read_u16(image, 16);
    let elf_type = match e_type {
        ET_EXEC => ElfType::Exec,
        ET_DYN => ElfType::Dyn,
        other => return Err(ElfError::BadType(other)),
    };
    let e_machine = read_u16(image, 18);
    if e_machine != opts.machine.e_machine() {
        return Err(ElfError::WrongMachine(e_machine));
    }
    let entry = read_u64(image, 24);
    let phoff = read_u64(image, 32);
    let phentsize = read_u16(image, 54);
    let phnum = read_u16(image, 56);
    if usize::from(phentsize) != PHDR_SIZE {
        return Err(ElfError::BadPhentsize(phentsize));
    }
    let table_size = usize::from(phnum) * PHDR_SIZE;
    if phnum == 0 || table_size > MAX_PHDR_TABLE {
        return Err(ElfError::BadPhnum(phnum));
    }

    let table_end = phoff
        .checked_add(table_size as u64)
        .ok_or(ElfError::PhdrsOutOfBounds)?;
    if opts.file_size.is_some_and(|s| table_end > s) {
        return Err(ElfError::PhdrsOutOfBounds);
    }
    let table_end = usize::try_from(table_end).map_err(|_| ElfError::PhdrsOutOfBounds)?;
    let phoff_usize = table_end - table_size;
    let table = image
        .get(phoff_usize..table_end)
        .ok_or(ElfError::HeadersBeyond { needed: table_end })?;

    if entry >= opts.user_limit {
        return Err(ElfError::EntryBeyondUserLimit);
    }

    let mut info = ElfInfo {
        elf_type,
        entry,
        phoff,
        phnum,
        phentsize,
        segments: Vec::new(),
        interp: None,
        stack_executable: false,
        relro: None,
        phdr_vaddr: None,
        tls: None,
    };

    for (index, ph) in table.chunks_exact(PHDR_SIZE).enumerate() {
        let p_type = read_u32(ph, 0);
        let p_flags = read_u32(ph, 4);
        let p_offset = read_u64(ph, 8);
        let p_vaddr = read_u64(ph, 16);
        let p_filesz = read_u64(ph, 32);
        let p_memsz = read_u64(ph, 40);
        let p_align = read_u64(ph, 48);
        match p_type {
            PT_LOAD => {
                let seg = check_load(index, opts, p_offset, p_vaddr, p_filesz, p_memsz)?;
                if let Some(prev) = info.segments.last() {
                    if p_vaddr < prev.vaddr {
                        return Err(ElfError::SegmentsUnsorted { index });
                    }
                    if p_vaddr < prev.mem_end() {
                        return Err(ElfError::SegmentsOverlap { index });
                    }
                }
                info.segments.push(LoadSegment {
                    readable: p_flags & PF_R != 0,
                    writable: p_flags & PF_W != 0,
                    executable: p_flags & PF_X != 0,
                    align: p_align,
                    ..seg
                });
            }
            PT_INTERP if info.interp.is_none() => {
                info.interp = Some(check_interp(image, opts, p_offset, p_filesz)?);
            }
            PT_GNU_STACK => info.stack_executable = p_flags & PF_X != 0,
            PT_GNU_RELRO if info.relro.is_none() => info.relro = Some((p_vaddr, p_memsz)),
            PT_PHDR if info.phdr_vaddr.is_none() => info.phdr_vaddr = Some(p_vaddr),
            PT_TLS if info.tls.is_none() => {
                info.tls = Some(TlsSegment {
                    vaddr: p_vaddr,
                    filesz: p_filesz,
                    memsz: p_memsz,
                    align: p_align,
                });
            }
            _ => {}
        }
    }

    if info.segments.is_empty() {
        return Err(ElfError::NoLoadSegments);
    }
    Ok(info)
}

/// Validates one `PT_LOAD` header (everything but the flags and ordering).
fn check_load(
    index: usize,
    opts: &ParseOptions,
    offset: u64,
    vaddr: u64,
    filesz: u64,
    memsz: u64,
) -> Result<LoadSegment, ElfError> {
    if filesz > memsz {
        return Err(ElfError::FileszExceedsMemsz { index });
    }
    let file_end = offset
        .checked_add(filesz)
        .ok_or(ElfError::SegmentOverflow { index })?;
    let mem_end = vaddr
        .checked_add(memsz)
        .ok_or(ElfError::SegmentOverflow { index })?;
    if page_up(mem_end).is_none() {
        return Err(ElfError::SegmentOverflow { index });
    }
    if mem_end > opts.user_limit {
        return Err(ElfError::SegmentBeyondUserLimit { index });
    }
    if filesz > 0 && offset % PAGE_SIZE != vaddr % PAGE_SIZE {
        return Err(ElfError::SegmentMisaligned { index });
    }
    if filesz > 0 && opts.file_size.is_some_and(|s| file_end > s) {
        return Err(ElfError::SegmentBeyondFile { index });
    }
    Ok(LoadSegment {
        vaddr,
        memsz,
        file_offset: offset,
        filesz,
        readable: false,
        writable: false,
        executable: false,
        align: 0,
    })
}

/// Validates `PT_INTERP` and extracts the path if `image` holds it.
fn check_interp(
    image: &[u8],
    opts: &ParseOptions,
    offset: u64,
    size: u64,
) -> Result<Interp, ElfError> {
    if !(2..=PATH_MAX).contains(&size) {
        return Err(ElfError::BadInterpSize(size));
    }
    let end = offset
        .checked_add(size)
        .ok_or(ElfError::InterpOutOfBounds)?;
    if opts.file_size.is_some_and(|s| end > s) {
        return Err(ElfError::InterpOutOfBounds);
    }
    let bytes = usize::try_from(offset)
        .ok()
        .zip(usize::try_from(end).ok())
        .and_then(|(start, end)| image.get(start..end));
    let path = match bytes {
        Some(bytes) => Some(Interp::path_from(bytes)?.to_vec()),
        None => None,
    };
    Ok(Interp { offset, size, path })
}

fn read_u16(b: &[u8], off: usize) -> u16 {
    let mut v = [0u8; 2];
    if let Some(s) = b.get(off..off + 2) {
        v.copy_from_slice(s);
    }
    u16::from_le_bytes(v)
}

fn read_u32(b: &[u8], off: usize) -> u32 {
    let mut v = [0u8; 4];
    if let Some(s) = b.get(off..off + 4) {
        v.copy_from_slice(s);
    }
    u32::from_le_bytes(v)
}

fn read_u64(b: &[u8], off: usize) -> u64 {
    let mut v = [0u8; 8];
    if let Some(s) = b.get(off..off + 8) {
        v.copy_from_slice(s);
    }
    u64::from_le_bytes(v)
}

/// Rounds down to a page boundary.
pub const fn page_down(addr: u64) -> u64 {
    addr & !(PAGE_SIZE - 1)
}

/// Rounds up to a page boundary, or `None` on overflow.
pub const fn page_up(addr: u64) -> Option<u64> {
    match addr.checked_add(PAGE_SIZE - 1) {
        Some(a) => Some(a & !(PAGE_SIZE - 1)),
        None => None,
    }
}

#[cfg(test)]
mod tests;

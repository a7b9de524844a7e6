//! The initial user stack of a new program, as Linux builds it.
//!
//! Linux builds the stack in two steps. `fs/exec.c` first copies the
//! strings: the stack pointer-to-be (`bprm->p`) starts one pointer below the
//! top of the stack area, leaving an 8-byte zero word at the very top; then
//! the file name passed to `execve` (`AT_EXECFN`) is copied below it, then
//! the environment strings and then the argument strings, each list from its
//! last string to its first, so that in ascending memory order the strings
//! read `argv[0] .. argv[argc-1] envp[0] .. envp[envc-1] execfn`, each
//! NUL-terminated and with no gaps. Then `create_elf_tables()` in
//! `fs/binfmt_elf.c` aligns the pointer down to 16 bytes
//! (`arch_align_stack()`, which on x86-64 and AArch64 also subtracts a
//! random amount below 8 KiB when address-space randomisation is enabled:
//! this crate does not do that part), copies the platform string
//! (`AT_PLATFORM`, if the architecture has one), then the 16 random bytes
//! (`AT_RANDOM`) directly below it, and finally lays out the table that the
//! program's entry code reads from its stack pointer upwards: `argc`, the
//! `argv` pointers and a NULL, the `envp` pointers and a NULL, and the
//! auxiliary vector ending with `AT_NULL`. The table's start is rounded
//! down so that the stack pointer (which points at `argc`) is 16-byte
//! aligned, as both ABIs require at process entry.
//!
//! ```text
//!  stack_top ─► ┌──────────────────────────────┐ (16-aligned, exclusive)
//!               │ 8 zero bytes                 │
//!               │ execfn  "\0"                 │ ◄─ AT_EXECFN
//!               │ envp[envc-1] "\0"            │
//!               │ ...                          │
//!               │ envp[0] "\0"                 │ ◄─ env_start
//!               │ argv[argc-1] "\0"            │
//!               │ ...                          │
//!               │ argv[0] "\0"                 │ ◄─ arg_start (lowest string)
//!               │ 0..15 bytes to align to 16   │
//!               │ platform "\0" (if non-empty) │ ◄─ AT_PLATFORM
//!               │ 16 random bytes              │ ◄─ AT_RANDOM (may be unaligned)
//!               │ 0..15 bytes to align sp      │
//!               │ AT_NULL, 0                   │
//!               │ ... (type, value) pairs      │
//!               │ auxv[0]                      │ ◄─ auxv_addr
//!               │ NULL                         │
//!               │ envp[envc-1] .. envp[0]      │ ◄─ envp_addr
//!               │ NULL                         │
//!               │ argv[argc-1] .. argv[0]      │ ◄─ argv_addr = sp + 8
//!  sp ────────► │ argc                         │ (16-aligned)
//!               └──────────────────────────────┘
//! ```
//!
//! The auxiliary vector holds the caller's entries in the caller's order,
//! followed by `AT_RANDOM`, `AT_EXECFN`, `AT_PLATFORM` (only with a
//! non-empty platform string) and `AT_NULL`, which this module adds because
//! it alone knows where their data lies. Linux places `AT_RANDOM` a little
//! earlier (after `AT_SECURE`), which no program can rely on.
//!
//! Since Linux 5.18, `execve` with an empty `argv` runs the program with
//! `argc == 1` and `argv[0] == ""`. That is the caller's policy to apply:
//! this module lays out exactly the `argv` it is given.

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use crate::auxv::{AT_EXECFN, AT_NULL, AT_PLATFORM, AT_RANDOM};

/// Linux's `MAX_ARG_STRLEN`: the longest single argument or environment
/// string (including its NUL) `execve` accepts (32 pages).
pub const MAX_ARG_STRLEN: usize = 32 * 4096;

const WORD: u64 = 8;

/// Inputs for [`build_initial_stack`].
#[derive(Debug, Clone, Copy)]
pub struct StackParams<'a> {
    /// The exclusive upper end of the stack; must be 16-byte aligned.
    pub stack_top: u64,
    /// Argument strings, without NUL terminators.
    pub argv: &'a [&'a [u8]],
    /// Environment strings (`NAME=value`), without NUL terminators.
    pub envp: &'a [&'a [u8]],
    /// The file name passed to `execve` (for `AT_EXECFN`).
    pub execfn: &'a [u8],
    /// The `AT_PLATFORM` string (e.g. `b"x86_64"`); empty for none.
    pub platform: &'a [u8],
    /// The 16 bytes `AT_RANDOM` points to.
    pub random: [u8; 16],
    /// Auxiliary vector entries other than `AT_RANDOM`, `AT_EXECFN`,
    /// `AT_PLATFORM` and `AT_NULL`, in order.
    pub auxv: &'a [(u64, u64)],
    /// The largest acceptable image size, `stack_top - sp`.
    pub max_size: usize,
}

/// The built stack: `bytes` is the memory from `sp` up to `stack_top`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackImage {
    /// Initial stack pointer; points at `argc`; 16-byte aligned.
    pub sp: u64,
    /// Contents of `[sp, stack_top)`.
    pub bytes: Vec<u8>,
    /// Address of the `argv` pointer array (`sp + 8`).
    pub argv_addr: u64,
    /// Address of the `envp` pointer array.
    pub envp_addr: u64,
    /// Address of the auxiliary vector.
    pub auxv_addr: u64,
    /// Address of the first argument string (Linux's `mm->arg_start`).
    pub arg_start: u64,
    /// End of the argument strings (`mm->arg_end`, = `env_start`).
    pub arg_end: u64,
    /// Address of the first environment string (`mm->env_start`).
    pub env_start: u64,
    /// End of the environment strings (`mm->env_end`).
    pub env_end: u64,
    /// Address of the `AT_EXECFN` string.
    pub execfn_addr: u64,
    /// Address of the `AT_PLATFORM` string, if one was placed.
    pub platform_addr: Option<u64>,
    /// Address of the 16 `AT_RANDOM` bytes.
    pub random_addr: u64,
}

impl StackImage {
    /// The exclusive end of the image (`stack_top`).
    pub fn top(&self) -> u64 {
        self.sp + self.bytes.len() as u64
    }
}

/// Why the stack could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackError {
    /// The image would exceed `max_size` bytes (`E2BIG`).
    TooBig {
        /// Size the image would need.
        needed: u64,
        /// The limit given.
        max: usize,
    },
    /// A string is longer than [`MAX_ARG_STRLEN`] (`E2BIG`).
    StringTooLong,
    /// A string contains a NUL byte, which would desynchronise the
    /// pointers from the strings.
    InteriorNul,
    /// `stack_top` is not 16-byte aligned.
    MisalignedTop,
    /// The image would extend below address 0.
    AddressUnderflow,
    /// The caller passed one of the auxiliary vector types this module adds
    /// itself (`AT_NULL`, `AT_RANDOM`, `AT_EXECFN`, `AT_PLATFORM`).
    ReservedAuxvType(u64),
}

impl fmt::Display for StackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            StackError::TooBig { needed, max } => {
                write!(f, "initial stack needs {needed} bytes, limit is {max}")
            }
            StackError::StringTooLong => write!(f, "argument or environment string too long"),
            StackError::InteriorNul => write!(f, "string contains a NUL byte"),
            StackError::MisalignedTop => write!(f, "stack top not 16-byte aligned"),
            StackError::AddressUnderflow => write!(f, "initial stack extends below address 0"),
            StackError::ReservedAuxvType(t) => {
                write!(f, "auxiliary vector type {t} is added by the stack builder")
            }
        }
    }
}

impl core::error::Error for StackError {}

/// Length of a string with its NUL, after checking it.
fn string_size(s: &[u8]) -> Result<u64, StackError> {
    if s.contains(&0) {
        return Err(StackError::InteriorNul);
    }
    let size = s.len() + 1;
    if size > MAX_ARG_STRLEN {
        return Err(StackError::StringTooLong);
    }
    Ok(size as u64)
}

/// Sum of the NUL-terminated sizes of `strings`.
fn strings_size(strings: &[&[u8]]) -> Result<u64, StackError> {
    strings.iter().try_fold(0u64, |acc, s| {
        acc.checked_add(string_size(s)?)
            .ok_or(StackError::AddressUnderflow)
    })
}

/// Builds the initial stack image; see the [module documentation](self)
/// for the layout.
pub fn build_initial_stack(params: &StackParams<'_>) -> Result<StackImage, StackError> {
    let top = params.stack_top;
    if !top.is_multiple_of(16) {
        return Err(StackError::MisalignedTop);
    }
    if let Some(&(t, _)) = params
        .auxv
        .iter()
        .find(|(t, _)| matches!(*t, AT_NULL | AT_RANDOM | AT_EXECFN | AT_PLATFORM))
    {
        return Err(StackError::ReservedAuxvType(t));
    }

    let sub = |a: u64, b: u64| a.checked_sub(b).ok_or(StackError::AddressUnderflow);
    let words = |n: usize| -> Result<u64, StackError> {
        (n as u64)
            .checked_mul(WORD)
            .ok_or(StackError::AddressUnderflow)
    };

    // Strings, top down: end marker, execfn, envp, argv.
    let execfn_addr = sub(sub(top, WORD)?, string_size(params.execfn)?)?;
    let env_start = sub(execfn_addr, strings_size(params.envp)?)?;
    let arg_start = sub(env_start, strings_size(params.argv)?)?;

    // create_elf_tables(): align, platform string, random bytes.
    let mut p = arg_start & !15;
    let platform_addr = if params.platform.is_empty() {
        None
    } else {
        p = sub(p, string_size(params.platform)?)?;
        Some(p)
    };
    p = sub(p, 16)?;
    let random_addr = p;

    // The table: argc, argv + NULL, envp + NULL, auxv (caller's + ours +
    // AT_NULL), with sp rounded down to 16 bytes.
    let ours = 2 + usize::from(platform_addr.is_some()) + 1;
    let auxv_words = params
        .auxv
        .len()
        .checked_add(ours)
        .and_then(|n| n.checked_mul(2))
        .ok_or(StackError::AddressUnderflow)?;
    let items = params
        .argv
        .len()
        .checked_add(params.envp.len())
        .and_then(|n| n.checked_add(3))
        .ok_or(StackError::AddressUnderflow)?;
    let sp = sub(sub(p, words(auxv_words)?)?, words(items)?)? & !15;

    let size = top - sp;
    if size > params.max_size as u64 {
        return Err(StackError::TooBig {
            needed: size,
            max: params.max_size,
        });
    }

    // Everything is in range now: lay the bytes out.
    let mut bytes = vec![0u8; size as usize];
    let put = |bytes: &mut Vec<u8>, addr: u64, data: &[u8]| {
        let o = (addr - sp) as usize;
        bytes[o..o + data.len()].copy_from_slice(data);
    };

    // Strings (their NULs are already zero) and the pointer arrays.
    let argv_addr = sp + WORD;
    let envp_addr = argv_addr + words(params.argv.len() + 1)?;
    let auxv_addr = envp_addr + words(params.envp.len() + 1)?;

    put(&mut bytes, sp, &(params.argv.len() as u64).to_le_bytes());
    let mut s = arg_start;
    for (i, arg) in params.argv.iter().enumerate() {
        put(&mut bytes, s, arg);
        put(&mut bytes, argv_addr + WORD * i as u64, &s.to_le_bytes());
        s += arg.len() as u64 + 1;
    }
    debug_assert_eq!(s, env_start);
    for (i, env) in params.envp.iter().enumerate() {
        put(&mut bytes, s, env);
        put(&mut bytes, envp_addr + WORD * i as u64, &s.to_le_bytes());
        s += env.len() as u64 + 1;
    }
    debug_assert_eq!(s, execfn_addr);
    put(&mut bytes, execfn_addr, params.execfn);
    if let Some(addr) = platform_addr {
        put(&mut bytes, addr, params.platform);
    }
    put(&mut bytes, random_addr, &params.random);

    let mut a = auxv_addr;
    let mut aux = |bytes: &mut Vec<u8>, key: u64, value: u64| {
        put(bytes, a, &key.to_le_bytes());
        put(bytes, a + WORD, &value.to_le_bytes());
        a += 2 * WORD;
    };
    for &(key, value) in params.auxv {
        aux(&mut bytes, key, value);
    }
    aux(&mut bytes, AT_RANDOM, random_addr);
    aux(&mut bytes, AT_EXECFN, execfn_addr);
    if let Some(addr) = platform_addr {
        aux(&mut bytes, AT_PLATFORM, addr);
    }
    aux(&mut bytes, AT_NULL, 0);

    Ok(StackImage {
        sp,
        bytes,
        argv_addr,
        envp_addr,
        auxv_addr,
        arg_start,
        arg_end: env_start,
        env_start,
        env_end: execfn_addr,
        execfn_addr,
        platform_addr,
        random_addr,
    })
}

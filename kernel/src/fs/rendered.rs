//! Files of the pseudo file systems (/proc, /sys, cgroup2): their text is
//! rendered once, at open, so a reader paging through it with small reads
//! sees one consistent snapshot, as Linux's seq_file gives; a write is one
//! command handed to the file system as a whole.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::file::{FileOps, OpenFile};
use crate::errno::{Errno, KResult};

/// What a write to the file does (the bytes of one write call).
pub type WriteFn = Box<dyn Fn(&[u8]) -> KResult<()> + Send + Sync>;

/// An open pseudo file.
pub struct RenderedFile {
    content: Vec<u8>,
    on_write: Option<WriteFn>,
}

impl RenderedFile {
    /// A file showing `content`; writes go to `on_write` (EINVAL without).
    pub fn new(content: Vec<u8>, on_write: Option<WriteFn>) -> RenderedFile {
        RenderedFile { content, on_write }
    }
}

impl FileOps for RenderedFile {
    fn read(&self, _file: &OpenFile, offset: &mut u64, buf: &mut [u8]) -> KResult<usize> {
        let start = usize::try_from(*offset).unwrap_or(usize::MAX).min(self.content.len());
        let n = buf.len().min(self.content.len() - start);
        buf[..n].copy_from_slice(&self.content[start..start + n]);
        *offset += n as u64;
        Ok(n)
    }

    fn write(&self, _file: &OpenFile, offset: &mut u64, buf: &[u8]) -> KResult<usize> {
        let on_write = self.on_write.as_ref().ok_or(Errno::EINVAL)?;
        on_write(buf)?;
        *offset += buf.len() as u64;
        Ok(buf.len())
    }

    fn seekable(&self) -> bool {
        true
    }

    fn size(&self) -> u64 {
        self.content.len() as u64
    }
}

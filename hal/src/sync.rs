//! Spin locks that are safe to take from interrupt handlers.
//!
//! Every lock in the kernel is IRQ-safe: taking it disables interrupts on
//! this CPU until the guard drops (lesson 2 of the design: retrofitting IRQ
//! safety later cost eight dependent fixes). Re-taking a lock on the CPU
//! that already holds it is a guaranteed deadlock and panics instead.

use core::cell::UnsafeCell;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicU32, Ordering};

use crate::arch::irq;

/// A mutual-exclusion spin lock that disables interrupts while held.
pub struct SpinLock<T: ?Sized> {
    /// 0 when free, otherwise the holder's CPU number plus one.
    owner: AtomicU32,
    data: UnsafeCell<T>,
}

// SAFETY: the lock hands out access to `data` to one holder at a time.
unsafe impl<T: ?Sized + Send> Sync for SpinLock<T> {}
// SAFETY: moving the lock moves the data; needs T: Send.
unsafe impl<T: ?Sized + Send> Send for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// A new unlocked lock.
    pub const fn new(value: T) -> Self {
        SpinLock { owner: AtomicU32::new(0), data: UnsafeCell::new(value) }
    }

    /// Consumes the lock, returning the data.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> SpinLock<T> {
    /// Takes the lock, spinning while another CPU holds it.
    #[inline]
    #[track_caller]
    pub fn lock(&self) -> SpinLockGuard<'_, T> {
        let irq_was_enabled = irq::save_and_disable();
        let me = crate::arch::cpu_id() + 1;
        loop {
            match self.owner.compare_exchange_weak(0, me, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => break,
                Err(holder) if holder == me => {
                    panic!("SpinLock: recursive lock on cpu {}", me - 1);
                }
                Err(_) => core::hint::spin_loop(),
            }
        }
        SpinLockGuard { lock: self, irq_was_enabled }
    }

    /// Takes the lock if it is free.
    pub fn try_lock(&self) -> Option<SpinLockGuard<'_, T>> {
        let irq_was_enabled = irq::save_and_disable();
        let me = crate::arch::cpu_id() + 1;
        if self.owner.compare_exchange(0, me, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            Some(SpinLockGuard { lock: self, irq_was_enabled })
        } else {
            irq::restore(irq_was_enabled);
            None
        }
    }

    /// Whether some CPU holds the lock (for assertions only).
    pub fn is_locked(&self) -> bool {
        self.owner.load(Ordering::Relaxed) != 0
    }

    /// Mutable access without locking, through exclusive ownership.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }
}

impl<T: Default> Default for SpinLock<T> {
    fn default() -> Self {
        SpinLock::new(T::default())
    }
}

impl<T: ?Sized + core::fmt::Debug> core::fmt::Debug for SpinLock<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SpinLock { .. }")
    }
}

/// Access to the data of a held [`SpinLock`].
pub struct SpinLockGuard<'a, T: ?Sized> {
    lock: &'a SpinLock<T>,
    irq_was_enabled: bool,
}

impl<T: ?Sized> Deref for SpinLockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves this CPU holds the lock.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for SpinLockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard proves this CPU holds the lock exclusively.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for SpinLockGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.owner.store(0, Ordering::Release);
        irq::restore(self.irq_was_enabled);
    }
}

/// A cell written once (at boot) and read lock-free afterwards.
pub struct OnceCell<T> {
    state: core::sync::atomic::AtomicU8,
    value: UnsafeCell<core::mem::MaybeUninit<T>>,
}

// SAFETY: the value is written once before `state` turns READY (Release)
// and only read after observing READY (Acquire).
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}

impl<T> OnceCell<T> {
    const EMPTY: u8 = 0;
    const WRITING: u8 = 1;
    const READY: u8 = 2;

    /// An empty cell.
    pub const fn new() -> Self {
        OnceCell { state: core::sync::atomic::AtomicU8::new(Self::EMPTY), value: UnsafeCell::new(core::mem::MaybeUninit::uninit()) }
    }

    /// Stores the value; panics if the cell was already set.
    pub fn set(&self, value: T) {
        let won = self.state.compare_exchange(Self::EMPTY, Self::WRITING, Ordering::Acquire, Ordering::Relaxed).is_ok();
        assert!(won, "OnceCell set twice");
        // SAFETY: this caller won the only transition out of EMPTY.
        unsafe { (*self.value.get()).write(value) };
        self.state.store(Self::READY, Ordering::Release);
    }

    /// The value, if set.
    #[inline]
    pub fn get(&self) -> Option<&T> {
        if self.state.load(Ordering::Acquire) == Self::READY {
            // SAFETY: READY means the value was fully written.
            Some(unsafe { (*self.value.get()).assume_init_ref() })
        } else {
            None
        }
    }
}

impl<T> Default for OnceCell<T> {
    fn default() -> Self {
        Self::new()
    }
}

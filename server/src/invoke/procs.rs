//! Operating-system details of running function code: one process group per instance (so a timeout
//! kills everything the function started), a pipe shared by stdout and stderr (Lambda merges them into
//! one log stream), peak memory from `/proc`, and a registry of live groups that is emptied on exit.

use std::collections::HashSet;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::sync::Mutex;

static LIVE: Mutex<Option<HashSet<i32>>> = Mutex::new(None);

fn live() -> std::sync::MutexGuard<'static, Option<HashSet<i32>>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn track(pgid: i32) {
    // 0 or a negative id would make `kill(-pgid)` hit our own group or every process we may signal.
    if pgid > 0 {
        live().get_or_insert_with(HashSet::new).insert(pgid);
    }
}

/// Kills a process group (the instance's runtime and everything it started) and forgets it.
pub fn kill_group(pgid: i32) {
    if pgid > 0 {
        // SAFETY: plain system call; a group that is already gone gives ESRCH, which is fine.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
    }
    if let Some(set) = live().as_mut() {
        set.remove(&pgid);
    }
}

/// Kills every process group still running: called when the server or the CLI exits.
pub fn kill_all() {
    let groups: Vec<i32> = live()
        .as_mut()
        .map(|s| s.drain().collect())
        .unwrap_or_default();
    for g in groups.into_iter().filter(|g| *g > 0) {
        // SAFETY: as above.
        unsafe {
            libc::kill(-g, libc::SIGKILL);
        }
    }
}

/// A pipe whose ends are closed on exec, so runtimes started later never inherit another's output.
pub fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
    // SAFETY: `fds` is a valid array of two descriptors for the call to fill.
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
    // SAFETY: as above; macOS has no pipe2, so close-on-exec is set right after (our own spawns hold
    // the process-wide fork lock of std, so none can slip in between).
    let rc = unsafe {
        let rc = libc::pipe(fds.as_mut_ptr());
        if rc == 0 {
            libc::fcntl(fds[0], libc::F_SETFD, libc::FD_CLOEXEC);
            libc::fcntl(fds[1], libc::F_SETFD, libc::FD_CLOEXEC);
        }
        rc
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Bytes waiting to be read in a pipe.
pub fn pending_bytes(fd: RawFd) -> usize {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int through the pointer.
    let rc = unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) };
    if rc == 0 {
        n.max(0) as usize
    } else {
        0
    }
}

/// Peak resident memory of a process in MiB (`VmHWM`), when it can be read.
pub fn peak_rss_mb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb.div_ceil(1024))
}

/// Runs in the child between fork and exec: the runtime dies with us even if we are killed outright.
pub fn child_setup(cmd: &mut tokio::process::Command) {
    cmd.process_group(0);
    #[cfg(target_os = "linux")]
    // SAFETY: only async-signal-safe calls (prctl, getppid) run between fork and exec.
    unsafe {
        let parent = libc::getpid();
        cmd.pre_exec(move || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            // The parent may have died before prctl took effect.
            if libc::getppid() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

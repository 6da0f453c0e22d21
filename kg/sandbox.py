"""A process that must not reach the network cannot: a seccomp filter refuses it every socket but AF_UNIX.

Installed by the query workers, the server's writer and extractors, the ingest workers and the offline CLI
commands before they touch user input. The filter is a classic-BPF program handed to seccomp(2) with TSYNC
(all threads, and every thread or child started later, inherit it). It denies, with EACCES, ``socket()`` for
any family but AF_UNIX, and ``io_uring_setup`` (io_uring can open sockets without the socket syscall); a
syscall made under another ABI (i386 ``int 0x80``, x32) is denied whole, since its numbers differ. Where the
kernel or the machine offers no seccomp, ``deny_network`` raises ``SandboxError``: callers refuse to run
rather than run open.
"""
from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import signal
import socket
import struct

# Per architecture: AUDIT_ARCH_*, and the numbers of seccomp, socket and io_uring_setup.
_ARCHES = {
    "x86_64": (0xC000003E, 317, 41, 425),
    "aarch64": (0xC00000B7, 277, 198, 425),
}
_X32_BIT = 0x40000000
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_PDEATHSIG = 1
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
# offsets in struct seccomp_data: nr, arch, instruction_pointer, args[6] (little-endian: low word first)
_NR, _ARCH, _ARG0_LOW = 0, 4, 16


class SandboxError(RuntimeError):
    pass


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def program(arch: int, socket_nr: int, uring_nr: int) -> bytes:
    deny = _RET_ERRNO | errno.EACCES
    ops = [
        _op(_LD_W_ABS, _ARCH),
        _op(_JEQ_K, arch, 1, 0),             # another ABI: deny
        _op(_RET_K, deny),
        _op(_LD_W_ABS, _NR),
        _op(_JGE_K, _X32_BIT, 0, 1),         # x32 syscall numbers: deny
        _op(_RET_K, deny),
        _op(_JEQ_K, uring_nr, 0, 1),
        _op(_RET_K, deny),
        _op(_JEQ_K, socket_nr, 1, 0),
        _op(_RET_K, _RET_ALLOW),
        _op(_LD_W_ABS, _ARG0_LOW),           # socket(domain, ...): only AF_UNIX
        _op(_JEQ_K, socket.AF_UNIX, 0, 1),
        _op(_RET_K, _RET_ALLOW),
        _op(_RET_K, deny),
    ]
    return b"".join(ops)


def deny_network() -> None:
    """Make this process, its threads and its children unable to open any but local (AF_UNIX) sockets."""
    machine = platform.machine()
    if os.name != "posix" or platform.system() != "Linux" or machine not in _ARCHES:
        raise SandboxError(f"no network sandbox on {platform.system()} {machine}: seccomp on Linux x86_64 or "
                           "aarch64 is needed")
    arch, seccomp_nr, socket_nr, uring_nr = _ARCHES[machine]
    code = program(arch, socket_nr, uring_nr)
    prog = _SockFprog(len(code) // 8, code)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(f"prctl(PR_SET_NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}")
    if libc.syscall(seccomp_nr, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(prog)) != 0:
        raise SandboxError(f"seccomp(SECCOMP_SET_MODE_FILTER) failed: {os.strerror(ctypes.get_errno())}")
    if network_open():
        raise SandboxError("the seccomp filter is installed but an AF_INET socket still opens")


def network_open() -> bool:
    """True if this process can still open an internet socket."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
        except PermissionError:
            continue
        except OSError as exc:
            if exc.errno in (errno.EAFNOSUPPORT, errno.EACCES, errno.EPERM):
                continue
            raise
        return True
    return False


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (PR_SET_PDEATHSIG), so that no worker outlives a
    killed ``kg ingest`` or server; ``parent`` is the pid it was started by: if that one is already gone, exit."""
    if platform.system() == "Linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space: an allocation past it fails instead of exhausting the machine."""
    if max_bytes > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))

# The real kernel's side of the fast-path comparison where there is no C compiler: the same as
# sender.c (sendmmsg through ctypes, 32 per call, pinned to CPU 0, TX checksum offload off on DEV).
#
# usage: python3 sender.py DST PORT SIZE ROUNDS SECS [DEV]

import ctypes
import ctypes.util
import os
import socket
import struct
import sys
import time

SIOCETHTOOL = 0x8946
ETHTOOL_GTXCSUM = 0x16
ETHTOOL_STXCSUM = 0x17
SO_SNDBUFFORCE = 32

libc = ctypes.CDLL(ctypes.util.find_library('c'), use_errno=True)


class iovec(ctypes.Structure):
    _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]


class msghdr(ctypes.Structure):
    _fields_ = [('name', ctypes.c_void_p), ('namelen', ctypes.c_uint32), ('iov', ctypes.POINTER(iovec)),
                ('iovlen', ctypes.c_size_t), ('control', ctypes.c_void_p), ('controllen', ctypes.c_size_t),
                ('flags', ctypes.c_int)]


class mmsghdr(ctypes.Structure):
    _fields_ = [('hdr', msghdr), ('len', ctypes.c_uint)]


class ethtool_value(ctypes.Structure):
    _fields_ = [('cmd', ctypes.c_uint32), ('data', ctypes.c_uint32)]


class ifreq(ctypes.Structure):
    _fields_ = [('name', ctypes.c_char * 16), ('data', ctypes.c_void_p), ('pad', ctypes.c_char * 16)]


def txcsum_off(fd, dev):
    """Whether TX checksum offload is off on dev after asking for it to be."""
    v = ethtool_value(ETHTOOL_STXCSUM, 0)
    req = ifreq(dev.encode(), ctypes.addressof(v))
    libc.ioctl(fd, SIOCETHTOOL, ctypes.byref(req))
    v.cmd, v.data = ETHTOOL_GTXCSUM, 1
    if libc.ioctl(fd, SIOCETHTOOL, ctypes.byref(req)) != 0:
        return False
    return v.data == 0


def main():
    dst, port, size, rounds, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    os.sched_setaffinity(0, {0})
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    fd = s.fileno()
    if len(sys.argv) > 6:
        print('txcsum', 'off' if txcsum_off(fd, sys.argv[6]) else 'on', flush=True)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 8 << 20)
    addr = (ctypes.c_char * 16).from_buffer_copy(struct.pack('=H', socket.AF_INET) + port.to_bytes(2, 'big') + socket.inet_aton(dst) + bytes(8))
    buf = (ctypes.c_char * size).from_buffer_copy(bytes(i & 0xff for i in range(size)))
    iovs = (iovec * 32)(*[iovec(ctypes.addressof(buf), size) for _ in range(32)])
    msgs = (mmsghdr * 32)()
    for i in range(32):
        msgs[i].hdr.name = ctypes.addressof(addr)
        msgs[i].hdr.namelen = 16
        msgs[i].hdr.iov = ctypes.pointer(iovs[i])
        msgs[i].hdr.iovlen = 1
    for _ in range(rounds):
        sent = 0
        t0 = t = time.monotonic()
        while t - t0 < secs:
            n = libc.sendmmsg(fd, msgs, 32, 0)
            if n > 0:
                sent += n
            t = time.monotonic()
        print(sent, t - t0, flush=True)


main()

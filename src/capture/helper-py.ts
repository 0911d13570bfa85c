// The part of `kpath capture` that runs inside the host's network namespace: a Python program
// (standard library only, so that any Debian machine with python3 runs it) that makes the
// scenario's socket calls at their times and reports what the kernel answered. Python, because a
// Node child cannot enter a namespace and because the socket options needed here (IP_RECVERR and
// its error queue, IP_OPTIONS, SO_BINDTODEVICE, raw ICMP) are plain setsockopt/recvmsg calls there.
//
// Modes (argv[1]):
//   setup ITEM...          in the namespace it runs in, for each ITEM in order: PATH=VALUE writes
//                          /proc/sys/PATH; offload:DEV turns off TX checksum offload, TSO and GSO
//                          on DEV (SIOCETHTOOL, so that ethtool need not be installed)
//   run                    read the plan (one JSON line) on stdin, set up the joined groups, print
//                          {"ready": true}, wait for "go", run the schedule, print the result (one
//                          JSON line), then wait for "exit" (or end of input) before closing sockets,
//                          so that nothing the closing does (IGMP leaves) lands in the capture.
//
// The plan and result shapes are HelperPlan and HelperResult below.

import type { ErrqueueEntry } from '../model/result';

export interface HelperSend {
  /** Index of the call, in the order the model makes them. */
  index: number;
  line: number;
  proto: 'udp' | 'icmp' | 'tcp';
  to: string;
  port: number;
  size: number;
  socket: string;
  df: string;
  ttl?: number;
  tos?: number;
  mark?: number;
  from?: string;
  fromPort?: number;
  connected: boolean;
  broadcast: boolean;
  bindDev?: string;
  multicastIf?: string;
  multicastTtl?: number;
  multicastLoop?: boolean;
  recverr: boolean;
  /** IP_OPTIONS bytes as hex. */
  ipOptions?: string;
  /** UDP_SEGMENT. */
  gso?: number;
  /** A call without a socket name: the socket is closed right after it, as the model does. */
  close: boolean;
}

export type HelperAction =
  | { kind: 'send'; t: number; send: HelperSend }
  /** A command run without waiting (a peer getting its address at `up-at`). */
  | { kind: 'exec'; t: number; what: string; argv: string[] };

export interface HelperPlan {
  actions: HelperAction[];
  /** ns after the schedule's start when the run ends. */
  end: number;
  /** Groups a local socket joins before the start: one socket per port, bound to GROUP:PORT. */
  joins: { group: string; dev: string; ports: number[] }[];
  /** Host devices whose counters are read before and after. */
  devices: string[];
  /** Lead time (ns) between "go" and the schedule's time 0. */
  lead: number;
}

export interface HelperSendResult {
  index: number;
  line: number;
  /** CLOCK_REALTIME (ns, as a decimal string: a JSON number would lose digits) just before the call. */
  rt: string;
  /** Scheduled time (ns after the start). */
  t: number;
  socket: string;
  result: string;
  setsockopt?: { option: string; result: string }[];
}

/** An error-queue entry as the helper reads it, with the kernel's CLOCK_REALTIME stamp (ns, decimal string) when there is one. */
export type HelperErr = Omit<ErrqueueEntry, 'time'> & { rt?: string };

export interface HelperResult {
  /** CLOCK_REALTIME (ns, decimal string) of the schedule's time 0. */
  rtStart: string;
  /** CLOCK_MONOTONIC (ns, decimal string) of the schedule's time 0: the clock of the kernel's trace. */
  monoStart?: string;
  /** The helper's process id: the kernel's events in its task context are the host namespace's. */
  pid?: number;
  rtEnd: string;
  sends: HelperSendResult[];
  execs: { what: string; rt: string; t: number; rc: number | null; stderr: string }[];
  sockets: { name: string; protocol: string; local: string; remote?: string; pendingError?: string; errqueue: HelperErr[] }[];
  /** /proc/net/snmp and /proc/net/netstat (IpExt) before and after: deltas, every key. */
  counters: Record<string, Record<string, number>>;
  devices: Record<string, Record<string, number>>;
  /** `ip -s -j neigh show nud all`, as printed (NOARP entries and lo's included). */
  neighbours: unknown;
  /** How late the calls were against their schedule, at most (ns). */
  maxLateness: number;
}

export const HELPER_PY = String.raw`
import sys, os, json, time, socket, struct, errno, subprocess, random, fcntl, array, resource

SOL_IP = 0
SOL_SOCKET = 1
SOL_UDP = 17
UDP_SEGMENT = 103
IP_TOS = 1
IP_TTL = 2
IP_OPTIONS = 4
IP_MTU_DISCOVER = 10
IP_RECVERR = 11
IP_MULTICAST_IF = 32
IP_MULTICAST_TTL = 33
IP_MULTICAST_LOOP = 34
IP_ADD_MEMBERSHIP = 35
SO_ERROR = 4
SO_BROADCAST = 6
SO_REUSEADDR = 2
SO_BINDTODEVICE = 25
SO_TIMESTAMPNS = 35
SO_SNDBUFFORCE = 32
SNDBUF = 8 << 20
SO_MARK = 36
MSG_DONTWAIT = 0x40
MSG_ERRQUEUE = 0x2000
PMTU = {'dont': 0, 'want': 1, 'do': 2, 'probe': 3, 'interface': 4, 'omit': 5}
ORIGIN = {0: 'none', 1: 'local', 2: 'icmp', 3: 'icmp6', 4: 'txstatus', 5: 'zerocopy', 6: 'txtime'}


def errname(e):
    return errno.errorcode.get(e, 'E%d' % e)


def out(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def mode_sysctl(args):
    for a in args:
        path, _, value = a.partition('=')
        try:
            with open('/proc/sys/' + path, 'w') as f:
                f.write(value)
        except OSError as e:
            sys.stderr.write('cannot set %s to %s: %s\n' % (path.replace('/', '.'), value, e.strerror))
            sys.exit(1)


SIOCETHTOOL = 0x8946
ETHTOOL_GTXCSUM = 0x16
ETHTOOL_STXCSUM = 0x17
ETHTOOL_STSO = 0x1f
ETHTOOL_SGSO = 0x24


def ethtool(s, dev, cmd, data=0):
    buf = array.array('I', [cmd, data])
    addr, _ = buf.buffer_info()
    ifr = struct.pack('16sP', dev.encode(), addr)
    fcntl.ioctl(s.fileno(), SIOCETHTOOL, ifr)
    return buf[1]


def mode_offload(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for dev in args:
        try:
            ethtool(s, dev, ETHTOOL_STXCSUM, 0)
            ethtool(s, dev, ETHTOOL_STSO, 0)
            ethtool(s, dev, ETHTOOL_SGSO, 0)
            if ethtool(s, dev, ETHTOOL_GTXCSUM) != 0:
                raise OSError(errno.EIO, 'TX checksum offload is still on')
        except OSError as e:
            sys.stderr.write('cannot turn off TX checksum offload on %s: %s\n' % (dev, e.strerror))
            sys.exit(1)


def read_snmp():
    res = {}
    for path in ('/proc/net/snmp', '/proc/net/netstat'):
        try:
            with open(path) as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        for i in range(0, len(lines) - 1, 2):
            k = lines[i].split()
            v = lines[i + 1].split()
            if not k or k[0] != v[0]:
                continue
            group = k[0].rstrip(':')
            if path.endswith('netstat') and group != 'IpExt':
                continue
            d = res.setdefault(group, {})
            for name, val in zip(k[1:], v[1:]):
                try:
                    d[name] = int(val)
                except ValueError:
                    pass
    return res


DEV_STATS = ('tx_packets', 'tx_bytes', 'tx_dropped', 'rx_packets', 'rx_bytes')


def read_devs(devs):
    res = {}
    for d in devs:
        res[d] = {}
        for k in DEV_STATS:
            try:
                with open('/sys/class/net/%s/statistics/%s' % (d, k)) as f:
                    res[d][k] = int(f.read())
            except (OSError, ValueError):
                pass
    return res


def delta(a, b):
    res = {}
    for g in b:
        for k, v in b[g].items():
            d = v - a.get(g, {}).get(k, 0)
            if g == 'Ip' and k in ('Forwarding', 'DefaultTTL'):
                continue
            res.setdefault(g, {})[k] = d
    return res


PATTERN = bytes(range(256))


def payload(n):
    return (PATTERN * (n // 256 + 1))[:n]


def icmp_csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


class Sock:
    def __init__(self, name, proto):
        self.name = name
        self.proto = proto
        if proto == 'udp':
            self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        elif proto == 'icmp':
            self.s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            self.echo_id = random.randint(1, 0xfffe)
            self.seq = 0
        else:
            self.s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.s.setblocking(False)
        if proto != 'tcp':
            # The model has no send buffer limit: datagrams that wait for ARP must not make later
            # calls fail with EAGAIN. The reference captures raised it the same way.
            try:
                self.s.setsockopt(SOL_SOCKET, SO_SNDBUFFORCE, SNDBUF)
            except OSError:
                pass
        self.bound = False
        self.connected = False


def setopt(sk, refused, name, level, opt, value):
    try:
        sk.s.setsockopt(level, opt, value)
    except OSError as e:
        refused.append({'option': name, 'result': errname(e.errno)})


def do_send(socks, snd):
    sk = socks.get(snd['socket'])
    if sk is None:
        sk = Sock(snd['socket'], snd['proto'])
        socks[snd['socket']] = sk
    refused = []
    setopt(sk, refused, 'IP_MTU_DISCOVER', SOL_IP, IP_MTU_DISCOVER, PMTU[snd['df']])
    if 'ttl' in snd:
        setopt(sk, refused, 'IP_TTL', SOL_IP, IP_TTL, snd['ttl'])
    if 'tos' in snd:
        setopt(sk, refused, 'IP_TOS', SOL_IP, IP_TOS, snd['tos'])
    if 'mark' in snd:
        setopt(sk, refused, 'SO_MARK', SOL_SOCKET, SO_MARK, snd['mark'])
    if snd['broadcast']:
        setopt(sk, refused, 'SO_BROADCAST', SOL_SOCKET, SO_BROADCAST, 1)
    if 'bindDev' in snd:
        setopt(sk, refused, 'SO_BINDTODEVICE', SOL_SOCKET, SO_BINDTODEVICE, snd['bindDev'].encode() + b'\0')
    if 'multicastIf' in snd:
        setopt(sk, refused, 'IP_MULTICAST_IF', SOL_IP, IP_MULTICAST_IF, socket.inet_aton(snd['multicastIf']))
    if 'multicastTtl' in snd:
        setopt(sk, refused, 'IP_MULTICAST_TTL', SOL_IP, IP_MULTICAST_TTL, snd['multicastTtl'])
    if 'multicastLoop' in snd:
        setopt(sk, refused, 'IP_MULTICAST_LOOP', SOL_IP, IP_MULTICAST_LOOP, 1 if snd['multicastLoop'] else 0)
    if snd['recverr']:
        setopt(sk, refused, 'IP_RECVERR', SOL_IP, IP_RECVERR, 1)
        try:
            sk.s.setsockopt(SOL_SOCKET, SO_TIMESTAMPNS, 1)
        except OSError:
            pass
    if 'ipOptions' in snd:
        setopt(sk, refused, 'IP_OPTIONS', SOL_IP, IP_OPTIONS, bytes.fromhex(snd['ipOptions']))
    if 'gso' in snd:
        setopt(sk, refused, 'UDP_SEGMENT', SOL_UDP, UDP_SEGMENT, snd['gso'])
    rt = time.time_ns()
    try:
        if 'from' in snd and not sk.bound:
            sk.s.bind((snd['from'], snd.get('fromPort', 0)))
            sk.bound = True
        dst = (snd['to'], snd['port'])
        if snd['proto'] == 'tcp':
            rt = time.time_ns()
            r = sk.s.connect_ex(dst)
            # A non-blocking connect() that has sent its SYN says EINPROGRESS: the call worked.
            result = 'ok' if r in (0, errno.EINPROGRESS) else errname(r)
        elif snd['proto'] == 'icmp':
            sk.seq = (sk.seq + 1) & 0xffff
            body = payload(snd['size'])
            hdr = struct.pack('!BBHHH', 8, 0, 0, sk.echo_id, sk.seq)
            c = icmp_csum(hdr + body)
            pkt = struct.pack('!BBHHH', 8, 0, c, sk.echo_id, sk.seq) + body
            rt = time.time_ns()
            sk.s.sendto(pkt, MSG_DONTWAIT, (snd['to'], 0))
            result = 'ok'
        else:
            body = payload(snd['size'])
            if snd['connected']:
                if not sk.connected:
                    sk.s.connect(dst)
                    sk.connected = True
                rt = time.time_ns()
                sk.s.send(body, MSG_DONTWAIT)
            else:
                rt = time.time_ns()
                sk.s.sendto(body, MSG_DONTWAIT, dst)
            result = 'ok'
    except OSError as e:
        result = errname(e.errno)
    if snd['close']:
        # A call without a socket name is a program that opens a socket, sends and closes it.
        sk.s.close()
        del socks[sk.name]
    res = {'rt': str(rt), 'socket': sk.name, 'result': result}
    if refused:
        res['setsockopt'] = refused
    return res


def drain_errqueue(sk):
    errs = []
    while True:
        try:
            data, anc, flags, addr = sk.s.recvmsg(65536, 4096, MSG_ERRQUEUE | MSG_DONTWAIT | socket.MSG_TRUNC)
        except OSError:
            break
        e = {'payloadLen': len(data)}
        for level, typ, cdata in anc:
            if level == SOL_IP and typ == IP_RECVERR and len(cdata) >= 16:
                ee_errno, origin, etype, code, pad, info, edata = struct.unpack_from('=IBBBBII', cdata, 0)
                e['errno'] = errname(ee_errno)
                e['origin'] = ORIGIN.get(origin, str(origin))
                e['type'] = etype
                e['code'] = code
                e['info'] = info
                offender = '0.0.0.0'
                if len(cdata) >= 24:
                    fam = struct.unpack_from('=H', cdata, 16)[0]
                    if fam == socket.AF_INET:
                        offender = socket.inet_ntoa(cdata[20:24])
                e['offender'] = offender
            elif level == SOL_SOCKET and typ == SO_TIMESTAMPNS and len(cdata) >= 16:
                sec, nsec = struct.unpack_from('=qq', cdata, 0)
                if sec or nsec:
                    e['rt'] = str(sec * 1000000000 + nsec)
        if 'errno' in e:
            errs.append(e)
    return errs


def addr_str(a):
    try:
        return '%s:%d' % (a[0], a[1])
    except (TypeError, IndexError):
        return str(a)


def drain(s):
    n = 0
    while True:
        try:
            s.recv(65536, MSG_DONTWAIT)
            n += 1
        except OSError:
            return n


def mode_run():
    plan = json.loads(sys.stdin.readline())
    try:
        # Named sockets stay open until the end: a scenario may name many.
        resource.setrlimit(resource.RLIMIT_NOFILE, (1 << 16, 1 << 16))
    except (ValueError, OSError):
        pass
    joined = []
    for j in plan['joins']:
        idx = socket.if_nametoindex(j['dev'])
        for port in j['ports']:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
            s.bind((j['group'], port))
            mreqn = socket.inet_aton(j['group']) + socket.inet_aton('0.0.0.0') + struct.pack('=i', idx)
            s.setsockopt(SOL_IP, IP_ADD_MEMBERSHIP, mreqn)
            joined.append(s)
    out({'ready': True})
    line = sys.stdin.readline()
    if line.strip() != 'go':
        sys.exit(0)
    socks = {}
    sends = []
    execs = []
    procs = []
    before = read_snmp()
    devs_before = read_devs(plan['devices'])
    start = time.monotonic_ns() + plan['lead']
    rt_start = time.time_ns() + (start - time.monotonic_ns())
    late = 0
    for a in plan['actions']:
        target = start + a['t']
        while True:
            now = time.monotonic_ns()
            left = target - now
            if left <= 0:
                break
            if left > 2000000:
                time.sleep((left - 1000000) / 1e9)
        late = max(late, time.monotonic_ns() - target)
        if a['kind'] == 'send':
            snd = a['send']
            r = do_send(socks, snd)
            r['index'] = snd['index']
            r['line'] = snd['line']
            r['t'] = a['t']
            sends.append(r)
        else:
            rt = time.time_ns()
            p = subprocess.Popen(a['argv'], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            procs.append((p, {'what': a['what'], 'rt': str(rt), 't': a['t']}))
    end = start + plan['end']
    while True:
        left = end - time.monotonic_ns()
        if left <= 0:
            break
        time.sleep(min(left, 50000000) / 1e9)
    rt_end = time.time_ns()
    # A joined socket takes what is delivered to it: the kernel counts Udp.InDatagrams when the
    # application reads, so read it all before the counters.
    for s in joined:
        drain(s)
    after = read_snmp()
    devs_after = read_devs(plan['devices'])
    for p, rec in procs:
        try:
            _, err = p.communicate(timeout=5)
            rec['rc'] = p.returncode
            rec['stderr'] = err.decode(errors='replace').strip()
        except subprocess.TimeoutExpired:
            p.kill()
            rec['rc'] = None
            rec['stderr'] = 'timed out'
        execs.append(rec)
    sockets = []
    for name, sk in socks.items():
        rec = {'name': name, 'protocol': sk.proto, 'errqueue': []}
        try:
            rec['local'] = addr_str(sk.s.getsockname())
        except OSError:
            rec['local'] = '0.0.0.0:0'
        try:
            rec['remote'] = addr_str(sk.s.getpeername())
        except OSError:
            pass
        try:
            e = sk.s.getsockopt(SOL_SOCKET, SO_ERROR)
            if e:
                rec['pendingError'] = errname(e)
        except OSError:
            pass
        rec['errqueue'] = drain_errqueue(sk)
        sockets.append(rec)
    try:
        neigh = json.loads(subprocess.run(['ip', '-s', '-j', 'neigh', 'show', 'nud', 'all'], capture_output=True, timeout=10).stdout or b'[]')
    except (OSError, ValueError, subprocess.TimeoutExpired):
        neigh = []
    devs = {}
    for d in devs_after:
        devs[d] = {k: v - devs_before.get(d, {}).get(k, 0) for k, v in devs_after[d].items()}
    out({
        'rtStart': str(rt_start), 'monoStart': str(start), 'pid': os.getpid(), 'rtEnd': str(rt_end), 'sends': sends, 'execs': execs, 'sockets': sockets,
        'counters': delta(before, after), 'devices': devs, 'neighbours': neigh, 'maxLateness': late,
    })
    sys.stdin.readline()


def mode_setup(args):
    for a in args:
        if a.startswith('offload:'):
            mode_offload([a[8:]])
        else:
            mode_sysctl([a])


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ''
    if mode == 'setup':
        mode_setup(sys.argv[2:])
    elif mode == 'run':
        mode_run()
    else:
        sys.stderr.write('usage: helper.py setup ITEM...|run\n')
        sys.exit(2)


main()
`;

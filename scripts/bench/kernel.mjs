// The real kernel on the fast path's work, measured in the same run: UDP datagrams sent with
// sendmmsg (sender.c, or sender.py without gcc) over a veth pair between two network namespaces
// of the bench's own (kpath-bench-<pid>-h and -p, deleted at the end, on errors and on Ctrl-C;
// the traffic never leaves them). The sender's device computes UDP checksums in software, as the
// model does, and the peer drops every datagram on arrival (an nft ingress chain on veth1).
// Needs root and iproute2.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './measure.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', ...opts });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')}: ${r.error?.message ?? r.stderr.trim()}`);
  return r.stdout;
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** The sender to run: sender.c compiled into `tmp`, or sender.py; or why neither can run. */
function sender(tmp, notes) {
  if (has('gcc')) {
    const bin = path.join(tmp, 'sender');
    try {
      sh('gcc', ['-O2', '-o', bin, path.join(HERE, 'sender.c')]);
      return { argv: [bin], name: 'C (sender.c)' };
    } catch (e) {
      notes.push(`gcc failed (${e.message.split('\n')[0]}), using Python`);
    }
  }
  if (has('python3')) return { argv: ['python3', path.join(HERE, 'sender.py')], name: 'Python ctypes (sender.py)' };
  return { reason: 'neither gcc nor python3' };
}

/** The namespaces, the veth pair and the peer's drop. */
function setUp(host, peer, notes) {
  sh('ip', ['netns', 'add', host]);
  sh('ip', ['netns', 'add', peer]);
  sh('ip', ['link', 'add', 'veth0', 'netns', host, 'type', 'veth', 'peer', 'name', 'veth1', 'netns', peer]);
  sh('ip', ['-n', host, 'link', 'set', 'lo', 'up']);
  sh('ip', ['-n', host, 'link', 'set', 'veth0', 'address', '02:00:00:00:00:01', 'mtu', '1500', 'up']);
  sh('ip', ['-n', peer, 'link', 'set', 'veth1', 'address', '02:00:00:00:00:02', 'up']);
  sh('ip', ['-n', host, 'addr', 'add', '192.0.2.1/24', 'dev', 'veth0']);
  sh('ip', ['-n', host, 'neigh', 'add', '192.0.2.2', 'lladdr', '02:00:00:00:00:02', 'dev', 'veth0', 'nud', 'permanent']);
  // The peer drops every datagram as it arrives (an nft ingress chain on veth1); without nft, its
  // IP layer drops them (it has no address).
  if (!has('nft')) {
    notes.push('kernel: no nft, so the peer drops the datagrams in its IP layer rather than on arrival');
    return;
  }
  const ruleset = 'table netdev bench { chain ingress { type filter hook ingress device veth1 priority 0; policy drop; }; }\n';
  sh('ip', ['netns', 'exec', peer, 'nft', '-f', '-'], { input: ruleset });
}

/**
 * Packets/s of the kernel for each of `sizes` (bytes of UDP payload), median of the rounds;
 * or `{ reason }` when it cannot be measured here.
 */
export function kernelRates({ quick, tmp, notes }, sizes) {
  if (process.getuid?.() !== 0) return { reason: 'not root' };
  if (!has('ip')) return { reason: 'no iproute2 (ip)' };
  const s = sender(tmp, notes);
  if (s.reason) return s;
  const ns = `kpath-bench-${process.pid}`;
  const host = `${ns}-h`;
  const peer = `${ns}-p`;
  const cleanup = () => {
    for (const n of [host, peer]) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
  };
  const onSignal = (sig) => {
    cleanup();
    process.kill(process.pid, sig);
  };
  process.once('exit', cleanup);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    setUp(host, peer, notes);
    const rounds = quick ? 3 : 5;
    const out = { sender: s.name, rounds };
    for (const size of sizes) {
      const text = sh('ip', ['netns', 'exec', host, ...s.argv, '192.0.2.2', '9000', String(size), String(rounds), '1', 'veth0'], { timeout: 120_000 });
      const lines = text.trim().split('\n');
      if (lines[0] !== 'txcsum off') notes.push(`kernel: TX checksum offload stayed on for veth0 (${lines[0]}): the kernel skipped the UDP checksums the model computes`);
      const rates = lines.slice(1).map((l) => {
        const [n, t] = l.split(' ').map(Number);
        return n / t;
      });
      out[size] = Math.round(median(rates));
    }
    return out;
  } catch (e) {
    return { reason: e.message.split('\n')[0] };
  } finally {
    cleanup();
    process.removeListener('exit', cleanup);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

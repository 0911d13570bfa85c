// The text report of `kpath run`: socket calls, frames (like a capture), drops, ICMP errors,
// neighbours and the counters that moved.

import * as l10n from '@vscode/l10n';
import type { RunResult } from '../model/result';
import { padEndColumns } from '../text/width';
import { frameTableHeader, frameLine, frameWidths, msText as ms } from '../model/report';

export function formatReport(r: RunResult): string {
  const out: string[] = [];
  out.push(r.scenario ? l10n.t('kernel {0}, scenario {1}, ran to {2} ms', r.kernel, r.scenario, ms(r.endTime)) : l10n.t('kernel {0}, ran to {1} ms', r.kernel, ms(r.endTime)));
  out.push('');
  const t = r.totals;
  if (t) {
    // A run that kept counts: one line per send line instead of one per call.
    out.push(l10n.t('Socket calls ({0}, totals per send line):', t.calls));
    for (const l of t.lines) {
      const results = Object.entries(l.results).map(([k, v]) => `${k} ${v}`).join(', ');
      out.push(`  ${padEndColumns(l10n.t('line {0}', l.line), 9)} ${l.proto} to ${l.to} size ${l.size}: ${l10n.t('{0} calls', l.calls)}${results ? ' -> ' + results : ''}`);
    }
    out.push('');
    out.push(l10n.t('Frames: {0} (not listed in a run this long; --pcap writes them all)', t.frames));
  } else out.push(l10n.t('Socket calls:'));
  for (const s of r.sends) {
    const extra = s.setsockopt?.length ? `  (setsockopt ${s.setsockopt.map((o) => `${o.option}: ${o.result}`).join(', ')})` : '';
    out.push(`  ${ms(s.time).padStart(13)} ms  ${padEndColumns(l10n.t('line {0}', s.line), 9)} ${s.proto} to ${s.to} size ${s.size} [${s.socket}] -> ${s.result}${extra}`);
  }
  if (!t) {
    out.push('');
    out.push(l10n.t('Frames ({0}):', r.frames.length));
    out.push(frameTableHeader());
  }
  const columns = frameWidths();
  for (const f of r.frames) out.push(frameLine(f, columns));
  if (r.drops.length) {
    out.push('');
    if (t && t.drops > r.drops.length) {
      out.push(l10n.t('Drops ({0}: {1}; the first {2}):', t.drops, Object.entries(t.dropReasons).map(([k, v]) => `${k} ${v}`).join(', '), r.drops.length));
    } else out.push(l10n.t('Drops ({0}):', r.drops.length));
    for (const d of r.drops) out.push(`  ${ms(d.time).padStart(13)} ms  ${l10n.t('#{0} len {1} in {2}: {3}', d.packet, d.len, d.function, d.reason)}`);
  }
  if (r.icmp.length) {
    out.push('');
    out.push(l10n.t('ICMP errors generated:'));
    for (const e of r.icmp) out.push(`  ${ms(e.time).padStart(13)} ms  ${e.name} (type ${e.type} code ${e.code}${e.info ? `, info ${e.info}` : ''}) ${l10n.t('{0} -> {1} about #{2}', e.from, e.to, e.about)}`);
  }
  if (r.delivered.length) {
    out.push('');
    out.push(l10n.t('Delivered to this host:'));
    for (const d of r.delivered) out.push(`  ${ms(d.time).padStart(13)} ms  ${d.via} on ${d.dev}: ${d.src} -> ${d.dst} len ${d.len}${d.accepted ? ` (${l10n.t('a local socket took it')})` : ` (${l10n.t('no socket: ignored')})`}`);
  }
  const errs = r.sockets.filter((s) => s.errqueue.length || s.pendingError);
  if (errs.length) {
    out.push('');
    out.push(l10n.t('Socket errors:'));
    for (const s of errs) {
      if (s.pendingError) out.push(`  [${s.name}] pending ${s.pendingError}`);
      for (const e of s.errqueue) out.push(`  [${s.name}] errqueue ${e.errno} origin ${e.origin}${e.origin === 'icmp' ? ` type ${e.type} code ${e.code}` : ''} info ${e.info} offender ${e.offender}${e.payloadLen ? `, ${e.payloadLen} bytes of payload` : ''}`);
    }
  }
  out.push('');
  out.push(l10n.t('Neighbours:'));
  if (!r.neighbours.length) out.push(`  (${l10n.t('none')})`);
  for (const n of r.neighbours) out.push(`  ${n.dst} dev ${n.dev} ${n.lladdr ? 'lladdr ' + n.lladdr + ' ' : ''}${n.state} probes ${n.probes}${n.queued ? ` queued ${n.queued}` : ''}`);
  if (r.netfilter.length) {
    out.push('');
    // Each rule's text names its chain (`filter output ...`); the heading names the hooks there are.
    out.push(r.netfilter.some((n) => n.rule.split(' ')[1] === 'output') ? l10n.t('Netfilter (output, postrouting):') : l10n.t('Netfilter (postrouting):'));
    for (const n of r.netfilter) out.push(`  ${n.table}: ${n.rule}  packets ${n.packets} bytes ${n.bytes}`);
  }
  out.push('');
  out.push(l10n.t('Counters (non-zero):'));
  for (const group of ['Ip', 'Icmp', 'Udp', 'Tcp', 'ArpCache'] as const) {
    const nz = Object.entries(r.counters[group]).filter(([, v]) => v !== 0);
    if (nz.length) out.push(`  ${group}: ${nz.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  for (const [dev, st] of Object.entries(r.counters.devices)) {
    if (st.tx_packets || st.rx_packets || st.tx_dropped) out.push(`  ${dev}: ${l10n.t('tx {0} packets {1} bytes, rx {2} packets {3} bytes', st.tx_packets, st.tx_bytes, st.rx_packets, st.rx_bytes)}${st.tx_dropped ? `, tx_dropped ${st.tx_dropped}` : ''}`);
  }
  return out.join('\n');
}

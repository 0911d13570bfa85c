// Cross-checks captures against Wireshark's dissectors: every frame is read with checksum
// validation switched on, and Malformed, bad-checksum and other error-level expert infos are
// collected as problems.

import { spawnSync } from 'node:child_process';

export interface TsharkResult {
  /** Number of frames tshark read. */
  frames: number;
  /** "frame N: message" for every Malformed, bad-checksum or error-level expert info. */
  problems: string[];
  /** frame.len of each frame, in order. */
  lens: number[];
  /** frame.time_epoch of each frame as tshark prints it (seconds with nine decimals). */
  times: string[];
}

let available: boolean | undefined;

export function tsharkAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
    available = r.status === 0;
  }
  return available;
}

// Expert info severities (epan/proto.h): PI_ERROR is 0x00800000.
const PI_ERROR = 0x00800000;
const AGG = '\u001f';

export function tsharkCheck(pcapPath: string): TsharkResult {
  const args = [
    '-n',
    '-r', pcapPath,
    '-o', 'ip.check_checksum:TRUE',
    '-o', 'udp.check_checksum:TRUE',
    '-o', 'tcp.check_checksum:TRUE',
    // ICMP checksums are always verified; there is no preference for them.
    '-T', 'fields',
    '-E', 'header=n',
    '-E', 'separator=/t',
    '-E', 'occurrence=a',
    '-E', `aggregator=${AGG}`,
    '-e', 'frame.number',
    '-e', 'frame.len',
    '-e', 'frame.time_epoch',
    '-e', '_ws.malformed',
    '-e', '_ws.expert.message',
    '-e', '_ws.expert.severity',
  ];
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`tshark exited with ${r.status}: ${r.stderr}`);
  const result: TsharkResult = { frames: 0, problems: [], lens: [], times: [] };
  for (const line of r.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const [num, len, time, malformed = '', messages = '', severities = ''] = line.split('\t');
    result.frames++;
    result.lens.push(Number(len));
    result.times.push(time);
    const msgs = messages === '' ? [] : messages.split(AGG);
    const sevs = severities === '' ? [] : severities.split(AGG).map(Number);
    let reportedMalformed = false;
    msgs.forEach((m, i) => {
      const bad = /malformed/i.test(m) || /bad checksum|checksum.*incorrect/i.test(m) || (sevs[i] ?? 0) >= PI_ERROR;
      if (bad) result.problems.push(`frame ${num}: ${m}`);
      if (/malformed/i.test(m)) reportedMalformed = true;
    });
    if (malformed !== '' && !reportedMalformed) result.problems.push(`frame ${num}: Malformed Packet`);
  }
  return result;
}

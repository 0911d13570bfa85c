// kpath/frameDetail {index}: one frame of the current position opened up, as a packet analyser's
// details pane shows it: the frame itself (time, device, direction, length, the packet that
// carried it), then its layers and their fields, each with the bytes it covers, and the bytes.

import { dissectFrame } from '../model/wire/fields';
import { formatHex } from '../model/wire/bytes';
import { msText } from '../model/report';
import type { WireFrame } from '../debugger/types';
// Imported from the package itself: @vscode/l10n-dev exports only the strings of files that do.
import * as l10n from '@vscode/l10n';
import { intArg } from './args';
import { detailNodes, DetailNode } from './dissect';
import type { RequestContext } from './requests';

export function frameDetail(f: WireFrame, index: number): { hex: string; layers: DetailNode[]; problems: string[] } {
  const { layers, problems } = dissectFrame(f.bytes);
  const len = f.bytes.length;
  const frame: DetailNode = {
    label: l10n.t('Frame {0}: {1} bytes on {2} ({3})', index + 1, len, f.dev, f.dir),
    value: '',
    offset: 0,
    length: len,
    children: [
      { label: l10n.t('Time'), value: `${msText(f.time)} ms`, offset: 0, length: 0 },
      { label: l10n.t('Device'), value: f.dev, offset: 0, length: 0 },
      { label: l10n.t('Direction'), value: f.dir === 'tx' ? l10n.t('tx (sent by this host)') : l10n.t('rx (from the wire)'), offset: 0, length: 0 },
      { label: l10n.t('Frame length'), value: String(len), offset: 0, length: 0 },
      { label: l10n.t('Packet'), value: f.packet ? `#${f.packet}` : l10n.t('none (sent by a peer)'), offset: 0, length: 0 },
    ],
  };
  return { hex: formatHex(f.bytes), layers: [frame, ...detailNodes(layers)], problems };
}

export function frameDetailRequest(ctx: RequestContext, args: { index?: unknown }): object {
  const index = intArg('kpath/frameDetail', 'index', args.index, 0, Number.MAX_SAFE_INTEGER);
  const rt = ctx.runtime;
  if (!rt) throw new Error(l10n.t('no scenario is running (launch first)'));
  const { frames, total } = rt.frames(index, 1);
  if (!frames.length) throw new Error(l10n.t('kpath/frameDetail: there is no frame {0} at this position ({1} so far)', index, total));
  const f = frames[0];
  return { index, time: f.time, dev: f.dev, dir: f.dir, len: f.bytes.length, packet: f.packet, ...frameDetail(f, index) };
}

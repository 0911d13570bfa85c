// "kpath: Show sk_buff": the sk_buff of the selected stack frame (or of the innermost frame with
// one) as a picture, redrawn at every stop, with what changed since the packet was last shown.

import vscode = require('vscode');
import { l10n } from 'vscode';
import type { SkbPicture, NoSkb } from '../../adapter/pictures';
import type { DebugFollower, Target } from './follow';
import type { Labels, ToWebview } from '../webview/picture-messages';
import { ChangeMarker } from './changes';
import { PicturePanel } from './panel';

export class SkbPanel extends PicturePanel {
  private readonly marker = new ChangeMarker();
  /** The session and run whose packets the marker remembers. */
  private run: string | null = null;

  constructor(extensionUri: vscode.Uri, follower: DebugFollower) {
    super(extensionUri, follower, { viewType: 'kpath.skb', title: l10n.t('kpath: sk_buff'), script: 'webview-skb.js', style: 'pictures.css' });
  }

  protected async render(target: Target): Promise<ToWebview> {
    const notice = this.noticeFor(target);
    if (notice || target.kind !== 'stopped') return notice!;
    // Another session, or the same one restarted: its packets are new ones.
    const run = `${target.session.id}:${target.run}`;
    if (run !== this.run) {
      this.run = run;
      this.marker.clear();
    }
    const body = (await target.session.customRequest('kpath/skb', { frameId: target.frameId })) as SkbPicture | NoSkb;
    if (body.packet === null) return this.notice(l10n.t('No frame of this stop works on an sk_buff (stopped in {0}).', body.fn));
    const { changed, before } = this.marker.mark(body);
    return { type: 'skb', picture: body, changed, before, labels: this.labels() };
  }

  protected labels(): Labels {
    return {
      title: l10n.t('kpath: sk_buff'),
      packet: l10n.t('packet #{0}'),
      where: l10n.t('in {0} (frame {1})'),
      buffer: l10n.t('The buffer from head to end'),
      // Kernel words and protocol names read the same in every language.
      headroom: 'headroom',
      tailroom: 'tailroom',
      bytes: l10n.t('{0} B'),
      'band.eth': 'Ethernet',
      'band.ip': 'IP',
      'band.udp': 'UDP',
      'band.tcp': 'TCP',
      'band.icmp': 'ICMP',
      'band.arp': 'ARP',
      'band.link': l10n.t('link header'),
      'band.ipopt': l10n.t('IP options'),
      'band.payload': l10n.t('payload'),
      'band.data': l10n.t('data'),
      fragList: l10n.t('frag_list: {0} more skbs chained after the head'),
      fragMember: l10n.t('skb {0}'),
      fragNote: l10n.t('The model keeps their bytes in the head\'s buffer; data_len counts them.'),
      gso: l10n.t('GSO: {0} segments of up to {1} B ({2})'),
      segment: l10n.t('segment {0}'),
      fields: l10n.t('Fields'),
      field: l10n.t('field'),
      value: l10n.t('value'),
      was: l10n.t('was {0}'),
      changed: l10n.t('changed since packet #{0} was last shown'),
      newBand: l10n.t('new'),
      none: l10n.t('none'),
      legend: l10n.t('Positions are offsets from head; widths are not to scale below a minimum, so small headers stay readable.'),
    };
  }
}

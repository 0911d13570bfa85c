// A frame's layers and fields (src/model/wire/fields.ts) as a tree to show: each node's label in
// the user's language, its value, and the bytes it covers (for the hex view's highlight).

import type { WireField, WireLayer } from '../model/wire/fields';
// Imported from the package itself: @vscode/l10n-dev exports only the strings of files that do.
import * as l10n from '@vscode/l10n';
import { language } from '../l10n';
import type { DetailNode } from './detail-node';

export type { DetailNode } from './detail-node';


/** The layers as detail nodes: "Internet Protocol Version 4, Src...: ..." with their fields below. */
export function detailNodes(layers: readonly WireLayer[]): DetailNode[] {
  return layers.map((l) => ({
    label: [nameOf(l.name), ...l.brief.map((b) => `${nameOf(b.name)}: ${b.value}`)].join(', '),
    value: '',
    offset: l.offset,
    length: l.length,
    children: l.fields.map(fieldNode),
  }));
}

function fieldNode(f: WireField): DetailNode {
  let value = f.value;
  if (f.flag !== undefined) value = f.flag ? l10n.t('Set') : l10n.t('Not set');
  if (f.name.endsWith('Checksum')) value += ` [${f.ok === undefined ? l10n.t('unverified') : f.ok ? l10n.t('correct') : l10n.t('incorrect')}]`;
  const node: DetailNode = { label: nameOf(f.name), value, offset: f.offset, length: f.length };
  if (f.mask !== undefined) node.mask = f.mask;
  if (f.ok === false) node.bad = true;
  if (f.children) node.children = f.children.map(fieldNode);
  return node;
}

let names: Record<string, string> | null = null;
let namesLanguage = '';

/** A layer's or a field's name in the user's language (English for a name not listed). */
export function nameOf(name: string): string {
  if (!names || namesLanguage !== language()) {
    names = translations();
    namesLanguage = language();
  }
  return names[name] ?? name;
}

function translations(): Record<string, string> {
  return {
    'Ethernet II': l10n.t('Ethernet II'),
    '802.1Q Virtual LAN': l10n.t('802.1Q Virtual LAN'),
    Priority: l10n.t('Priority'),
    PRI: l10n.t('PRI'),
    DEI: l10n.t('DEI'),
    ID: l10n.t('ID'),
    'Address Resolution Protocol': l10n.t('Address Resolution Protocol'),
    'Internet Protocol Version 4': l10n.t('Internet Protocol Version 4'),
    'User Datagram Protocol': l10n.t('User Datagram Protocol'),
    'Internet Control Message Protocol': l10n.t('Internet Control Message Protocol'),
    'Transmission Control Protocol': l10n.t('Transmission Control Protocol'),
    Data: l10n.t('Data'),
    Destination: l10n.t('Destination'),
    Source: l10n.t('Source'),
    Type: l10n.t('Type'),
    Padding: l10n.t('Padding'),
    'Hardware type': l10n.t('Hardware type'),
    'Protocol type': l10n.t('Protocol type'),
    'Hardware size': l10n.t('Hardware size'),
    'Protocol size': l10n.t('Protocol size'),
    Opcode: l10n.t('Opcode'),
    'Sender MAC address': l10n.t('Sender MAC address'),
    'Sender IP address': l10n.t('Sender IP address'),
    'Target MAC address': l10n.t('Target MAC address'),
    'Target IP address': l10n.t('Target IP address'),
    Version: l10n.t('Version'),
    'Header Length': l10n.t('Header Length'),
    'Type of Service': l10n.t('Type of Service'),
    DSCP: l10n.t('DSCP'),
    ECN: l10n.t('ECN'),
    'Total Length': l10n.t('Total Length'),
    Identification: l10n.t('Identification'),
    Flags: l10n.t('Flags'),
    'Reserved bit': l10n.t('Reserved bit'),
    "Don't fragment": l10n.t("Don't fragment"),
    'More fragments': l10n.t('More fragments'),
    'Fragment Offset': l10n.t('Fragment Offset'),
    'Time to Live': l10n.t('Time to Live'),
    Protocol: l10n.t('Protocol'),
    'Header Checksum': l10n.t('Header Checksum'),
    'Source Address': l10n.t('Source Address'),
    'Destination Address': l10n.t('Destination Address'),
    Options: l10n.t('Options'),
    'Source Port': l10n.t('Source Port'),
    'Destination Port': l10n.t('Destination Port'),
    Length: l10n.t('Length'),
    Checksum: l10n.t('Checksum'),
    Code: l10n.t('Code'),
    Identifier: l10n.t('Identifier'),
    'Sequence Number': l10n.t('Sequence Number'),
    Unused: l10n.t('Unused'),
    'MTU of next hop': l10n.t('MTU of next hop'),
    'Rest of header': l10n.t('Rest of header'),
    'Acknowledgment Number': l10n.t('Acknowledgment Number'),
    Window: l10n.t('Window'),
    'Urgent Pointer': l10n.t('Urgent Pointer'),
    Option: l10n.t('Option'),
    'Accurate ECN': l10n.t('Accurate ECN'),
    'Congestion Window Reduced': l10n.t('Congestion Window Reduced'),
    'ECN-Echo': l10n.t('ECN-Echo'),
    Urgent: l10n.t('Urgent'),
    Acknowledgment: l10n.t('Acknowledgment'),
    Push: l10n.t('Push'),
    Reset: l10n.t('Reset'),
    Syn: l10n.t('Syn'),
    Fin: l10n.t('Fin'),
  };
}

// nft rules as text, and which statements a table allows.

import * as l10n from '@vscode/l10n';
import type { NftMatch, NftRule, NftStatement } from './types';
import { dscpName } from './vocabulary';

/** Why a statement cannot sit in this table. */
export function nftStatementTableProblem(kind: NftStatement['kind'], table: NftRule['table']): string | undefined {
  if ((kind === 'snat' || kind === 'masquerade') && table !== 'nat') return l10n.t('{0} needs the nat table', kind);
  if ((kind === 'mark-set' || kind === 'ttl-set' || kind === 'dscp-set' || kind === 'dup') && table === 'nat') {
    return l10n.t('{0} needs the filter or mangle table', nftStatementWords(kind));
  }
  return undefined;
}

function nftStatementWords(kind: NftStatement['kind']): string {
  switch (kind) {
    case 'mark-set':
      return 'meta mark set';
    case 'ttl-set':
      return 'ip ttl set';
    case 'dscp-set':
      return 'ip dscp set';
    case 'dup':
      return 'dup to';
    default:
      return kind;
  }
}

export function isVerdict(kind: NftStatement['kind']): boolean {
  return kind === 'accept' || kind === 'drop';
}

/** A match as nft spells it. */
export function formatNftMatch(m: NftMatch): string {
  switch (m.kind) {
    case 'l4port':
      return `${m.proto} ${m.field} ${m.value}`;
    case 'addr':
      return `ip ${m.field} ${m.address}${m.prefix === 32 ? '' : `/${m.prefix}`}`;
    case 'protocol':
      return `ip protocol ${m.value}`;
    case 'oif':
      return `oif ${m.name}`;
    case 'mark':
      return `meta mark ${m.value}`;
  }
}

/** A statement as nft spells it. */
export function formatNftStatement(s: NftStatement): string {
  switch (s.kind) {
    case 'accept':
    case 'drop':
    case 'counter':
    case 'masquerade':
      return s.kind;
    case 'snat':
      return `snat to ${s.address}`;
    case 'mark-set':
      return `meta mark set ${s.value}`;
    case 'ttl-set':
      return `ip ttl set ${s.value}`;
    case 'dscp-set':
      return `ip dscp set ${dscpName(s.value) ?? s.value}`;
    case 'dup':
      return `dup to ${s.address}${s.dev ? ` device ${s.dev}` : ''}`;
  }
}

/** A rule as written after `nft add rule ip `: `TABLE postrouting MATCH... STATEMENT...`. */
export function formatNftRule(r: Pick<NftRule, 'table' | 'chain' | 'matches' | 'statements'>): string {
  return [r.table, r.chain, ...r.matches.map(formatNftMatch), ...r.statements.map(formatNftStatement)].join(' ');
}

// The checks between the items of a scenario (links that must exist, addresses the host must own,
// gateways on a connected subnet, duplicates, the time order of the sends, ...), run on a parsed
// scenario and on one given as an object alike. The parser records the positions of the words, so
// that the column points at the word at fault.

import * as l10n from '@vscode/l10n';
import { inSubnet, parseIpv4 } from '../wire/addr';
import type { CheckContext, Item } from './context';
import { ScenarioError } from './errors';
import { orderKeys, ROUTE_ORDER } from './key-order';
import { findSysctl } from './sysctl';
import type { Addr, Join, Link, Peer, Route, Scenario, Send, StaticNeigh } from './types';
import { formatDuration } from './values';
import { LOOPBACK } from './vocabulary';

function report(ctx: CheckContext, item: Item, field: string | undefined, problem: string): void {
  const pos = (field !== undefined ? ctx.fieldPos.get(item)?.[field] : undefined) ?? item.pos ?? { line: 1, col: 1 };
  let msg = problem;
  if (ctx.mode === 'object') {
    const path = ctx.paths.get(item) ?? '';
    const where = field === undefined ? path : field.startsWith('[') ? path + field : `${path}.${field}`;
    msg = `${where}: ${problem}`;
  }
  ctx.errors.push(new ScenarioError(ctx.file, pos.line, pos.col, msg));
}

/** No item at all: at most a kernel profile and a run time. */
function isEmpty(s: Scenario): boolean {
  return !s.links.length && !s.addrs.length && !s.routes.length && !s.rules.length && !s.neighs.length && !s.sysctls.length &&
    !s.nft.length && !s.peers.length && !s.joins.length && !s.sends.length;
}

/** How to refer to another item in a message: "line 2" or "links[0]". */
function where(ctx: CheckContext, item: Item): string {
  if (ctx.mode === 'object') return ctx.paths.get(item) ?? '?';
  return l10n.t('line {0}', item.pos.line);
}

/**
 * The checks between items. Fills in what depends on other items (a peer's link, a route's
 * device from its gateway). Errors go to ctx.errors.
 */
export function checkSemantics(s: Scenario, ctx: CheckContext): void {
  if (isEmpty(s) && ctx.errors.length === 0) {
    // Nothing would happen: say so rather than run it.
    ctx.errors.push(new ScenarioError(ctx.file, 1, 1, ctx.mode === 'text'
      ? 'the scenario is empty: it needs statements such as link add, addr add, peer and at ... send (docs/scenario.md)'
      : 'the scenario is empty: it needs items such as links, addrs, peers and sends (docs/scenario.md)'));
    return;
  }
  const linksLost = ctx.failed.has('links');
  const addrsLost = linksLost || ctx.failed.has('addrs');

  // Links
  const links = new Map<string, Link>();
  for (const link of s.links) {
    const prev = links.get(link.name);
    if (prev) report(ctx, link, 'name', l10n.t('a link named {0} already exists ({1})', link.name, where(ctx, prev)));
    else links.set(link.name, link);
  }
  // VLANs: the parent is a veth or ethernet link written before (register_vlan_dev needs it to
  // exist), one VLAN per parent and ID, an MTU no larger than the parent's (vlan_newlink).
  const vlanIds = new Map<string, Link>();
  s.links.forEach((link, i) => {
    if (link.type !== 'vlan' || link.parent === undefined) return;
    const parent = s.links.slice(0, i).find((l) => l.name === link.parent);
    if (!parent) {
      if (linksLost) return;
      const later = s.links.slice(i + 1).find((l) => l.name === link.parent);
      report(ctx, link, 'parent', later
        ? l10n.t('the parent {0} must be added before the VLAN ({1})', link.parent, where(ctx, later))
        : l10n.t('no link named {0} to be the parent (links: {1})', link.parent, s.links.slice(0, i).map((l) => l.name).join(', ') || l10n.t('none before this one')));
      return;
    }
    if (parent.type === 'vlan') {
      report(ctx, link, 'parent', l10n.t('the parent of a VLAN is a veth or ethernet link; {0} is a VLAN', parent.name));
      return;
    }
    if (link.mtu > parent.mtu) report(ctx, link, 'mtu', l10n.t('a VLAN\'s mtu is at most its parent\'s ({0} on {1}), found {2}', parent.mtu, parent.name, link.mtu));
    const key = `${parent.name}.${link.vlanId}`;
    const same = vlanIds.get(key);
    if (same) report(ctx, link, 'vlanId', l10n.t('{0} already has VLAN {1} ({2})', parent.name, String(link.vlanId), where(ctx, same)));
    else vlanIds.set(key, link);
  });
  const linkList = ['lo', ...links.keys()].join(', ');
  const hasDev = (name: string): boolean => name === LOOPBACK.name || links.has(name);
  const needDev = (item: Item, field: string, name: string): boolean => {
    if (hasDev(name)) return true;
    if (!linksLost) report(ctx, item, field, l10n.t('no link named {0} (links: {1})', name, linkList));
    return false;
  };

  // Addresses
  const addrs = new Map<number, Addr>();
  const goodAddrs: { a: number; addr: Addr }[] = [];
  for (const addr of s.addrs) {
    const a = parseIpv4(addr.address) ?? 0;
    const devOk = needDev(addr, 'dev', addr.dev);
    if (addr.address === LOOPBACK.address) {
      report(ctx, addr, 'address', l10n.t('{0} is already an address of this host (lo always has 127.0.0.1/8)', addr.address));
      continue;
    }
    const prev = addrs.get(a);
    if (prev) {
      report(ctx, addr, 'address', l10n.t('{0} is already an address of this host ({1})', addr.address, where(ctx, prev)));
      continue;
    }
    addrs.set(a, addr);
    if (devOk) goodAddrs.push({ a, addr });
  }
  const addrList = (): string =>
    goodAddrs.length ? l10n.t('addresses: {0}', goodAddrs.map((g) => g.addr.address).join(', ')) : l10n.t('no addresses besides lo\'s 127.0.0.1/8');
  /** A local address: one of the host's, anything in 127.0.0.0/8, or (where allowed) 0.0.0.0 for "any". */
  const owns = (text: string, anyOk: boolean): boolean => {
    const a = parseIpv4(text);
    if (a === undefined) return false;
    if (anyOk && a === 0) return true;
    return a >>> 24 === 127 || addrs.has(a);
  };
  const needOwned = (item: Item, field: string, text: string, anyOk: boolean): void => {
    if (owns(text, anyOk) || addrsLost) return;
    report(ctx, item, field, l10n.t('the host does not own {0} ({1})', text, addrList()));
  };
  /** The host address whose subnet holds `a` on a link with a wire (not lo), longest prefix first. */
  const connected = (a: number, dev?: string): Addr | undefined => {
    let best: Addr | undefined;
    for (const g of goodAddrs) {
      if (g.addr.dev === LOOPBACK.name) continue;
      if (dev !== undefined && g.addr.dev !== dev) continue;
      if (!inSubnet(a, g.a, g.addr.prefix)) continue;
      if (!best || g.addr.prefix > best.prefix) best = g.addr;
    }
    return best;
  };

  // Routes
  const routes = new Map<string, Route>();
  for (const route of s.routes) {
    const key = `${route.dst}/${route.prefix}`;
    const prev = routes.get(`${key} ${route.table ?? 'main'}`);
    if (prev) {
      const name = route.prefix === 0 ? 'default' : key;
      report(ctx, route, 'dst', route.table === undefined
        ? l10n.t('a route to {0} already exists ({1})', name, where(ctx, prev))
        : l10n.t('a route to {0} already exists in table {1} ({2})', name, String(route.table), where(ctx, prev)));
    } else routes.set(`${key} ${route.table ?? 'main'}`, route);
    const devOk = route.dev === undefined || needDev(route, 'dev', route.dev);
    if (route.via !== undefined) {
      const gw = parseIpv4(route.via) ?? 0;
      if (addrs.has(gw)) {
        report(ctx, route, 'via', l10n.t('gateway {0} is this host\'s own address', route.via));
      } else if (devOk) {
        const on = connected(gw, route.dev);
        if (on) {
          if (route.dev === undefined) route.dev = on.dev;
        } else if (!addrsLost) {
          report(ctx, route, 'via', route.dev !== undefined
            ? l10n.t('gateway {0} is not on a connected subnet of {1}', route.via, route.dev)
            : l10n.t('gateway {0} is not on a connected subnet', route.via));
        }
      }
    }
    if (route.src !== undefined) needOwned(route, 'src', route.src, false);
  }

  // Static neighbours
  const neighs = new Map<string, StaticNeigh>();
  for (const n of s.neighs) {
    needDev(n, 'dev', n.dev);
    const key = `${n.address}%${n.dev}`;
    const prev = neighs.get(key);
    if (prev) report(ctx, n, 'address', l10n.t('a neighbour {0} on {1} already exists ({2})', n.address, n.dev, where(ctx, prev)));
    else neighs.set(key, n);
  }

  // Sysctls: the device part must name a link (or lo, or default)
  for (const sc of s.sysctls) {
    const found = findSysctl(sc.key);
    if (found?.dev !== undefined && found.dev !== 'default' && !hasDev(found.dev) && !linksLost) {
      report(ctx, sc, 'key', l10n.t('no link named {0} (links: {1}; or default for every link)', found.dev, linkList));
    }
  }

  // Policy rules: the output device must exist.
  for (const rule of s.rules) {
    if (rule.oif !== undefined) needDev(rule, 'oif', rule.oif);
  }

  // nft: interfaces named in matches, and where dup sends its copies
  for (const rule of s.nft) {
    rule.matches.forEach((m, i) => {
      if (m.kind === 'oif') needDev(rule, `matches[${i}]`, m.name);
    });
    rule.statements.forEach((st, i) => {
      if (st.kind !== 'dup') return;
      const field = `statements[${i}]`;
      const a = parseIpv4(st.address) ?? 0;
      if (addrs.has(a) || a >>> 24 === 127) {
        report(ctx, rule, field, l10n.t('dup to {0}: the copy would go to this host itself, which is not modeled; expected another host\'s address', st.address));
      }
      if (st.dev !== undefined) {
        const devField = `statements[${i}].dev`;
        if (st.dev === LOOPBACK.name) report(ctx, rule, devField, l10n.t('dup sends its copy out of a link with a wire; lo has none'));
        else needDev(rule, devField, st.dev);
      }
    });
  }

  // A device filled in from the gateway goes where it would have been written.
  s.routes = s.routes.map((r) => orderKeys(r, ROUTE_ORDER));

  // Peers
  const peers = new Map<string, Peer>();
  for (const peer of s.peers) {
    const a = parseIpv4(peer.address) ?? 0;
    if (addrs.has(a) || a >>> 24 === 127) {
      report(ctx, peer, 'address', l10n.t('{0} is this host\'s own address; a peer needs another', peer.address));
      continue;
    }
    const prev = peers.get(peer.address);
    if (prev) report(ctx, peer, 'address', l10n.t('a peer {0} already exists ({1})', peer.address, where(ctx, prev)));
    else peers.set(peer.address, peer);
    if (peer.dev) {
      if (peer.dev === LOOPBACK.name) report(ctx, peer, 'dev', l10n.t('a peer sits on a link with a wire; lo has none'));
      else needDev(peer, 'dev', peer.dev);
    } else {
      const on = connected(a);
      if (on) peer.dev = on.dev;
      else if (!addrsLost) report(ctx, peer, 'address', l10n.t('{0} is not on any link\'s subnet; add dev NAME', peer.address));
    }
  }

  // Joined groups
  const joins = new Map<string, Join>();
  for (const j of s.joins) {
    needDev(j, 'dev', j.dev);
    const key = `${j.group}%${j.dev}`;
    const prev = joins.get(key);
    if (prev) report(ctx, j, 'group', l10n.t('{0} is already joined on {1} ({2})', j.group, j.dev, where(ctx, prev)));
    else joins.set(key, j);
  }

  // Sends
  const sockets = new Map<string, Send>();
  let prevAt: number | undefined;
  for (const send of s.sends) {
    if (prevAt !== undefined && send.at < prevAt) {
      report(ctx, send, 'at', l10n.t('time goes backwards: {0} is before the previous send at {1}', formatDuration(send.at), formatDuration(prevAt)));
    } else prevAt = send.at;
    if (send.from !== undefined) needOwned(send, 'from', send.from, true);
    if (send.multicastIf !== undefined) needOwned(send, 'multicastIf', send.multicastIf, true);
    if (send.bindDev !== undefined) needDev(send, 'bindDev', send.bindDev);
    if (send.socket !== undefined) {
      const first = sockets.get(send.socket);
      if (!first) sockets.set(send.socket, send);
      else if (first.proto !== send.proto) {
        report(ctx, send, 'socket', l10n.t('socket {0} is a {1} socket ({2})', send.socket, first.proto, where(ctx, first)));
      }
    }
  }
}

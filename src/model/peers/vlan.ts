// The peers of a VLAN: hosts on the parent's wire that belong to the VLAN. A tagged frame on a
// link reaches the peers of the VLAN device whose ID it carries (without its tag) and they answer
// tagged; an untagged frame reaches only the peers of the link itself. So a peer on the parent
// ignores tagged frames, and a peer on a VLAN ignores untagged ones, as on a real 802.1Q segment.

import type { NetDevice } from '../net/device';
import type { Net } from '../net/netns';
import { ETH_P_8021Q } from '../wire/ethernet';
import { ETH_HLEN, EthHdr, VLAN_ETH_HLEN, VlanEthHdr, vlanInsertTag, vlanRemoveTag } from '../wire/headers';
import { peersReceive, type PeerFrame } from './peer';

const NONE: readonly PeerFrame[] = [];

/** Kernel.farEnd: the frame `dev` put on its wire reaches the peers of the link or of one of its VLANs. */
export function wireReceive(now: number, net: Net, dev: NetDevice, frame: Uint8Array): readonly PeerFrame[] {
  if (frame.length < ETH_HLEN || new EthHdr(frame, 0).h_proto !== ETH_P_8021Q) return peersReceive(now, net, dev, frame);
  if (frame.length < VLAN_ETH_HLEN) return NONE;
  const tag = new VlanEthHdr(frame, 0);
  const tci = tag.h_vlan_TCI;
  const vid = tci & 0xfff;
  const vdev = net.devices.find((d) => d.vlan !== null && d.vlan.real_dev === dev && d.vlan.vlan_id === vid);
  if (!vdev) return NONE;
  const answers = peersReceive(now, net, vdev, vlanRemoveTag(frame));
  // The answers come back on the VLAN: tagged with its ID (priority 0).
  return answers.map((a) => ({ ...a, frame: vlanInsertTag(a.frame, ETH_P_8021Q, vid) }));
}

// Explanations of the include/net/arp.h listing (docs/kernel.md §2.7, §11).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    __ipv4_neigh_lookup_noref: {
      summary: {
        en: "Looks the next hop up in arp_tbl, without taking a reference.",
        zh: "在 arp_tbl 中查找下一跳，不增加引用计数。",
      },
      text: {
        en: "Hashes (next hop, device) into arp_tbl and returns the entry, or NULL. No reference is taken: RCU keeps the entry alive while ip_finish_output2 uses it. Unlike neigh_lookup this lookup is not counted in /proc/net/stat/arp_cache. 4.9 calls it from ip_finish_output2; 6.x from ip_neigh_for_gw (ip_neigh_gw4), inlined into ip_finish_output2.",
        zh: "以（下一跳，设备）为键在 arp_tbl 的哈希表中查找，返回表项或 NULL。不增加引用计数：ip_finish_output2 使用期间由 RCU 保证表项不被释放。和 neigh_lookup 不同，这次查找不计入 /proc/net/stat/arp_cache。4.9 由 ip_finish_output2 调用；6.x 由内联进 ip_finish_output2 的 ip_neigh_for_gw（ip_neigh_gw4）调用。",
      },
      steps: {
        enter: {
          en: "`dev` and `key`: the output device and the next hop.",
          zh: "`dev` 和 `key`：出口设备和下一跳地址。",
        },
        key: {
          en: "On a loopback or point-to-point device the lookup key becomes 0.0.0.0 (`key`): such a device has a single entry, which arp_constructor keyed 0.0.0.0. The caller's next hop stays the route's address.",
          zh: "在 loopback 或点对点设备上，查找键变为 0.0.0.0（`key`）：这类设备只有一个邻居项，arp_constructor 创建它时已把键改为 0.0.0.0。调用者的下一跳仍是路由给出的地址。",
        },
        leave: {
          en: "`n`: the entry, or NULL, in which case ip_finish_output2 creates one.",
          zh: "`n`：查到的表项，或 NULL，此时 ip_finish_output2 会创建一个。",
        },
      },
    },
  };
}

// Explanations of the net/ipv4/route.c listing (docs/kernel.md §2.1).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    ip_route_output_flow: {
      summary: {
        en: "The output route lookup: which device, which gateway, which source address, which output function.",
        zh: "发送方向的路由查找：走哪个设备、经哪个网关、用哪个源地址、由哪个输出函数处理。",
      },
      text: {
        en: "ip_route_output_key_hash_rcu and __mkroute_output in one. A socket bound to a device that is gone gets ENODEV; limited broadcast or multicast with an output device needs no FIB lookup; a destination that is one of ours goes over lo; a subnet's broadcast address is a broadcast route; otherwise the FIB's longest prefix match over the devices that are up decides (none: ENETUNREACH, and the caller counts OutNoRoutes). The route's type gives its flags and `dst.output`: ip_mc_output for broadcast, and for multicast this host joined, on a real device; ip_output for the rest. The same in 4.9 and 6.18.",
        zh: "这里把 ip_route_output_key_hash_rcu 和 __mkroute_output 合在一起。socket 绑定的设备已不存在时返回 ENODEV；带出口设备的受限广播或组播不查 FIB；目的地址是本机地址时走 lo；子网广播地址得到广播路由；其余由 FIB 在 up 的设备中做最长前缀匹配（查不到返回 ENETUNREACH，由调用者计 OutNoRoutes）。路由类型决定路由标志和 `dst.output`：广播，以及本机在真实设备上加入的组播，用 ip_mc_output；其他都用 ip_output。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "The flow to route: destination `daddr`, source `saddr` (0.0.0.0: the route chooses), output interface `oif` (from SO_BINDTODEVICE or IP_MULTICAST_IF; 0: any). `dev_out` starts NULL.",
          zh: "要查路由的流：目的 `daddr`、源 `saddr`（0.0.0.0 表示由路由选择）、出接口 `oif`（来自 SO_BINDTODEVICE 或 IP_MULTICAST_IF，0 表示不限）。`dev_out` 初始为 NULL。",
        },
        route: {
          en: "__mkroute_output makes the route: its `type` (UNICAST 1, LOCAL 2, BROADCAST 3, MULTICAST 5), the device `dev_out`, the gateway `gw` (0.0.0.0: the destination is on the link), the source `saddr`, and `output`, the function dst_output will call. ip_output or ip_mc_output is decided here.",
          zh: "__mkroute_output 生成路由：类型 `type`（UNICAST 1、LOCAL 2、BROADCAST 3、MULTICAST 5）、设备 `dev_out`、网关 `gw`（0.0.0.0 表示目的地址就在链路上）、源地址 `saddr`，以及 `output`，即 dst_output 将要调用的函数。走 ip_output 还是 ip_mc_output 就在这里决定。",
        },
        leave: {
          en: "The route (struct rtable), or ERR_PTR(-ENETUNREACH) or ERR_PTR(-ENODEV).",
          zh: "返回路由（struct rtable），或 ERR_PTR(-ENETUNREACH)、ERR_PTR(-ENODEV)。",
        },
      },
    },
  };
}

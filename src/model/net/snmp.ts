// SNMP counters, named as /proc/net/snmp and nstat spell them.

export function newCounters() {
  return {
    Ip: {
      InReceives: 0, InDelivers: 0, OutRequests: 0, OutTransmits: 0, OutOctets: 0, OutDiscards: 0,
      OutNoRoutes: 0, FragOKs: 0, FragFails: 0, FragCreates: 0, OutMcastPkts: 0, OutBcastPkts: 0,
      OutMcastOctets: 0, OutBcastOctets: 0, InMcastPkts: 0, InBcastPkts: 0,
    },
    Icmp: { InMsgs: 0, InDestUnreachs: 0, InEchoReps: 0, OutMsgs: 0, OutDestUnreachs: 0, OutEchos: 0 },
    Udp: { InDatagrams: 0, NoPorts: 0, OutDatagrams: 0, SndbufErrors: 0, IgnoredMulti: 0 },
    Tcp: { ActiveOpens: 0, AttemptFails: 0, OutSegs: 0, InSegs: 0, OutRsts: 0 },
  };
}

export type Counters = ReturnType<typeof newCounters>;

// The headers the model reads and writes, as the kernel's structs: struct ethhdr, arphdr (with the
// Ethernet/IPv4 body that follows it), iphdr, udphdr, icmphdr and tcphdr, each a typed view over
// a packet's bytes at an offset, with every field's offset named once. Fields read and write in
// host order: what ntohs/ntohl of the kernel's field gives.
//
// The views share one module with the byte helpers their accessors call: an accessor calling a
// helper of its own module is small enough for V8 to inline it always (through an import it is
// not), so `iph.id = id` on the transmit path compiles to the byte stores it stands for.
//
// Reads never throw: bytes past the end of the array read as undefined, which the bitwise
// operators turn into 0. Writes past the end are dropped, as typed arrays do.

/** sizeof(struct ethhdr) */
export const ETH_HLEN = 14;
/** The length of an Ethernet address. */
export const ETH_ALEN = 6;
/** sizeof(struct iphdr): the IPv4 header without options. */
export const IPV4_MIN_HLEN = 20;
/** sizeof(struct udphdr) */
export const UDP_HLEN = 8;
/** sizeof(struct icmphdr) */
export const ICMP_HLEN = 8;
/** sizeof(struct tcphdr): the TCP header without options. */
export const TCP_HLEN = 20;
/** An Ethernet/IPv4 ARP packet: struct arphdr and its body. */
export const ARP_LEN = 28;

/** Reads a big-endian uint16 at `o`. */
export function readU16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}
/** Writes a big-endian uint16 at `o`. */
export function writeU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v;
}
/** Reads a big-endian uint32 at `o`. */
export function readU32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
/** Writes a big-endian uint32 at `o`. */
export function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}
/** Writes the high four bits of the byte at `o`, keeping the low four. */
function setHigh4(b: Uint8Array, o: number, v: number): void {
  b[o] = (v << 4) | (b[o] & 0x0f);
}
/** Writes the low four bits of the byte at `o`, keeping the high four. */
function setLow4(b: Uint8Array, o: number, v: number): void {
  b[o] = (b[o] & 0xf0) | (v & 0x0f);
}
function getMac(b: Uint8Array, o: number): Uint8Array {
  return b.subarray(o, o + ETH_ALEN);
}
/** memcpy of the ETH_ALEN bytes of `mac` to `o`. */
function setMac(b: Uint8Array, o: number, mac: Uint8Array): void {
  b[o] = mac[0];
  b[o + 1] = mac[1];
  b[o + 2] = mac[2];
  b[o + 3] = mac[3];
  b[o + 4] = mac[4];
  b[o + 5] = mac[5];
}

// ---- struct ethhdr ----

/** Where each field of the header is, in bytes from its start. */
export const enum EthOff {
  H_DEST = 0,
  H_SOURCE = 6,
  H_PROTO = 12,
}

/** struct ethhdr. The addresses read as views of the frame's bytes and are written by copying. */
export class EthHdr {
  declare readonly buf: Uint8Array;
  declare readonly off: number;

  constructor(buf: Uint8Array, off: number) {
    this.buf = buf;
    this.off = off;
  }

  get h_dest(): Uint8Array {
    return getMac(this.buf, this.off + EthOff.H_DEST);
  }
  set h_dest(mac: Uint8Array) {
    setMac(this.buf, this.off + EthOff.H_DEST, mac);
  }
  get h_source(): Uint8Array {
    return getMac(this.buf, this.off + EthOff.H_SOURCE);
  }
  set h_source(mac: Uint8Array) {
    setMac(this.buf, this.off + EthOff.H_SOURCE, mac);
  }
  get h_proto(): number {
    return readU16(this.buf, this.off + EthOff.H_PROTO);
  }
  set h_proto(v: number) {
    writeU16(this.buf, this.off + EthOff.H_PROTO, v);
  }

  /** is_multicast_ether_addr(h_dest): the group bit, which broadcast has too. */
  isMulticastDest(): boolean {
    return (this.buf[this.off + EthOff.H_DEST] & 1) !== 0;
  }
  /** is_broadcast_ether_addr(h_dest). */
  isBroadcastDest(): boolean {
    const b = this.buf;
    const o = this.off + EthOff.H_DEST;
    return (b[o] & b[o + 1] & b[o + 2] & b[o + 3] & b[o + 4] & b[o + 5]) === 0xff;
  }
  /** ether_addr_equal(h_dest, mac), without a copy of h_dest. */
  destEquals(mac: Uint8Array): boolean {
    const b = this.buf;
    const o = this.off + EthOff.H_DEST;
    return b[o] === mac[0] && b[o + 1] === mac[1] && b[o + 2] === mac[2] && b[o + 3] === mac[3] && b[o + 4] === mac[4] && b[o + 5] === mac[5];
  }
}

// ---- struct vlan_ethhdr ----

/** sizeof(struct vlan_ethhdr): the Ethernet addresses, the 802.1Q tag and the encapsulated ethertype. */
export const VLAN_ETH_HLEN = 18;

/** Where each field of the 802.1Q header is, in bytes from the start of the frame. */
export const enum VlanEthOff {
  H_DEST = 0,
  H_SOURCE = 6,
  /** TPID: ETH_P_8021Q. */
  H_VLAN_PROTO = 12,
  /** TCI: priority (3 bits), DEI (1 bit), VLAN ID (12 bits). */
  H_VLAN_TCI = 14,
  H_VLAN_ENCAPSULATED_PROTO = 16,
}

/** struct vlan_ethhdr: a tagged frame's first 18 bytes. */
export class VlanEthHdr {
  declare readonly buf: Uint8Array;
  declare readonly off: number;

  constructor(buf: Uint8Array, off: number) {
    this.buf = buf;
    this.off = off;
  }

  get h_vlan_proto(): number {
    return readU16(this.buf, this.off + VlanEthOff.H_VLAN_PROTO);
  }
  set h_vlan_proto(v: number) {
    writeU16(this.buf, this.off + VlanEthOff.H_VLAN_PROTO, v);
  }
  get h_vlan_TCI(): number {
    return readU16(this.buf, this.off + VlanEthOff.H_VLAN_TCI);
  }
  set h_vlan_TCI(v: number) {
    writeU16(this.buf, this.off + VlanEthOff.H_VLAN_TCI, v);
  }
  /** The VLAN ID: the TCI's low 12 bits. */
  get vid(): number {
    return this.h_vlan_TCI & 0xfff;
  }
  get h_vlan_encapsulated_proto(): number {
    return readU16(this.buf, this.off + VlanEthOff.H_VLAN_ENCAPSULATED_PROTO);
  }
  set h_vlan_encapsulated_proto(v: number) {
    writeU16(this.buf, this.off + VlanEthOff.H_VLAN_ENCAPSULATED_PROTO, v);
  }
}

/**
 * A copy of the untagged frame `frame` with an 802.1Q tag (TPID `proto`, TCI `tci`) after its
 * addresses: what __vlan_hwaccel_push_inside (skb_vlan_push) makes of it, and what a NIC with
 * VLAN transmit offload puts on the wire.
 */
export function vlanInsertTag(frame: Uint8Array, proto: number, tci: number): Uint8Array {
  const out = new Uint8Array(frame.length + (VLAN_ETH_HLEN - ETH_HLEN));
  out.set(frame.subarray(0, EthOff.H_PROTO), 0);
  out.set(frame.subarray(EthOff.H_PROTO), VlanEthOff.H_VLAN_ENCAPSULATED_PROTO);
  const v = new VlanEthHdr(out, 0);
  v.h_vlan_proto = proto;
  v.h_vlan_TCI = tci;
  return out;
}

/** The untagged frame inside a tagged one (vlan_do_receive after skb_vlan_untag): addresses, then the inner ethertype on. */
export function vlanRemoveTag(frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(frame.length - (VLAN_ETH_HLEN - ETH_HLEN));
  out.set(frame.subarray(0, EthOff.H_PROTO), 0);
  out.set(frame.subarray(VlanEthOff.H_VLAN_ENCAPSULATED_PROTO), EthOff.H_PROTO);
  return out;
}

// ---- struct arphdr ----

/** Where each field of the header is, in bytes from its start. */
export const enum ArpOff {
  AR_HRD = 0,
  AR_PRO = 2,
  AR_HLN = 4,
  AR_PLN = 5,
  AR_OP = 6,
  AR_SHA = 8,
  AR_SIP = 14,
  AR_THA = 18,
  AR_TIP = 24,
}

/**
 * struct arphdr and the Ethernet/IPv4 body the kernel reaches by pointer arithmetic (ar_sha,
 * ar_sip, ar_tha, ar_tip). Hardware addresses read as views of the packet's bytes and are written
 * by copying.
 */
export class ArpHdr {
  declare readonly buf: Uint8Array;
  declare readonly off: number;

  constructor(buf: Uint8Array, off: number) {
    this.buf = buf;
    this.off = off;
  }

  get ar_hrd(): number {
    return readU16(this.buf, this.off + ArpOff.AR_HRD);
  }
  set ar_hrd(v: number) {
    writeU16(this.buf, this.off + ArpOff.AR_HRD, v);
  }
  get ar_pro(): number {
    return readU16(this.buf, this.off + ArpOff.AR_PRO);
  }
  set ar_pro(v: number) {
    writeU16(this.buf, this.off + ArpOff.AR_PRO, v);
  }
  get ar_hln(): number {
    return this.buf[this.off + ArpOff.AR_HLN] | 0;
  }
  set ar_hln(v: number) {
    this.buf[this.off + ArpOff.AR_HLN] = v;
  }
  get ar_pln(): number {
    return this.buf[this.off + ArpOff.AR_PLN] | 0;
  }
  set ar_pln(v: number) {
    this.buf[this.off + ArpOff.AR_PLN] = v;
  }
  get ar_op(): number {
    return readU16(this.buf, this.off + ArpOff.AR_OP);
  }
  set ar_op(v: number) {
    writeU16(this.buf, this.off + ArpOff.AR_OP, v);
  }
  get ar_sha(): Uint8Array {
    return getMac(this.buf, this.off + ArpOff.AR_SHA);
  }
  set ar_sha(mac: Uint8Array) {
    setMac(this.buf, this.off + ArpOff.AR_SHA, mac);
  }
  get ar_sip(): number {
    return readU32(this.buf, this.off + ArpOff.AR_SIP);
  }
  set ar_sip(v: number) {
    writeU32(this.buf, this.off + ArpOff.AR_SIP, v);
  }
  get ar_tha(): Uint8Array {
    return getMac(this.buf, this.off + ArpOff.AR_THA);
  }
  set ar_tha(mac: Uint8Array) {
    setMac(this.buf, this.off + ArpOff.AR_THA, mac);
  }
  get ar_tip(): number {
    return readU32(this.buf, this.off + ArpOff.AR_TIP);
  }
  set ar_tip(v: number) {
    writeU32(this.buf, this.off + ArpOff.AR_TIP, v);
  }
}

// ---- struct iphdr ----

/** Where each field of the header is, in bytes from its start. */
export const enum IpOff {
  VERSION_IHL = 0,
  TOS = 1,
  TOT_LEN = 2,
  ID = 4,
  FRAG_OFF = 6,
  TTL = 8,
  PROTOCOL = 9,
  CHECK = 10,
  SADDR = 12,
  DADDR = 16,
}

/**
 * struct iphdr. frag_off is the raw 16 bits: the flags (IP_DF, IP_MF) and the offset in 8-byte
 * units (IP_OFFSET); ihl counts 32-bit words.
 */
export class IpHdr {
  declare readonly buf: Uint8Array;
  declare readonly off: number;

  constructor(buf: Uint8Array, off: number) {
    this.buf = buf;
    this.off = off;
  }

  get version(): number {
    return this.buf[this.off + IpOff.VERSION_IHL] >>> 4;
  }
  set version(v: number) {
    setHigh4(this.buf, this.off + IpOff.VERSION_IHL, v);
  }
  get ihl(): number {
    return this.buf[this.off + IpOff.VERSION_IHL] & 0x0f;
  }
  set ihl(v: number) {
    setLow4(this.buf, this.off + IpOff.VERSION_IHL, v);
  }
  get tos(): number {
    return this.buf[this.off + IpOff.TOS] | 0;
  }
  set tos(v: number) {
    this.buf[this.off + IpOff.TOS] = v;
  }
  get tot_len(): number {
    return readU16(this.buf, this.off + IpOff.TOT_LEN);
  }
  set tot_len(v: number) {
    writeU16(this.buf, this.off + IpOff.TOT_LEN, v);
  }
  get id(): number {
    return readU16(this.buf, this.off + IpOff.ID);
  }
  set id(v: number) {
    writeU16(this.buf, this.off + IpOff.ID, v);
  }
  get frag_off(): number {
    return readU16(this.buf, this.off + IpOff.FRAG_OFF);
  }
  set frag_off(v: number) {
    writeU16(this.buf, this.off + IpOff.FRAG_OFF, v);
  }
  get ttl(): number {
    return this.buf[this.off + IpOff.TTL] | 0;
  }
  set ttl(v: number) {
    this.buf[this.off + IpOff.TTL] = v;
  }
  get protocol(): number {
    return this.buf[this.off + IpOff.PROTOCOL] | 0;
  }
  set protocol(v: number) {
    this.buf[this.off + IpOff.PROTOCOL] = v;
  }
  get check(): number {
    return readU16(this.buf, this.off + IpOff.CHECK);
  }
  set check(v: number) {
    writeU16(this.buf, this.off + IpOff.CHECK, v);
  }
  get saddr(): number {
    return readU32(this.buf, this.off + IpOff.SADDR);
  }
  set saddr(v: number) {
    writeU32(this.buf, this.off + IpOff.SADDR, v);
  }
  get daddr(): number {
    return readU32(this.buf, this.off + IpOff.DADDR);
  }
  set daddr(v: number) {
    writeU32(this.buf, this.off + IpOff.DADDR, v);
  }
  /** The options: the ihl * 4 - 20 bytes after the fixed header (a view of the packet's bytes). */
  get options(): Uint8Array {
    return this.buf.subarray(this.off + IPV4_MIN_HLEN, this.off + this.ihl * 4);
  }
}

/**
 * ip_copy_addrs: the flow's source and destination into the header, as __ip_make_skb does; like
 * the kernel's, it writes the two adjacent addresses in one go.
 */
export function ip_copy_addrs(iph: IpHdr, saddr: number, daddr: number): void {
  const b = iph.buf;
  const o = iph.off + IpOff.SADDR;
  b[o] = saddr >>> 24;
  b[o + 1] = saddr >>> 16;
  b[o + 2] = saddr >>> 8;
  b[o + 3] = saddr;
  b[o + 4] = daddr >>> 24;
  b[o + 5] = daddr >>> 16;
  b[o + 6] = daddr >>> 8;
  b[o + 7] = daddr;
}

// ---- struct udphdr ----

/** Where each field of the header is, in bytes from its start. */
export const enum UdpOff {
  SOURCE = 0,
  DEST = 2,
  LEN = 4,
  CHECK = 6,
}

/** offsetof(struct udphdr, check): where checksum offload stores the sum (skb->csum_offset). */
export const UDP_CHECK_OFFSET = UdpOff.CHECK;

/** struct udphdr. len counts the header and the payload; a check of 0 means "no checksum". */
export class UdpHdr {
  declare readonly buf: Uint8Array;
  declare readonly off: number;

  constructor(buf: Uint8Array, off: number) {
    this.buf = buf;
    this.off = off;
  }

  get source(): number {
    return readU16(this.buf, this.off + UdpOff.SOURCE);
  }
  set source(v: number) {
    writeU16(this.buf, this.off + UdpOff.SOURCE, v);
  }
  get dest(): number {
    return readU16(this.buf, this.off + UdpOff.DEST);
  }
  set dest(v: number) {
    writeU16(this.buf, this.off + UdpOff.DEST, v);
  }
  get len(): number {
    return readU16(this.buf, this.off + UdpOff.LEN);
  }
  set len(v: number) {
    writeU16(this.buf, this.off + UdpOff.LEN, v);
  }
  get check(): number {
    return readU16(this.buf, this.off + UdpOff.CHECK);
  }
  set check(v: number) {
    writeU16(this.buf, this.off + UdpOff.CHECK, v);
  }
}

// ---- struct icmphdr ----

/** Where each field of the header is, in bytes from its start. */
export const enum IcmpOff {
  TYPE = 0,
  CODE = 1,
  CHECKSUM = 2,
  UN = 4,
}

/** offsetof(struct icmphdr, checksum): the field a checksum over the message skips. */
export const ICMP_CHECKSUM_OFFSET = IcmpOff.CHECKSUM;

/**
 * struct icmphdr. Its 32-bit union `un` reads as gateway (the whole word: icmp_send's info),
 * echo_id and echo_sequence (un.echo), or frag_mtu (un.frag.mtu, the low half).
 */
export class IcmpHdr {
  declare readonly buf: Uint8Array;
  declare readonly off: number;

  constructor(buf: Uint8Array, off: number) {
    this.buf = buf;
    this.off = off;
  }

  get type(): number {
    return this.buf[this.off + IcmpOff.TYPE] | 0;
  }
  set type(v: number) {
    this.buf[this.off + IcmpOff.TYPE] = v;
  }
  get code(): number {
    return this.buf[this.off + IcmpOff.CODE] | 0;
  }
  set code(v: number) {
    this.buf[this.off + IcmpOff.CODE] = v;
  }
  get checksum(): number {
    return readU16(this.buf, this.off + IcmpOff.CHECKSUM);
  }
  set checksum(v: number) {
    writeU16(this.buf, this.off + IcmpOff.CHECKSUM, v);
  }
  /** un.gateway */
  get gateway(): number {
    return readU32(this.buf, this.off + IcmpOff.UN);
  }
  set gateway(v: number) {
    writeU32(this.buf, this.off + IcmpOff.UN, v);
  }
  /** un.echo.id */
  get echo_id(): number {
    return readU16(this.buf, this.off + IcmpOff.UN);
  }
  set echo_id(v: number) {
    writeU16(this.buf, this.off + IcmpOff.UN, v);
  }
  /** un.echo.sequence */
  get echo_sequence(): number {
    return readU16(this.buf, this.off + IcmpOff.UN + 2);
  }
  set echo_sequence(v: number) {
    writeU16(this.buf, this.off + IcmpOff.UN + 2, v);
  }
  /** un.frag.mtu: the next-hop MTU of a frag-needed error (RFC 1191). */
  get frag_mtu(): number {
    return readU16(this.buf, this.off + IcmpOff.UN + 2);
  }
  set frag_mtu(v: number) {
    writeU16(this.buf, this.off + IcmpOff.UN + 2, v);
  }
}

// ---- struct tcphdr ----

/** Where each field of the header is, in bytes from its start. */
export const enum TcpOff {
  SOURCE = 0,
  DEST = 2,
  SEQ = 4,
  ACK_SEQ = 8,
  DOFF = 12,
  FLAGS = 13,
  WINDOW = 14,
  CHECK = 16,
  URG_PTR = 18,
}

/** offsetof(struct tcphdr, check): the field a checksum over the segment skips. */
export const TCP_CHECK_OFFSET = TcpOff.CHECK;

/**
 * struct tcphdr. doff counts 32-bit words; flags gathers the flag bits, TCP_FIN .. TCP_CWR (byte
 * 13) and TCP_AE (the low bit of the doff byte).
 */
export class TcpHdr {
  declare readonly buf: Uint8Array;
  declare readonly off: number;

  constructor(buf: Uint8Array, off: number) {
    this.buf = buf;
    this.off = off;
  }

  get source(): number {
    return readU16(this.buf, this.off + TcpOff.SOURCE);
  }
  set source(v: number) {
    writeU16(this.buf, this.off + TcpOff.SOURCE, v);
  }
  get dest(): number {
    return readU16(this.buf, this.off + TcpOff.DEST);
  }
  set dest(v: number) {
    writeU16(this.buf, this.off + TcpOff.DEST, v);
  }
  get seq(): number {
    return readU32(this.buf, this.off + TcpOff.SEQ);
  }
  set seq(v: number) {
    writeU32(this.buf, this.off + TcpOff.SEQ, v);
  }
  get ack_seq(): number {
    return readU32(this.buf, this.off + TcpOff.ACK_SEQ);
  }
  set ack_seq(v: number) {
    writeU32(this.buf, this.off + TcpOff.ACK_SEQ, v);
  }
  get doff(): number {
    return this.buf[this.off + TcpOff.DOFF] >>> 4;
  }
  set doff(v: number) {
    setHigh4(this.buf, this.off + TcpOff.DOFF, v);
  }
  get flags(): number {
    return ((this.buf[this.off + TcpOff.DOFF] & 1) << 8) | this.buf[this.off + TcpOff.FLAGS];
  }
  set flags(v: number) {
    const b = this.buf;
    b[this.off + TcpOff.DOFF] = (b[this.off + TcpOff.DOFF] & 0xfe) | ((v >>> 8) & 1);
    b[this.off + TcpOff.FLAGS] = v;
  }
  get window(): number {
    return readU16(this.buf, this.off + TcpOff.WINDOW);
  }
  set window(v: number) {
    writeU16(this.buf, this.off + TcpOff.WINDOW, v);
  }
  get check(): number {
    return readU16(this.buf, this.off + TcpOff.CHECK);
  }
  set check(v: number) {
    writeU16(this.buf, this.off + TcpOff.CHECK, v);
  }
  get urg_ptr(): number {
    return readU16(this.buf, this.off + TcpOff.URG_PTR);
  }
  set urg_ptr(v: number) {
    writeU16(this.buf, this.off + TcpOff.URG_PTR, v);
  }
  /** The options: the doff * 4 - 20 bytes after the fixed header (a view of the segment's bytes). */
  get options(): Uint8Array {
    return this.buf.subarray(this.off + TCP_HLEN, this.off + this.doff * 4);
  }
}

// The wire layer: byte-level views, parsed forms and checksums of the headers the model sends,
// plus frame decoding for display and pcap output.

export * from './bytes';
export * from './headers';
export * from './addr';
export * from './checksum';
export * from './ethernet';
export * from './arp';
export * from './ipv4';
export * from './udp';
export * from './icmp';
export * from './tcp';
export * from './decode';
export * from './pcap';

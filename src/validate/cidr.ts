// IP arithmetic for the PodCIDR overlap rule. A fleet of 511 clusters compares 130,305 pairs of CIDRs; with
// node:net's BlockList every comparison allocated a SocketAddress (0.4 s in all), with integers it is a shift.

export type Family = 'ipv4' | 'ipv6';

/** An address as an unsigned integer of 32 (IPv4) or 128 (IPv6) bits. The address must be valid (net.isIP). */
export function addressBits(address: string, family: Family): bigint {
  if (family === 'ipv4') return ipv4Bits(address);
  const [head, tail] = address.replace(/%.*$/, '').split('::') as [string, string | undefined];
  const groups = (part: string | undefined): bigint[] => {
    if (!part) return [];
    const out: bigint[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const v4 = ipv4Bits(g); // an IPv4 tail, as in ::ffff:10.0.0.1, is two groups
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...new Array<bigint>(8 - left.length - right.length).fill(0n), ...right];
  return all.reduce((n, g) => (n << 16n) | g, 0n);
}

function ipv4Bits(address: string): bigint {
  return address.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
}

/** Whether `address` lies in the subnet `network`/`prefix` (the network's host bits are ignored, as BlockList does). */
export function inSubnet(network: bigint, prefix: number, address: bigint, family: Family): boolean {
  const shift = BigInt((family === 'ipv4' ? 32 : 128) - prefix);
  return network >> shift === address >> shift;
}

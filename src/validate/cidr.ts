// IP arithmetic for the PodCIDR overlap rule. Addresses are integers, and overlaps are found by one sweep in address
// order, so the work grows with the number of blocks rather than with the number of pairs (130,305 for 511 clusters).
import { byteOrder } from '../model/byte-order.ts';

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
  const all =
    tail === undefined ? left : [...left, ...new Array<bigint>(8 - left.length - right.length).fill(0n), ...right];
  return all.reduce((n, g) => (n << 16n) | g, 0n);
}

function ipv4Bits(address: string): bigint {
  return address.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
}

/** A CIDR as overlappingPairs reads it: `bits` is its address (addressBits), host bits and all. */
export interface CidrBlock {
  readonly family: Family;
  readonly prefix: number;
  readonly bits: bigint;
}

/**
 * Every pair of blocks that overlap, as [earlier, later] in the order given, sorted by the later block and then the
 * earlier one. Two CIDRs overlap only if one holds the other, so in address order (widest first at an address) the
 * blocks holding a block are those left on a stack of nested blocks when it is reached.
 */
export function overlappingPairs<T extends CidrBlock>(blocks: readonly T[]): [T, T][] {
  const width = (b: CidrBlock) => (b.family === 'ipv4' ? 32 : 128);
  const network = (b: CidrBlock) => (b.bits >> BigInt(width(b) - b.prefix)) << BigInt(width(b) - b.prefix);
  const order = blocks.map((block, index) => ({ block, index, network: network(block) }));
  order.sort((a, b) =>
    a.block.family !== b.block.family
      ? byteOrder(a.block.family, b.block.family)
      : a.network !== b.network
        ? a.network < b.network
          ? -1
          : 1
        : a.block.prefix - b.block.prefix || a.index - b.index,
  );
  const pairs: [number, number][] = [];
  const stack: typeof order = [];
  for (const entry of order) {
    const holds = (outer: (typeof order)[number]) =>
      outer.block.family === entry.block.family &&
      outer.block.prefix <= entry.block.prefix &&
      inSubnet(outer.block.bits, outer.block.prefix, entry.block.bits, entry.block.family);
    while (stack.length > 0 && !holds(stack[stack.length - 1])) stack.pop();
    for (const outer of stack)
      pairs.push(outer.index < entry.index ? [outer.index, entry.index] : [entry.index, outer.index]);
    stack.push(entry);
  }
  pairs.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  return pairs.map(([earlier, later]) => [blocks[earlier], blocks[later]]);
}

/** Whether `address` lies in the subnet `network`/`prefix` (the network's host bits are ignored, as BlockList does). */
export function inSubnet(network: bigint, prefix: number, address: bigint, family: Family): boolean {
  const shift = BigInt((family === 'ipv4' ? 32 : 128) - prefix);
  return network >> shift === address >> shift;
}

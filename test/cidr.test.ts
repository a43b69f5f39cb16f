import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addressBits, inSubnet, overlappingPairs, type CidrBlock, type Family } from '../src/validate/cidr.ts';

test('addressBits reads IPv4, IPv6 with and without ::, and an IPv4 tail', () => {
  assert.is(addressBits('10.1.2.3', 'ipv4'), 0x0a010203n);
  assert.is(addressBits('::', 'ipv6'), 0n);
  assert.is(addressBits('::1', 'ipv6'), 1n);
  assert.is(addressBits('fd00:10::', 'ipv6'), 0xfd000010n << 96n);
  assert.is(addressBits('1:2:3:4:5:6:7:8', 'ipv6'), 0x00010002000300040005000600070008n);
  assert.is(addressBits('::ffff:10.0.0.1', 'ipv6'), 0xffff0a000001n);
});

// The rule used node:net's BlockList before; the integers must answer exactly as it did.
test('inSubnet agrees with BlockList on subnets and addresses around their edges', () => {
  const cases: [string, number, string][] = [
    ['10.0.0.0', 16, '10.0.255.255'],
    ['10.0.0.0', 16, '10.1.0.0'],
    ['10.0.0.5', 16, '10.0.7.7'],
    ['0.0.0.0', 0, '192.168.1.1'],
    ['10.0.128.0', 17, '10.0.127.255'],
    ['10.0.128.0', 32, '10.0.128.0'],
    ['fd00:10::', 48, 'fd00:10:0:ffff::1'],
    ['fd00:10::', 48, 'fd00:11::'],
    ['fd00::', 8, 'fe00::'],
    ['::', 0, 'ffff::1'],
    ['2001:db8::1', 128, '2001:db8::1'],
  ];
  for (const [network, prefix, address] of cases) {
    const family: Family = isIP(network) === 4 ? 'ipv4' : 'ipv6';
    const block = new BlockList();
    block.addSubnet(network, prefix, family);
    const actual = inSubnet(addressBits(network, family), prefix, addressBits(address, family), family);
    assert.is(actual, block.check(address, family), `${address} in ${network}/${prefix}`);
  }
});

// The sweep must find exactly the pairs that comparing every pair finds, in the order that comparison reports them.
test('overlappingPairs finds the pairs a comparison of every pair finds, in its order', () => {
  const block = fc.oneof(
    fc.record({
      family: fc.constant<Family>('ipv4'),
      prefix: fc.integer({ min: 0, max: 32 }),
      bits: fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
    }),
    // few distinct high bits, so that IPv6 blocks nest and repeat as often as IPv4 ones
    fc.record({
      family: fc.constant<Family>('ipv6'),
      prefix: fc.integer({ min: 0, max: 128 }),
      bits: fc.bigInt({ min: 0n, max: 15n }).map((n) => n << 124n),
    }),
  );
  const narrowIpv4 = fc.record({
    family: fc.constant<Family>('ipv4'),
    prefix: fc.integer({ min: 0, max: 4 }),
    bits: fc.bigInt({ min: 0n, max: 15n }).map((n) => n << 28n),
  });
  fc.assert(
    fc.property(fc.array(fc.oneof(block, narrowIpv4), { maxLength: 40 }), (blocks: CidrBlock[]) => {
      const expected: [CidrBlock, CidrBlock][] = [];
      blocks.forEach((later, j) =>
        blocks.slice(0, j).forEach((earlier) => {
          if (earlier.family !== later.family) return;
          const [wide, narrow] = earlier.prefix <= later.prefix ? [earlier, later] : [later, earlier];
          if (inSubnet(wide.bits, wide.prefix, narrow.bits, later.family)) expected.push([earlier, later]);
        }),
      );
      assert.equal(overlappingPairs(blocks), expected);
    }),
    { numRuns: 500 },
  );
});

test.run();

import { BlockList, isIP } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addressBits, inSubnet, type Family } from '../src/validate/cidr.ts';

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
    ['10.0.0.0', 16, '10.0.255.255'], ['10.0.0.0', 16, '10.1.0.0'], ['10.0.0.5', 16, '10.0.7.7'], ['0.0.0.0', 0, '192.168.1.1'],
    ['10.0.128.0', 17, '10.0.127.255'], ['10.0.128.0', 32, '10.0.128.0'], ['fd00:10::', 48, 'fd00:10:0:ffff::1'],
    ['fd00:10::', 48, 'fd00:11::'], ['fd00::', 8, 'fe00::'], ['::', 0, 'ffff::1'], ['2001:db8::1', 128, '2001:db8::1'],
  ];
  for (const [network, prefix, address] of cases) {
    const family: Family = isIP(network) === 4 ? 'ipv4' : 'ipv6';
    const block = new BlockList();
    block.addSubnet(network, prefix, family);
    const actual = inSubnet(addressBits(network, family), prefix, addressBits(address, family), family);
    assert.is(actual, block.check(address, family), `${address} in ${network}/${prefix}`);
  }
});

test.run();

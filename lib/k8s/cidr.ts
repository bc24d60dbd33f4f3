import { isIPv4, isIPv6 } from 'node:net';

/**
 * What is wrong with a CIDR block (`10.0.0.0/16`, `2001:db8::/32`), or undefined when nothing is. The address must be
 * the block's first: `10.0.0.1/24` is refused, since it usually means a host was meant and the prefix is a slip.
 * Shared by the constructs' prop checks and the fleet inventory's.
 */
export function cidrProblem(value: unknown): string | undefined {
  const [address, prefixText, extra] = typeof value === 'string' ? value.split('/') : [];
  const prefix = Number(prefixText);
  // isIPv6 accepts a zone ("fe80::1%eth0"), which no CIDR block has.
  const max = isIPv4(address ?? '') ? 32 : isIPv6(address ?? '') && !address.includes('%') ? 128 : 0;
  if (extra !== undefined || max === 0 || !/^\d{1,3}$/.test(prefixText ?? '') || prefix > max) {
    return 'use a CIDR block such as "10.0.0.0/16" or "2001:db8::/32"';
  }
  const hostBits = (1n << BigInt(max - prefix)) - 1n;
  if ((addressValue(address) & hostBits) !== 0n) {
    return `the address has bits set beyond the /${prefix} prefix; write the network address`;
  }
  return undefined;
}

/** A valid IPv4 or IPv6 address (no zone) as a number. */
function addressValue(address: string): bigint {
  if (isIPv4(address)) return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(octet), 0n);
  // An IPv4 tail (::ffff:192.0.2.1) is the last 32 bits: parse it as two zero groups, then add it in.
  const v4 = /\d+\.\d+\.\d+\.\d+$/.exec(address);
  const [head, tail] = (v4 ? `${address.slice(0, v4.index)}0:0` : address).split('::');
  const groups = (text: string | undefined) => (text ? text.split(':') : []);
  const zeros = Array<string>(8 - groups(head).length - groups(tail).length).fill('0');
  const all = tail === undefined ? groups(head) : [...groups(head), ...zeros, ...groups(tail)];
  const value = all.reduce((acc, group) => (acc << 16n) | BigInt(`0x${group}`), 0n);
  return v4 ? value | addressValue(v4[0]) : value;
}

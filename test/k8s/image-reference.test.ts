import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../../lib/k8s/image-reference';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageReference', () => {
  it.each([
    ['busybox:1.37.0', { path: 'busybox', tag: '1.37.0' }],
    ['apache/airflow', { path: 'apache/airflow' }],
    ['ghcr.io/cse-labs/heartbeat:v0.4.0', { registry: 'ghcr.io', path: 'cse-labs/heartbeat', tag: 'v0.4.0' }],
    [
      'registry.example.com:5000/vector:0.57.0',
      { registry: 'registry.example.com:5000', path: 'vector', tag: '0.57.0' },
    ],
    ['localhost/vector:dev_1', { registry: 'localhost', path: 'vector', tag: 'dev_1' }],
    ['[2001:db8::1]:5000/vector', { registry: '[2001:db8::1]:5000', path: 'vector' }],
    ['a__b/c-d.e--f/g_h:T', { path: 'a__b/c-d.e--f/g_h', tag: 'T' }],
    [`timberio/vector@${DIGEST}`, { path: 'timberio/vector', digest: DIGEST }],
    [`timberio/vector:0.57.0@${DIGEST}`, { path: 'timberio/vector', tag: '0.57.0', digest: DIGEST }],
  ])('parses %s', (text, reference) => {
    expect(parseImageReference(text)).toEqual({ reference });
  });

  it.each([
    ['', 'it is empty'],
    ['busybox:1.37.0 ', 'it holds white space'],
    ['Apache/Airflow:2.10.5', 'the repository "Apache/Airflow" must be lower case: "apache/airflow"'],
    [
      'ghcr.io/CSE-Labs/heartbeat:0.4.0',
      'the repository "CSE-Labs/heartbeat" must be lower case: "cse-labs/heartbeat"',
    ],
    [
      'apache//airflow:2.10.5',
      'the repository "apache//airflow" is not a path of lower-case letters and digits, separated by "/", and inside a ' +
        'component by ".", "_", "__" or "-"',
    ],
    [
      'apache/-airflow',
      'the repository "apache/-airflow" is not a path of lower-case letters and digits, separated by "/", and inside ' +
        'a component by ".", "_", "__" or "-"',
    ],
    [
      'busybox:-1',
      'the tag "-1" is not a tag: 1 to 128 letters, digits, "_", "." and "-", not starting with "." or "-"',
    ],
    [
      `busybox:${'1'.repeat(129)}`,
      `the tag "${'1'.repeat(129)}" is not a tag: 1 to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`,
    ],
    ['busybox:', 'the tag "" is not a tag: 1 to 128 letters, digits, "_", "." and "-", not starting with "." or "-"'],
    ['busybox@sha256:ABC', 'the digest "sha256:ABC" is not "sha256:" followed by 64 lower-case hex digits'],
    [
      `busybox@md5:${'0'.repeat(32)}`,
      `the digest "md5:${'0'.repeat(32)}" is not "sha256:" followed by 64 lower-case hex digits`,
    ],
    ['registry.example.com:99999/busybox:1.37.0', "the registry's port 99999 is not from 1 to 65535"],
    [
      'registry_example.com/busybox:1.37.0',
      'the registry "registry_example.com" is not a host name or [IPv6 address] with an optional :port',
    ],
    [`${'a'.repeat(256)}:1.0`, 'the name (registry and path) has 256 characters; the runtimes take 255'],
  ])('refuses %j', (text, problem) => {
    expect(parseImageReference(text)).toEqual({ problem });
  });
});

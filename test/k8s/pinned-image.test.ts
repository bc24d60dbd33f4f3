import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { LogHeartbeat, VectorAgent } from '../../lib';
import { checkPinnedImage } from '../../lib/k8s/prop-errors';

const scope = () => Testing.chart();

describe('checkPinnedImage', () => {
  it.each([
    'timberio/vector:0.57.0-alpine',
    'busybox:1.37.0',
    'ghcr.io/cse-labs/heartbeat:v0.4.0',
    'registry.example.com:5000/vector:0.57.0-debian',
    'registry.example.com/k8s-heartbeat:2024.06.01',
    'nginx:1.25',
    'timberio/vector@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'timberio/vector:0.57.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  ])('accepts %s, a version tag or a digest', (image) => {
    expect(checkPinnedImage(scope(), 'image', image, 'busybox:1.37.0')).toBe(image);
  });

  it.each([
    ['busybox', 'pin the image to an exact version tag or digest, e.g. "busybox:1.37.0"'],
    ['busybox:latest', 'pin the image to an exact version tag or digest, e.g. "busybox:1.37.0"'],
    ['registry.example.com:5000/busybox', 'pin the image to an exact version tag or digest, e.g. "busybox:1.37.0"'],
    ['busybox:1.37.0 ', 'not an image reference: it holds white space; e.g. "busybox:1.37.0"'],
    [
      'busybox:stable',
      'the tag "stable" is not a version and can move: pin the image to an exact version tag or digest, e.g. "busybox:1.37.0"',
    ],
    [
      'busybox:1',
      'the tag "1" is not a version and can move: pin the image to an exact version tag or digest, e.g. "busybox:1.37.0"',
    ],
    [
      'busybox:musl',
      'the tag "musl" is not a version and can move: pin the image to an exact version tag or digest, e.g. "busybox:1.37.0"',
    ],
  ])('refuses %j', (image, allowed) => {
    expect(() => checkPinnedImage(scope(), 'image', image, 'busybox:1.37.0')).toThrow(
      `test: invalid image ${JSON.stringify(image)}: ${allowed}`,
    );
  });

  it("shows each construct's own default image as the example", () => {
    expect(() => new LogHeartbeat(Testing.chart(), 'heartbeat', { image: 'busybox:stable' })).toThrow(
      'e.g. "busybox:1.37.0"',
    );
    expect(
      () =>
        new VectorAgent(Testing.chart(), 'agent', {
          cluster: { name: 'dev', environment: 'development', region: 'fsn1' },
          aggregator: false,
          remoteWrite: false,
          image: 'timberio/vector:nightly',
        }),
    ).toThrow('test/agent: invalid image "timberio/vector:nightly": the tag "nightly" is not a version and can move');
  });
});

import { describe, expect, it } from 'vitest';
import {
  annotationsSizeProblem,
  checkAnnotations,
  checkLabels,
  LABEL_KEY_RULE,
  LABEL_VALUE_RULE,
  labelKeyProblem,
  labelValueProblem,
  MAX_ANNOTATIONS_BYTES,
} from '../../lib/k8s/metadata';

describe('label and annotation keys', () => {
  it.each([
    'app',
    'app.kubernetes.io/name',
    'load-balancer.hetzner.cloud/location',
    'A_b.c-D',
    `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ])('accepts %s', (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });

  it.each([
    '',
    'app name',
    '-app',
    'app.',
    '/app',
    'example.com/',
    'Example.com/app',
    'a/b/c',
    `${'a'.repeat(64)}`,
    `${'a'.repeat(254)}/b`,
  ])('refuses %j', (key) => {
    expect(labelKeyProblem(key)).toBe(LABEL_KEY_RULE);
  });
});

describe('label values', () => {
  it.each(['', 'kube-dns', 'a', 'A.b_c-1', 'v'.repeat(63)])('accepts %j', (value) => {
    expect(labelValueProblem(value)).toBeUndefined();
  });

  it.each(['log store', '-a', 'a-', 'v'.repeat(64), 'a/b', 3])('refuses %j', (value) => {
    expect(labelValueProblem(value)).toBe(LABEL_VALUE_RULE);
  });
});

describe('annotation size', () => {
  it('accepts exactly 256 KiB of keys and values, and refuses one byte more, counting UTF-8 bytes', () => {
    expect(annotationsSizeProblem({ k: 'v'.repeat(MAX_ANNOTATIONS_BYTES - 1) })).toBeUndefined();
    expect(annotationsSizeProblem({ k: 'v'.repeat(MAX_ANNOTATIONS_BYTES) })).toBe(
      'the annotations take 262145 bytes (keys and values together); the API server accepts at most 262144 (256 KiB) ' +
        'on one object',
    );
    // "é" is two bytes: half as many characters reach the limit.
    expect(annotationsSizeProblem({ k: 'é'.repeat(MAX_ANNOTATIONS_BYTES / 2) })).toContain('262145 bytes');
  });
});

describe('checkLabels and checkAnnotations', () => {
  it('name the key of every problem', () => {
    expect(checkLabels({ 'app name': 'x', tier: 'log store', ok: 'fine' })).toEqual([
      `key "app name": ${LABEL_KEY_RULE}`,
      `value of "tier": ${LABEL_VALUE_RULE}`,
    ]);
    expect(checkAnnotations({ 'bad key': 'any value at all', big: 'x'.repeat(MAX_ANNOTATIONS_BYTES) })).toEqual([
      `key "bad key": ${LABEL_KEY_RULE}`,
      'the annotations take 262170 bytes (keys and values together); the API server accepts at most 262144 (256 KiB) ' +
        'on one object',
    ]);
    expect(checkAnnotations({ 'example.com/any': 'spaces, "quotes" and / are fine' })).toEqual([]);
  });
});

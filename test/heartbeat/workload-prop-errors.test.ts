/**
 * Rejected inputs of the heartbeat workloads that untyped callers (JSON inventories, plain JavaScript) can give:
 * each error names the construct path, the prop, the value and what is allowed.
 */
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  DeploymentStatusApi,
  type DeploymentStatusApiProps,
  HttpHeartbeat,
  type HttpHeartbeatProps,
} from '../../lib/heartbeat';
import { constructionError } from './heartbeat-fixtures';

const TOKEN = { name: 'status-api-token', key: 'token' } as const;
const apiError = (props: Partial<DeploymentStatusApiProps>) =>
  constructionError(
    (chart) =>
      new DeploymentStatusApi(chart, 'status', { authTokenSecret: TOKEN, ...props } as DeploymentStatusApiProps),
  );
const httpError = (props: HttpHeartbeatProps) => constructionError((chart) => new HttpHeartbeat(chart, 'http', props));

describe('DeploymentStatusApi', () => {
  const rateLimit = 'use { requests, period }, e.g. { requests: 3600, period: "1h" }';

  it.each<[string, unknown, string]>([
    ['a number', 3600, '3600'],
    ['a boolean', true, 'true'],
    ['an array', [3600, '1h'], '[3600,"1h"]'],
  ])('refuses a rateLimit that is neither { requests, period } nor a string: %s', (_case, value, shown) => {
    expect(apiError({ rateLimit: value as DeploymentStatusApiProps['rateLimit'] })).toBe(
      `test/status: invalid rateLimit ${shown}: ${rateLimit}`,
    );
  });

  it('refuses an array as the Secret reference, showing it (an array holds no literal token to hide)', () => {
    expect(apiError({ authTokenSecret: ['status-api-token', 'token'] as unknown as typeof TOKEN })).toBe(
      'test/status: invalid authTokenSecret ["status-api-token","token"]: reference a Secret as { name, key }; a ' +
        'literal value would be written into the manifests',
    );
  });
});

describe('HttpHeartbeat', () => {
  it('refuses a path over 200 characters, saying so, and accepts exactly 200', () => {
    const long = `/${'a'.repeat(200)}`;
    expect(httpError({ path: long })).toBe(`test/http: invalid path "${long}": use at most 200 characters, not 201`);
    const longest = `/${'a'.repeat(198)}/`;
    expect(longest).toHaveLength(200);
    expect(new HttpHeartbeat(Testing.chart(), 'http', { path: longest }).path).toBe(longest);
  });

  it('applies the same limit to probePathPrefix', () => {
    const long = `/${'p'.repeat(201)}`;
    expect(httpError({ probePathPrefix: long })).toBe(
      `test/http: invalid probePathPrefix "${long}": use at most 200 characters, not 202`,
    );
  });
});

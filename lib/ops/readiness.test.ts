import { describe, expect, it } from 'vitest';
import { readiness } from './readiness';

const state = { ready: true, version: 3, updatedAt: '2026-11-22T12:00:00Z', stale: null };

describe('readiness', () => {
  it('is ready once the first sync is done and the data is fresh', () => {
    expect(readiness({ state })).toEqual({ ready: true, body: { status: 'ready', version: 3, updatedAt: '2026-11-22T12:00:00Z' } });
  });
  it('is not ready before the first sync', () => {
    expect(readiness({ state: null })).toMatchObject({ ready: false, body: { status: 'starting' } });
  });
  it('is not ready when the first sync failed, and says why', () => {
    expect(readiness({ state: null, startError: 'cannot read the cluster: ECONNREFUSED' })).toEqual({
      ready: false,
      body: { status: 'error', reason: 'first sync failed: cannot read the cluster: ECONNREFUSED' },
    });
  });
  it('is not ready while the data is stale', () => {
    const r = readiness({ state: { ...state, stale: { since: '2026-11-22T11:00:00Z', reason: 'connect ECONNREFUSED' } } });
    expect(r).toEqual({ ready: false, body: { status: 'stale', reason: 'connect ECONNREFUSED', since: '2026-11-22T11:00:00Z' } });
  });
});

describe('readiness with a rejected configuration', () => {
  it('is never ready while the policy config is rejected, and says why', () => {
    const state = { ready: true, version: 3, updatedAt: '2026-11-22T12:00:00Z', stale: null };
    expect(readiness({ state, configError: 'policy config /p.yaml rejected: waivers[0].expires: invalid date' })).toEqual({
      ready: false,
      body: { status: 'error', reason: 'policy config /p.yaml rejected: waivers[0].expires: invalid date' },
    });
    expect(readiness({ state, configError: null }).ready).toBe(true);
  });
});

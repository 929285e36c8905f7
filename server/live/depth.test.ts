import { describe, expect, it } from 'vitest';
import { slimObject } from '../../lib/model/projection';
import { capDepth, depthOf, TOO_DEEP } from './depth';

function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 'x' };
  for (let i = 1; i < depth; i++) v = { n: v };
  return v;
}

describe('depth cap', () => {
  it('measures without recursion', () => {
    expect(depthOf('x')).toBe(0);
    expect(depthOf({ a: [1, { b: 2 }] })).toBe(3);
    expect(depthOf(nested(100_000))).toBe(100_000);
  });

  it('returns ordinary objects untouched (no copy)', () => {
    const o = { spec: { tasks: [{ name: 'a', taskSpec: { steps: [{ securityContext: { capabilities: { drop: ['ALL'] } } }] } }] } };
    expect(capDepth(o, 64)).toEqual({ value: o, truncated: false });
    expect(capDepth(o, 64).value).toBe(o);
  });

  it('cuts a 6,000-deep object at the cap so later recursive walks cannot overflow', () => {
    const run = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'r' }, status: { pipelineSpec: nested(6000) } };
    expect(() => JSON.stringify(run)).toThrow(RangeError); // what slimObject's spec sharing did, freezing the source
    expect(() => slimObject(run)).not.toThrow();
    const { value, truncated } = capDepth(run, 64);
    expect(truncated).toBe(true);
    expect(depthOf(value)).toBe(64);
    expect(JSON.stringify(value)).toContain(TOO_DEEP);
    expect(() => slimObject(value as Record<string, unknown>)).not.toThrow();
  });

  it('keeps a hostile __proto__ key a plain key', () => {
    const hostile = JSON.parse(`{"a":{"__proto__":{"polluted":true}},"d":${JSON.stringify(nested(10))}}`) as Record<string, unknown>;
    const { value } = capDepth(hostile, 3);
    const a = (value as { a: Record<string, unknown> }).a;
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.keys(a)).toEqual(['__proto__']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

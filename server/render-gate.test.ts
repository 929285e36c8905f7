import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRenderGate } from './render-gate';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createRenderGate', () => {
  afterEach(() => vi.useRealTimers());

  it('admits up to the slot count at once and the rest in arrival order', async () => {
    const gate = createRenderGate(2, 60_000);
    const order: string[] = [];
    const releases = new Map<string, () => void>();
    for (const name of ['a', 'b', 'c', 'd']) {
      void gate.admit().then((release) => {
        order.push(name);
        releases.set(name, release);
      });
    }
    await tick();
    expect(order).toEqual(['a', 'b']);
    expect(gate.load()).toEqual({ active: 2, waiting: 2 });

    releases.get('b')?.();
    await tick();
    expect(order).toEqual(['a', 'b', 'c']);
    // A newcomer queues behind d even though a slot was just handed over.
    void gate.admit().then(() => order.push('e'));
    releases.get('a')?.();
    await tick();
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(gate.load()).toEqual({ active: 2, waiting: 1 });
  });

  it('ignores a second release and frees the slot when nobody waits', async () => {
    const gate = createRenderGate(1, 60_000);
    const release = await gate.admit();
    release();
    release();
    expect(gate.load()).toEqual({ active: 0, waiting: 0 });
    const again = await gate.admit();
    expect(gate.load()).toEqual({ active: 1, waiting: 0 });
    again();
  });

  it('takes back a slot held too long', async () => {
    vi.useFakeTimers();
    const gate = createRenderGate(1, 1_000);
    await gate.admit(); // never released
    let admitted = false;
    void gate.admit().then(() => (admitted = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(admitted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(admitted).toBe(true);
  });
});

/**
 * Admission control for page renders: at most RENDER_SLOTS pages render at once; the others wait in arrival order
 * (the root layout takes a slot and gives it back once the response has been sent, app/layout.tsx).
 *
 * Why: all rendering shares one thread, so running more pages at once adds no throughput, and under a burst it
 * does harm. Node accepts one new connection per event-loop turn, and a turn runs a step of every render in
 * flight: with 100 clients arriving together, connection k waited for k renders per turn and the last ones for
 * tens of seconds (timeouts at 2,000 pipelines), while each in-flight render kept its whole page in memory.
 * With a few slots a turn stays short, every client is served in turn, and the wait is bounded by the queue
 * ahead of it (about clients × service time).
 */

export interface RenderGate {
  /** Resolves when the caller may render; call the returned function once done (later calls are no-ops). */
  admit(): Promise<() => void>;
  /** Renders in progress and renders waiting (metrics, tests). */
  load(): { active: number; waiting: number };
}

/**
 * `slots` renders at once. A slot not given back within `maxHoldMs` is taken back, so a render whose
 * completion is never signalled (an aborted response) cannot shrink the pool for good.
 */
export function createRenderGate(slots: number, maxHoldMs: number): RenderGate {
  let active = 0;
  const waiting: (() => void)[] = [];

  function grant(): () => void {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      const next = waiting.shift();
      // Hand the slot straight to the next in line: a newcomer cannot overtake the queue.
      if (next) next();
      else active--;
    };
    const timer = setTimeout(release, maxHoldMs);
    timer.unref?.();
    return release;
  }

  return {
    async admit() {
      if (active < slots) {
        active++;
        return grant();
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
      return grant();
    },
    load: () => ({ active, waiting: waiting.length }),
  };
}

/** Two slots: one render can wait on I/O while another runs; more would only lengthen each event-loop turn. */
const RENDER_SLOTS = 2;
/** Far above any render at 2,000 pipelines (tens of ms); a response still streaming after this no longer counts. */
const MAX_HOLD_MS = 10_000;

// One gate per process: Next loads route modules in separate graphs, so it lives on globalThis.
const g = globalThis as typeof globalThis & { __tektonPostureRenderGate?: RenderGate };

export function pageRenderGate(): RenderGate {
  g.__tektonPostureRenderGate ??= createRenderGate(RENDER_SLOTS, MAX_HOLD_MS);
  return g.__tektonPostureRenderGate;
}

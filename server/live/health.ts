import type { DataGap } from '../../lib/model/types';
import type { KubeError } from './kube-client';

/** What health needs of a reflector. */
export interface CollectionState {
  readonly kind: { kind: string };
  readonly namespace: string | null;
  readonly listedOnce: boolean;
  silentForMs(now: number): number;
}

export function gapKey(kind: string, namespace: string | null): string {
  return `${kind}\u0000${namespace ?? ''}`;
}

export interface GapChange {
  /** The set of gaps (or a gap's reason) changed: everything must be re-scored. */
  gapsChanged: boolean;
  /** The kind's objects no longer exist (its CRD was removed): drop what the store holds of it. */
  objectsGone: boolean;
  /** Read access to a kind read before was just lost (the last-known objects are kept). */
  accessLost: boolean;
}

/**
 * Whether the live source can vouch for its data. Gaps: a collection refused (403), not installed (404), or never
 * listed because nothing answered (unreachable, throttled, error) — no data is not "no objects". Stale: a collection
 * unanswered right now, the first sync not complete, a watch silent beyond the bound (catalog v1.1 "Facts": a
 * silent watch is no proof of freshness), or the last re-score failed.
 */
export class SourceHealth {
  readonly gaps = new Map<string, DataGap>();
  private readonly unanswered = new Map<string, string>();
  /** Every collection has listed once or been refused: the first sync is complete. */
  synced = false;
  rescoreError: string | null = null;
  private since: string | null = null;
  private reason: string | null = null;

  constructor(
    private readonly silenceMs: number,
    private readonly collections: () => readonly CollectionState[],
  ) {}

  /** One LIST or WATCH outcome of a collection (null: a LIST succeeded). */
  record(kind: string, namespace: string | null, error: KubeError | null, listedBefore: boolean): GapChange {
    const key = gapKey(kind, namespace);
    const none: GapChange = { gapsChanged: false, objectsGone: false, accessLost: false };
    if (error === null) {
      this.unanswered.delete(key);
      return { ...none, gapsChanged: this.gaps.delete(key) };
    }
    const refused = error.reason === 'forbidden' || error.reason === 'not-installed';
    if (refused) this.unanswered.delete(key);
    else this.unanswered.set(key, `${kind}${namespace ? ` in ${namespace}` : ''}: ${error.message}`);
    // Read before and now unanswered: the objects held are the last known, the data stale, no gap.
    if (!refused && listedBefore) return none;
    const reason: DataGap['reason'] = refused
      ? (error.reason as 'forbidden' | 'not-installed')
      : error.reason === 'throttled' || error.reason === 'unreachable' ? error.reason : 'error';
    const previous = this.gaps.get(key);
    this.gaps.set(key, { kind, namespace, reason, message: error.message });
    const changed = previous?.reason !== reason;
    return { gapsChanged: changed, objectsGone: reason === 'not-installed', accessLost: changed && reason === 'forbidden' && listedBefore };
  }

  /** Marks the first sync complete once every collection has listed or been refused; true when that just happened. */
  settle(): boolean {
    if (this.synced) return false;
    const all = this.collections();
    const done = all.length > 0 && all.every((c) => c.listedOnce || ['forbidden', 'not-installed'].includes(this.gaps.get(gapKey(c.kind.kind, c.namespace))?.reason ?? ''));
    if (done) this.synced = true;
    return done;
  }

  /** Why the data cannot be called current, or null. */
  cause(now: number): string | null {
    if (this.rescoreError) return this.rescoreError;
    if (this.unanswered.size > 0) {
      const first = this.unanswered.values().next().value as string;
      return this.unanswered.size === 1 ? first : `${first} (and ${this.unanswered.size - 1} more collections)`;
    }
    if (!this.synced) {
      const pending = this.collections().filter((c) => !c.listedOnce && !this.gaps.has(gapKey(c.kind.kind, c.namespace)));
      return `first sync not complete: ${pending.length} collections not read yet`;
    }
    const silent = this.collections().filter((c) => c.silentForMs(now) > this.silenceMs);
    if (silent.length) return `nothing heard from the API server for over ${Math.round(this.silenceMs / 1000)} s (${silent[0].kind.kind}${silent.length > 1 ? ` and ${silent.length - 1} more` : ''})`;
    return null;
  }

  /** Recomputes staleness; says what changed. */
  refresh(now: number): 'became-stale' | 'became-fresh' | 'reason-changed' | null {
    const cause = this.cause(now);
    if (cause === this.reason) return null;
    const was = this.reason;
    this.reason = cause;
    if (cause === null) {
      this.since = null;
      return 'became-fresh';
    }
    if (was === null) {
      this.since = new Date(now).toISOString();
      return 'became-stale';
    }
    return 'reason-changed';
  }

  get stale(): { since: string; reason: string } | null {
    return this.reason && this.since ? { since: this.since, reason: this.reason } : null;
  }

  /** The first unanswered collection's error, when any (for `scan --live`, which fails instead of going stale). */
  firstUnanswered(): string | null {
    return this.unanswered.size ? (this.unanswered.values().next().value as string) : null;
  }
}

/**
 * Memoisation for view aggregates that are pure functions of the engine's state. Every publish of a new state
 * brings new `report` and `model` objects, so caching by object identity can never serve a stale value, needs no
 * invalidation, and (through a WeakMap) lets a value go with the state it was computed from.
 */

/**
 * Memoises `compute` on its first argument's identity; further arguments must be identical (`===`) to the
 * cached call's, else the value is recomputed (and replaces the cached one). The result is shared between
 * callers: treat it as read-only.
 */
export function memoByIdentity<Key extends object, Rest extends unknown[], Value>(compute: (key: Key, ...rest: Rest) => Value): (key: Key, ...rest: Rest) => Value {
  const cache = new WeakMap<Key, { rest: Rest; value: Value }>();
  return (key, ...rest) => {
    const hit = cache.get(key);
    if (hit && hit.rest.length === rest.length && hit.rest.every((r, i) => r === rest[i])) return hit.value;
    const value = compute(key, ...rest);
    cache.set(key, { rest, value });
    return value;
  };
}

/**
 * What the namespace's LimitRanges give a container that sets no resources, read as the API server reads them
 * (kubernetes `pkg/apis/core/v1/defaults.go` `SetDefaults_LimitRangeItem`, applied to `type: Container` items only):
 * - a default limit comes from `default`, or from `max` when `default` leaves that resource out (the API server
 *   copies `max` into `default`);
 * - a default request comes from `defaultRequest`, else from the (possibly max-derived) default limit, else `min`.
 * `type: Pod` and `type: PersistentVolumeClaim` items bound sums or claims, never a container's own defaults, so
 * they give nothing here. NSG-004 and STP-006 both read this one rule.
 */
import { isObj, obj, objArr, str } from '../../model/access';
import type { K8sObject } from '../../model/types';

export const BOUNDED_RESOURCES = ['cpu', 'memory'] as const;
export type BoundedResource = (typeof BOUNDED_RESOURCES)[number];

export interface ContainerDefaults {
  /** Resource → the LimitRange (and item) that gives a default limit for it. */
  limits: Map<BoundedResource, { limitRange: K8sObject; itemIndex: number }>;
  /** Resource → the LimitRange (and item) that gives a default request for it. */
  requests: Map<BoundedResource, { limitRange: K8sObject; itemIndex: number }>;
}

function keysOf(v: unknown): Set<string> {
  return isObj(v) ? new Set(Object.keys(v).filter((k) => v[k] !== undefined && v[k] !== null)) : new Set();
}

export function containerDefaults(limitRanges: K8sObject[]): ContainerDefaults {
  const limits: ContainerDefaults['limits'] = new Map();
  const requests: ContainerDefaults['requests'] = new Map();
  for (const limitRange of limitRanges) {
    objArr(obj(limitRange.raw.spec).limits).forEach((item, itemIndex) => {
      if (str(item.type) !== 'Container') return;
      const defaultLimit = new Set([...keysOf(item.default), ...keysOf(item.max)]);
      const defaultRequest = new Set([...keysOf(item.defaultRequest), ...defaultLimit, ...keysOf(item.min)]);
      for (const r of BOUNDED_RESOURCES) {
        if (defaultLimit.has(r) && !limits.has(r)) limits.set(r, { limitRange, itemIndex });
        if (defaultRequest.has(r) && !requests.has(r)) requests.set(r, { limitRange, itemIndex });
      }
    });
  }
  return { limits, requests };
}

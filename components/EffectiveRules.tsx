import type { EffectiveRule, ObjectRef } from '../lib/model/types';
import { Empty } from './ui';

function refText(r: ObjectRef): string {
  return r.namespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
}

const ESCALATION_VERBS = new Set(['*', 'escalate', 'bind', 'impersonate']);
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
const POWERFUL_RESOURCES = new Set(['*', 'secrets', 'pods/exec', 'pods/attach', 'serviceaccounts/token', 'nodes/proxy', 'clusterrolebindings', 'rolebindings', 'clusterroles', 'roles']);

/** Why a rule deserves a second look (a reading aid; the checks carry the verdicts), or null. */
export function ruleConcern(r: EffectiveRule): string | null {
  const { verbs, resources, resourceNames } = r.rule;
  if (verbs.some((v) => ESCALATION_VERBS.has(v))) return verbs.includes('*') ? 'every verb' : 'escalation verb';
  if (resources.includes('*')) return 'every resource';
  if (resources.some((x) => POWERFUL_RESOURCES.has(x)) && resourceNames.length === 0) {
    if (resources.includes('secrets')) return 'secrets';
    return 'powerful resource';
  }
  if (r.scope === null && verbs.some((v) => WRITE_VERBS.has(v))) return 'cluster-wide write';
  return null;
}

function list(xs: string[], empty = '—') {
  return xs.length ? xs.join(', ') : empty;
}

/** Effective rules of a service account with the binding → role → rule path that grants each. */
export function EffectiveRules({ rules, missingRoles = [] }: { rules: EffectiveRule[]; missingRoles?: ObjectRef[] }) {
  if (rules.length === 0 && missingRoles.length === 0) return <Empty>No RBAC rule reaches this service account.</Empty>;
  return (
    <div className="space-y-3">
      {missingRoles.length > 0 ? (
        <p className="text-sm text-amber-800 dark:text-amber-300">
          ! Bound to roles that are not in sight: {missingRoles.map(refText).join(', ')}. Their rules are unknown.
        </p>
      ) : null}
      {rules.length > 0 ? (
        <div tabIndex={0} className="overflow-x-auto">
          <table className="data-table" data-testid="effective-rules">
            <caption className="sr-only">Effective RBAC rules and the binding, role and rule that grant each</caption>
            <thead>
              <tr>
                <th scope="col">Path (binding → role → rule)</th>
                <th scope="col">Verbs</th>
                <th scope="col">Resources</th>
                <th scope="col">API groups</th>
                <th scope="col">Names</th>
                <th scope="col">Scope</th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r, i) => {
                const concern = ruleConcern(r);
                return (
                  <tr key={i} data-path>
                    <td className="min-w-80 text-xs">
                      <div className="flex flex-wrap items-center gap-1 [overflow-wrap:anywhere]">
                        <span className="font-medium text-zinc-800 dark:text-zinc-200">{refText(r.binding)}</span>
                        <span aria-hidden="true" className="text-zinc-500 dark:text-zinc-400">
                          →
                        </span>
                        <span className="sr-only">grants</span>
                        <span className="font-medium text-zinc-800 dark:text-zinc-200">{refText(r.role)}</span>
                        <span aria-hidden="true" className="text-zinc-500 dark:text-zinc-400">
                          →
                        </span>
                        <span className="sr-only">rule</span>
                        <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">rules[{r.ruleIndex}]</code>
                      </div>
                      <div className="mt-0.5 [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">
                        via {r.matchedSubject}
                        {r.aggregatedFrom ? ` · aggregated from ${refText(r.aggregatedFrom)}` : ''}
                      </div>
                    </td>
                    <td className="font-mono text-xs break-words">
                      {list(r.rule.verbs)}
                      {concern ? (
                        <span className="mt-1 block w-fit rounded bg-red-50 px-1 font-sans text-[11px] font-semibold text-red-800 ring-1 ring-red-600/20 ring-inset dark:bg-red-950/60 dark:text-red-200">
                          <span aria-hidden="true">! </span>
                          {concern}
                        </span>
                      ) : null}
                    </td>
                    <td className="font-mono text-xs break-words">{list(r.rule.resources.length ? r.rule.resources : r.rule.nonResourceURLs)}</td>
                    <td className="font-mono text-xs break-words">{list(r.rule.apiGroups.map((g) => (g === '' ? '"" (core)' : g)))}</td>
                    <td className="font-mono text-xs break-words">{list(r.rule.resourceNames, 'any')}</td>
                    <td className="text-xs whitespace-nowrap">{r.scope === null ? <strong className="font-semibold text-orange-700 dark:text-orange-300">cluster-wide</strong> : `namespace ${r.scope}`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

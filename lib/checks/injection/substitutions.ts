/**
 * Finding user-influenced `$(…)` substitutions inside shell code (INJ-001, INJ-002, INJ-003).
 *
 * Tekton replaces `$(…)` textually before the step runs, so a substitution inside a `script` body, or inside the
 * argument after a shell's `-c`, becomes shell code. User-influenced substitutions:
 * - `$(params.x)`, `$(params["x.y"])`, `$(params['x'])`, `$(params.x[*])`, `$(params.obj.key)` and the v1beta1
 *   `$(inputs.params.x)`;
 * - `$(tasks.T.results.R…)` (another task's output);
 * - `$(steps.S.results.R)` (a StepAction's result value).
 * Not user-influenced: `$(workspaces.…)`, `$(results.x.path)`, `$(step.…)`, `$(steps.S.exitCode.path)`,
 * `$(context.…)` (names and UIDs Kubernetes generates or validates as DNS labels), `$(credentials.path)`,
 * `$(tasks.status)`, `$(tasks.T.status|reason)` (fixed enums).
 * Shell code: a step's or sidecar's `script` (whatever its interpreter), and the argument after `-c` (or `-ec`,
 * `-xc`…) when the command line starts with a shell binary (`sh`, `bash`, `ash`, `dash`, `zsh`, `ksh`, `mksh`,
 * `busybox sh`). Args of other commands and `env[].value` are not shell code. A step whose `command` is empty is
 * not treated as a shell even when its args start with `-c` (the image's entrypoint is unknown).
 * StepActions referenced by steps are followed when in sight (in-cluster refs); remote ones make the task unknown.
 * Pipelines-as-Code `{{ … }}` variables in the same shell code are read by `findPacInjections` (pac-variables.ts
 * says which are attacker-controlled).
 */
import { textMemo } from '../memo';
import { normalizeContainer } from '../../model/normalize';
import type { ClusterModel, Evidence, K8sObject, PipelineModel, PipelineTaskModel, StepModel, TaskSpecModel } from '../../model/types';
import { allTasks, containerEvidence, evidenceAt, truncate, unresolvedTasks } from '../util';
import { pacOccurrencesIn } from './pac-variables';

export { pacVariablesIn, pacVariablesInValue, type PacVariable } from './pac-variables';

/** `pac-variable`: an attacker-controlled Pipelines-as-Code `{{ … }}` (found by `findPacInjections`, never by `findSubstitutions`). */
export type SubstitutionKind = 'param' | 'task-result' | 'step-result' | 'pac-variable';

export interface Substitution {
  kind: SubstitutionKind;
  /** The text inside `$(…)`. */
  expr: string;
  /** Param name (for params), `task.result` / `step.result` otherwise. */
  name: string;
  /** `$(params.x[*])`: an array param expanded whole. */
  isArray: boolean;
}

const PARAM = /^(?:inputs\.)?params(?:\.([A-Za-z0-9_-]+)|\[\s*(["'])([^"'\]]+)\2\s*\])(.*)$/;
const TASK_RESULT = /^tasks\.([^.\s]+)\.results\.([^.\s[\]]+)/;
const STEP_RESULT = /^steps\.([^.\s]+)\.results\.([^.\s[\]]+)(.*)$/;

/** Classifies the inside of a `$(…)`; null when it is not user-influenced. */
export function classifySubstitution(inner: string): Substitution | null {
  const expr = inner.trim();
  const p = PARAM.exec(expr);
  if (p) {
    const name = p[1] ?? p[3];
    const rest = p[4].trim();
    return { kind: 'param', expr, name, isArray: rest.startsWith('[*]') || rest.startsWith('[ * ]') };
  }
  const t = TASK_RESULT.exec(expr);
  if (t) return { kind: 'task-result', expr, name: `${t[1]}.${t[2]}`, isArray: false };
  const s = STEP_RESULT.exec(expr);
  if (s && !s[3].startsWith('.path')) return { kind: 'step-result', expr, name: `${s[1]}.${s[2]}`, isArray: false };
  return null;
}

export interface Occurrence {
  sub: Substitution;
  /** 1-based line within the text. */
  line: number;
  /** The line, trimmed and shortened. */
  snippet: string;
}

// Bounded and without nested quantifiers: linear on hostile input.
const SUBST = /\$\(([^()\n]{1,300})\)/g;

/** Every user-influenced substitution in a text (a script body or a `-c` argument). */
export function findSubstitutions(text: string): readonly Occurrence[] {
  return text.includes('$(') ? substitutionsOnce(text) : [];
}

const substitutionsOnce = textMemo(scanSubstitutions);

function scanSubstitutions(text: string): Occurrence[] {
  const out: Occurrence[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes('$(')) continue;
    for (const m of line.matchAll(SUBST)) {
      const sub = classifySubstitution(m[1]);
      if (sub) out.push({ sub, line: i + 1, snippet: truncate(line.trim(), 160) });
    }
    if (out.length > 500) break;
  }
  return out;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh']);

function basename(s: string): string {
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}

/**
 * The index in `argv` of the code a shell runs with `-c`, or null. `argv` is `[...command, ...args]`; the shell
 * must be `argv[0]` (or `env`/`busybox` followed by the shell).
 */
export function shellCodeIndex(argv: string[]): number | null {
  let i = 0;
  if (argv.length > 0 && basename(argv[0]) === 'env') i = 1;
  if (argv.length > i && basename(argv[i]) === 'busybox') i++;
  if (argv.length <= i || !SHELLS.has(basename(argv[i]))) return null;
  for (let j = i + 1; j < argv.length; j++) {
    const a = argv[j];
    if (a === '-o' || a === '+o') {
      j++;
      continue;
    }
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a)) return j + 1 < argv.length ? j + 1 : null;
    if (/^[-+][A-Za-z]+$/.test(a)) continue;
    return null; // a script file or `--`: no inline code
  }
  return null;
}

/** A place holding shell code: a script body or a `-c` argument of a container. */
export interface CodeSite {
  task: PipelineTaskModel;
  spec: TaskSpecModel;
  container: StepModel;
  /** `script`, `command[2]`, `args[1]` */
  field: string;
  text: string;
  /** The StepAction the code comes from, when the step is a `ref`. */
  stepAction: K8sObject | null;
  /** `task "build", step "compile"` */
  label: string;
}

export function siteEvidence(site: CodeSite, value?: string): Evidence {
  if (site.stepAction) {
    const o = site.stepAction;
    return evidenceAt({ kind: o.kind, namespace: o.namespace, name: o.name, ...o.source }, `spec.${site.field}`, value);
  }
  return containerEvidence(site.spec, site.container, site.field, value);
}

function codeOf(c: StepModel): { field: string; text: string }[] {
  const out: { field: string; text: string }[] = [];
  if (c.script) out.push({ field: 'script', text: c.script });
  const argv = [...c.command, ...c.args];
  const k = c.command.length > 0 ? shellCodeIndex(argv) : null;
  if (k !== null) {
    out.push({ field: k < c.command.length ? `command[${k}]` : `args[${k - c.command.length}]`, text: argv[k] });
  }
  return out;
}

export interface CodeSites {
  sites: CodeSite[];
  /** Tasks (or steps) whose code is not in sight, as sentences. */
  unresolved: string[];
  /** Number of resolved containers looked at. */
  containers: number;
}

/** Every script body and shell `-c` argument of the pipeline's resolved tasks, StepActions followed. */
export function codeSites(pipeline: PipelineModel, cluster: ClusterModel): CodeSites {
  const out: CodeSites = { sites: [], unresolved: unresolvedTasks(pipeline).map((t) => `task "${t.name}" (spec not in sight)`), containers: 0 };
  for (const task of allTasks(pipeline)) {
    const spec = task.taskSpec;
    if (!spec) continue;
    for (const c of [...spec.steps, ...spec.sidecars]) {
      out.containers++;
      const label = `task "${task.name}", ${c.role === 'sidecar' ? 'sidecar' : 'step'} "${c.name}"`;
      let container = c;
      let stepAction: K8sObject | null = null;
      if (c.role === 'step' && c.ref) {
        const o = c.ref.resolver === null && c.ref.name ? (cluster.stepActions.get(`${pipeline.namespace}/${c.ref.name}`) ?? null) : null;
        if (!o) {
          out.unresolved.push(`${label} (StepAction ${c.ref.resolver ? `from the ${c.ref.resolver} resolver` : `"${c.ref.name ?? '?'}"`} not in sight)`);
          continue;
        }
        stepAction = o;
        container = { ...normalizeContainer(o.raw.spec, 'step', c.index, c.path), name: c.name };
      }
      for (const code of codeOf(container)) out.sites.push({ task, spec, container: c, field: code.field, text: code.text, stepAction, label });
    }
  }
  return out;
}

export interface Injection {
  site: CodeSite;
  occ: Occurrence;
}

/** Every user-influenced substitution in the pipeline's shell code. */
export function findInjections(sites: CodeSite[]): Injection[] {
  const out: Injection[] = [];
  for (const site of sites) for (const occ of findSubstitutions(site.text)) out.push({ site, occ });
  return out;
}

/** Every attacker-controlled Pipelines-as-Code variable pasted into the pipeline's shell code. */
export function findPacInjections(sites: CodeSite[]): Injection[] {
  const out: Injection[] = [];
  for (const site of sites) {
    const lines = site.text.split('\n');
    for (const v of pacOccurrencesIn(site.text)) {
      if (!v.attackerControlled) continue;
      const sub: Substitution = { kind: 'pac-variable', expr: `{{ ${v.name} }}`, name: v.name, isArray: false };
      out.push({ site, occ: { sub, line: v.line, snippet: truncate((lines[v.line - 1] ?? '').trim(), 160) } });
    }
  }
  return out;
}

/** How a substitution reads in a message: `$(params.x)` or `{{ source_branch }}`. */
export function substitutionText(sub: Substitution): string {
  return sub.kind === 'pac-variable' ? sub.expr : `$(${sub.expr})`;
}

/** Evidence for an injection, deduplicated (two pipeline tasks may share one Task object). */
export function injectionEvidence(list: Injection[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const { site, occ } of list) {
    const value = site.field === 'script' ? `${site.label}, line ${occ.line}: ${occ.snippet}` : `${site.label}: ${occ.snippet}`;
    const e = { ...siteEvidence(site, value), ...(site.field === 'script' ? { textLine: occ.line } : {}) };
    const key = `${e.kind}/${e.namespace}/${e.name}/${e.path}/${occ.line}/${occ.sub.expr}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

/**
 * Pipelines-as-Code dynamic variables (`{{ … }}`), which PaC pastes into a PipelineRun's text before Tekton sees it
 * (CHECKS.md, "Parameters and scripts"; PaC docs "Authoring PipelineRuns", pkg/templates/templating.go).
 *
 * PaC replaces `{{X}}` (X at least two characters without `}`, trimmed) when X is one of its own keys, a custom
 * param of the Repository CR, a CEL expression over `body`/`headers`/`files`, or `cel: <expr>`. Anything else is left
 * alone, so Go templates in a tool's own format string (`{{ .Id }}`, `{{ range .items }}`, `{{ end }}`) are not PaC
 * variables.
 *
 * Attacker-controlled (an outside contributor picks the text): `source_branch`, `trigger_comment`, free-text
 * `body.*` fields (titles, bodies, commit messages, branch refs, names, emails…), `headers.*` other than the
 * provider's event and delivery headers, `files.*` (changed file names), and `cel:` expressions that return one
 * of those.
 * Fixed shape: `revision` (a SHA), `pull_request_number`, `repo_owner`, `repo_name`, `repo_url`, `source_url`
 * (provider URLs), `sender` (a login), `git_auth_secret`, `event_type`, `target_namespace`, and custom params
 * (the Repository CR's owner sets them). Also, by choice:
 * - `target_branch` and `git_tag`: free text in git, but only people with write access create the base
 *   repository's branches and push tags; a pull request from a fork can only pick an existing target branch.
 * - `pull_request_labels`: only triagers and maintainers label pull requests.
 * - `body.*`/`headers.*` expressions that yield a boolean or a number (`==`, `startsWith()`, `size()`, `has()`),
 *   ternaries between literals, and fields of a fixed shape (`number`, `id`, `sha`, `state`, `action`, `login`,
 *   URLs, timestamps…).
 *
 * A PaC variable also reaches a script through a param: a PipelineRun param (or a pipeline task's param) whose value
 * holds `{{ source_branch }}`, interpolated as `$(params.x)` in a script (`attackerPacBehindParam`).
 */
import type { Evidence, PipelineModel, PipelineTaskModel } from '../../model/types';
import { evidenceAt } from '../util';

export interface PacVariable {
  /** The expression inside the braces, trimmed (`source_branch`, `body.pull_request.title`). */
  name: string;
  attackerControlled: boolean;
}

export interface PacOccurrence extends PacVariable {
  /** 1-based line within the text. */
  line: number;
}

const ATTACKER_KEYS = new Set(['source_branch', 'trigger_comment']);
const FIXED_KEYS = new Set([
  'revision', 'pull_request_number', 'repo_owner', 'repo_name', 'repo_url', 'source_url', 'sender', 'git_auth_secret',
  'event_type', 'target_namespace', 'target_branch', 'git_tag', 'pull_request_labels',
]);
/** Go-template actions and functions that read like a bare identifier. */
const GO_TEMPLATE_WORDS = new Set(['end', 'else', 'break', 'continue', 'nil', 'true', 'false']);

/** Payload fields whose values have a fixed shape (numbers, SHAs, enums, logins, provider URLs, timestamps). */
const FIXED_FIELD = /^(?:number|iid|id|node_id|sha|[a-z_]*_sha|before|after|checkout_sha|state|action|merged|draft|locked|private|fork|login|username|user_id|author_association|object_kind|event_type|event_name|eventKey|[a-z_]*_at|[a-z_]*_count|additions|deletions|changed_files|mergeable|rebaseable|visibility|url|[a-z_]*_url|full_name|path_with_namespace)$/;
/** Headers the provider sets to an event name, a delivery ID or a signature. */
const FIXED_HEADER = /^x-(?:github-event|github-delivery|github-hook-id|github-hook-installation-target-(?:id|type)|gitlab-event|gitlab-event-uuid|gitlab-instance|gitlab-webhook-uuid|gitea-event|gitea-event-type|gitea-delivery|gogs-event|gogs-delivery|event-key|request-id|hook-uuid|hub-signature(?:-256)?|gitea-signature|gitlab-token|attempt-number)$|^(?:content-type|content-length|user-agent)$/i;

const BRACES = /\{\{([^{}]{2,300})\}\}/g;

/** The PaC variables in a text, in order (Go-template actions left out). */
export function pacVariablesIn(text: string): PacVariable[] {
  return pacOccurrencesIn(text).map(({ name, attackerControlled }) => ({ name, attackerControlled }));
}

/** The PaC variables in a text with their line numbers. Bounded: linear on hostile input. */
export function pacOccurrencesIn(text: string): PacOccurrence[] {
  if (!text.includes('{{')) return [];
  const out: PacOccurrence[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < 500; i++) {
    if (!lines[i].includes('{{')) continue;
    for (const m of lines[i].matchAll(BRACES)) {
      const v = classifyPacExpression(m[1]);
      if (v) out.push({ ...v, line: i + 1 });
    }
  }
  return out;
}

/**
 * The PaC variables in a param value as the model keeps it. An unquoted `value: {{ source_branch }}` is valid for
 * PaC (it substitutes before parsing YAML) but parses as a flow mapping: the `yaml` package keeps the name as a key
 * (`{"{ source_branch }":null}`, read here); js-yaml loses it (`{"[object Object]":null}`, nothing to read).
 */
export function pacVariablesInValue(value: string): PacVariable[] {
  const flow = /^\{"\{([^"{}]{2,300})\}":null\}$/.exec(value.trim());
  if (flow) {
    const v = classifyPacExpression(flow[1]);
    return v ? [v] : [];
  }
  return pacVariablesIn(value);
}

/** Classifies the inside of `{{ … }}`; null when PaC would leave it alone (a Go template, not an expression). */
export function classifyPacExpression(inner: string): PacVariable | null {
  const name = inner.trim();
  if (name === '' || name.startsWith('.') || name.startsWith('-') || name.startsWith('/*') || name.startsWith('"')) return null;
  const cel = /^cel\s*:\s*([\s\S]*)$/.exec(name);
  if (cel) return { name, attackerControlled: expressionIsAttackerControlled(cel[1]) };
  if (/^(?:body|headers|files)(?![A-Za-z0-9_])/.test(name)) return { name, attackerControlled: expressionIsAttackerControlled(name) };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || GO_TEMPLATE_WORDS.has(name)) return null;
  return { name, attackerControlled: ATTACKER_KEYS.has(name) };
}

/** Whether a key PaC documents (as opposed to a custom param of the Repository CR or another template's word). */
export function isKnownPacKey(name: string): boolean {
  return ATTACKER_KEYS.has(name) || FIXED_KEYS.has(name);
}

const STRING_LITERALS = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;
const LITERAL = String.raw`(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|true|false|null)`;
const LITERAL_TERNARY = new RegExp(String.raw`\?\s*${LITERAL}\s*:\s*${LITERAL}\s*$`);
/** Operators and functions whose result is a boolean or a number. */
const NON_TEXT_RESULT = /==|!=|<=|>=|&&|\|\||(?:^|[^-])>|<|!\s*[A-Za-z(]|\.(?:startsWith|endsWith|contains|matches|exists|exists_one|all)\s*\(|\bsize\s*\(|\.size\s*\(|\bhas\s*\(|\bint\s*\(|\bdouble\s*\(|\s+in\s+/;

/**
 * A `body`/`headers`/`files` or `cel:` expression: attacker-controlled unless it yields a boolean or a number, picks
 * between literals, or reads only fixed-shape fields (PaC's own keys are `pac.<key>` inside `cel:`).
 */
function expressionIsAttackerControlled(expr: string): boolean {
  const code = expr.replace(STRING_LITERALS, '""');
  if (code.includes('?')) {
    if (LITERAL_TERNARY.test(expr)) return false;
    return referencesAttackerSource(code.slice(code.indexOf('?') + 1), expr);
  }
  if (NON_TEXT_RESULT.test(code)) return false;
  return referencesAttackerSource(code, expr);
}

/** Whether code (string literals blanked) reads a free-text field of the payload, a header, a file list or an attacker PaC key. */
function referencesAttackerSource(code: string, original: string): boolean {
  for (const m of code.matchAll(/\bpac\.([A-Za-z_][A-Za-z0-9_]*)/g)) if (!FIXED_KEYS.has(m[1])) return true;
  if (/\bfiles\b/.test(code)) return true;
  if (/\bbody\b/.test(code) && !fixedShapeAccess(original, 'body')) return true;
  if (/\bheaders\b/.test(code) && !fixedShapeAccess(original, 'headers')) return true;
  return false;
}

/** Whether every `body…`/`headers…` access in the expression ends on a fixed-shape field. */
function fixedShapeAccess(expr: string, root: 'body' | 'headers'): boolean {
  const accesses = [...expr.matchAll(new RegExp(String.raw`\b${root}((?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*|\s*\[\s*(?:"[^"]*"|'[^']*'|\d+)\s*\])*)`, 'g'))];
  if (accesses.length === 0) return false;
  return accesses.every((m) => {
    const segments = [...m[1].matchAll(/\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:"([^"]*)"|'([^']*)'|\d+)\s*\]/g)]
      .map((s) => s[1] ?? s[2] ?? s[3])
      .filter((s): s is string => s !== undefined);
    if (segments.length === 0) return false;
    const last = segments[segments.length - 1];
    if (root === 'headers') return segments.length === 1 && FIXED_HEADER.test(last);
    // Bitbucket's `ref.id` / `displayId` are branch names, not numbers.
    if (/^(?:id|displayId)$/.test(last) && segments.some((s) => /ref$/i.test(s))) return false;
    return FIXED_FIELD.test(last);
  });
}

const PIPELINE_PARAM_REF = /\$\(\s*params\.([A-Za-z0-9_-]+)\s*\)|\$\(\s*params\[\s*(["'])([^"'\]]+)\2\s*\]\s*\)/g;

export interface PacCarrier {
  /** The attacker-controlled variables the param's value holds. */
  variables: string[];
  /** Where the value is set: the pipeline task's param, or the runs' params. */
  evidence: Evidence[];
}

/**
 * The attacker-controlled PaC variables a task's `$(params.name)` carries: those in the pipeline task's param value,
 * and those in the recent runs' values of the pipeline params that value names (for inline specs, which see pipeline
 * params propagated, also the pipeline param of the same name when the task does not pass one).
 */
export function attackerPacBehindParam(pipeline: PipelineModel, task: PipelineTaskModel, name: string): PacCarrier {
  const variables = new Set<string>();
  const evidence: Evidence[] = [];
  const passed = task.params.find((p) => p.name === name);
  let pipelineParams: string[] = [];
  if (passed) {
    const direct = pacVariablesInValue(passed.value).filter((v) => v.attackerControlled);
    if (direct.length > 0 && pipeline.spec) {
      for (const v of direct) variables.add(v.name);
      evidence.push(evidenceAt(pipeline.spec.owner, passed.path, `${name}: ${passed.value}`));
    }
    pipelineParams = [...passed.value.matchAll(PIPELINE_PARAM_REF)].map((m) => m[1] ?? m[3]);
  } else if (task.specSource === 'inline') {
    pipelineParams = [name];
  }
  for (const pp of new Set(pipelineParams)) {
    for (const run of pipeline.runs) {
      const rp = run.params.find((p) => p.name === pp);
      if (!rp) continue;
      const vars = pacVariablesInValue(rp.value).filter((v) => v.attackerControlled);
      if (vars.length === 0) continue;
      for (const v of vars) variables.add(v.name);
      evidence.push(evidenceAt({ kind: run.object.kind, namespace: run.object.namespace, name: run.object.name, ...run.object.source }, rp.path, `${pp}: ${rp.value}`));
      break; // one run shows it; the others share the template
    }
  }
  return { variables: [...variables], evidence };
}

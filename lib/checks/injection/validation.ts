/**
 * INJ-002's notion of a "validation step": a line of a step's script that tests the parameter against a pattern —
 * `[[ … =~ … ]]`, `grep -E`/`-qE`/`egrep`, or a `case … in` — and mentions the parameter, either directly
 * (`$(params.x)`) or through a variable that holds it: an `env` entry of that step whose value contains
 * `$(params.x)`, or a shell assignment `VAR="$(params.x)"` earlier in the script. The validating step must come
 * before (or be) the first step that interpolates the parameter.
 */
import type { StepModel } from '../../model/types';
import { findSubstitutions } from './substitutions';

const VALIDATION = /=~|\bgrep\b[^|;\n]{0,80}\s-[A-Za-z]*E|\begrep\b|\bcase\b/;
const ASSIGN = /^\s*(?:export\s+|local\s+|readonly\s+|declare\s+(?:-[A-Za-z]+\s+)?)?([A-Za-z_][A-Za-z0-9_]*)=/;

function mentionsParam(line: string, param: string): boolean {
  return findSubstitutions(line).some((o) => o.sub.kind === 'param' && o.sub.name === param);
}

function mentionsVar(line: string, v: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,100}$/.test(v) || !line.includes(v)) return false;
  return new RegExp(`\\$(?:${v}\\b|\\{${v}[}:#%/^,-])`).test(line);
}

/** Whether `step`'s script validates the param `param` (see the file comment). */
export function validatesParam(step: StepModel, param: string): boolean {
  const script = step.script;
  if (!script || !VALIDATION.test(script)) return false;
  const vars = new Set(step.env.filter((e) => e.value !== null && mentionsParam(e.value, param)).map((e) => e.name));
  for (const line of script.split('\n')) {
    const assign = ASSIGN.exec(line);
    if (assign && mentionsParam(line, param)) vars.add(assign[1]);
    if (!VALIDATION.test(line)) continue;
    if (mentionsParam(line, param)) return true;
    for (const v of vars) if (mentionsVar(line, v)) return true;
  }
  return false;
}

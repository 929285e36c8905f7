/**
 * WSP-001's "runs user code" heuristic: a step whose script (or command line, or `sh -c` argument) invokes a
 * build or test tool that executes code from the checked-out repository.
 *
 * A command word is the first word of a line or of a segment after `;`, `&&`, `||`, `|`, `$(`, a backtick,
 * `then`, `do`, `else`, after skipping `VAR=value` assignments and wrappers (`sudo`, `exec`, `time`, `env`,
 * `nohup`, `xargs`, and the flags of sudo/env/xargs/time). It is user code when it is:
 * - one of npm, npx, yarn, pnpm, bun, make, gmake, mvn, mvnw, gradle, gradlew, pytest, tox, nox, cargo, bazel,
 *   bazelisk, dotnet, rake, bundle, composer, ant, sbt, lein, mix, meson, ninja, cmake, ctest;
 * - `go` followed by build/test/run/generate/install/vet;
 * - `pip`/`pip3` followed by install (setup scripts of local packages run), `python`/`python3` followed by
 *   `setup.py`, `-m pytest|pip|tox|build|unittest|nox`;
 * - a relative executable: `./…` (e.g. `./build.sh`, `./gradlew`).
 * Comments are ignored. Tools that only read the repository (git, kaniko/buildah builds, linters by name) are not
 * counted: image builds run Dockerfile instructions, but in a build container without the pipeline's credentials.
 */
import type { StepModel } from '../../model/types';
import { shellCodeIndex } from '../injection/substitutions';

const TOOLS = new Set([
  'npm', 'npx', 'yarn', 'pnpm', 'bun', 'make', 'gmake', 'mvn', 'mvnw', 'gradle', 'gradlew', 'pytest', 'tox', 'nox', 'cargo',
  'bazel', 'bazelisk', 'dotnet', 'rake', 'bundle', 'composer', 'ant', 'sbt', 'lein', 'mix', 'meson', 'ninja', 'cmake', 'ctest',
]);
const GO_SUB = new Set(['build', 'test', 'run', 'generate', 'install', 'vet']);
const PY_MODULES = new Set(['pytest', 'pip', 'tox', 'build', 'unittest', 'nox']);
const WRAPPERS = new Set(['sudo', 'exec', 'time', 'env', 'nohup', 'xargs', 'command', 'then', 'do', 'else', 'if', '!', '{', '(']);

function basename(s: string): string {
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}

/** Whether the words of one simple command (command word first) run user code; returns the tool or null. */
export function userCodeCommand(words: string[]): string | null {
  let i = 0;
  while (i < words.length && (WRAPPERS.has(words[i]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]))) {
    const takesFlags = words[i] === 'sudo' || words[i] === 'env' || words[i] === 'xargs' || words[i] === 'time';
    i++;
    while (takesFlags && i < words.length && words[i].startsWith('-')) i++;
  }
  const cmd = words[i];
  if (!cmd) return null;
  const clean = cmd.replace(/^["']|["']$/g, '');
  if (clean.startsWith('./') && clean.length > 2) return clean;
  const base = basename(clean);
  const next = (words[i + 1] ?? '').replace(/^["']|["']$/g, '');
  if (TOOLS.has(base)) return base;
  if (base === 'go' && GO_SUB.has(next)) return `go ${next}`;
  if ((base === 'pip' || base === 'pip3') && next === 'install') return `${base} install`;
  if (base === 'python' || base === 'python3') {
    if (next === 'setup.py') return `${base} setup.py`;
    if (next === '-m' && PY_MODULES.has(words[i + 2] ?? '')) return `${base} -m ${words[i + 2]}`;
  }
  return null;
}

/** The first user-code tool a shell script invokes, or null. */
export function scriptRunsUserCode(script: string): string | null {
  for (const rawLine of script.split('\n').slice(0, 2000)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    for (const segment of line.split(/;|&&|\|\||\||\$\(|`/)) {
      const words = segment.trim().split(/\s+/).filter(Boolean);
      if (words[0]?.startsWith('#')) break;
      const tool = userCodeCommand(words);
      if (tool) return tool;
    }
  }
  return null;
}

/** The first user-code tool a container runs (script, `sh -c` code, or its command line), or null. */
export function containerRunsUserCode(c: StepModel): string | null {
  if (c.script) {
    const t = scriptRunsUserCode(c.script);
    if (t) return t;
  }
  const argv = [...c.command, ...c.args];
  if (argv.length === 0) return null;
  const k = c.command.length > 0 ? shellCodeIndex(argv) : null;
  if (k !== null) return scriptRunsUserCode(argv[k]);
  return c.command.length > 0 ? userCodeCommand(argv) : null;
}

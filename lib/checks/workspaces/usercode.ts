/**
 * "Runs user code" (CHECKS.md v1.1, WSP-001, also read by INJ-004): a step executes content that the source (or an
 * earlier task) controls —
 * - a script or binary from the workspace: `./x`, `hack/build.sh`, `bash hack/build.sh`, `. ./env.sh`,
 *   `python3 manage.py …`, `node scripts/x.js`, `sh $(workspaces.source.path)/x` (an interpreter on any file);
 * - a build or test tool that runs the repository's code or build files (usercode-tools.ts: make, npm/yarn/pnpm,
 *   go build/test/generate, mvn, gradle, pip install, cargo, terraform, helm plugins…);
 * - an image build that runs Dockerfile `RUN` lines: docker/podman/buildah build, kaniko's executor, buildkit,
 *   s2i, buildpacks — by command, or by image when the step gives no script;
 * - anything we cannot tell apart from those: an unknown binary, a command held in a variable or a parameter
 *   (`$(params.GIT_SCRIPT)`), `eval` of something not literal, a shell reading code from a pipe, a script in a
 *   language we do not read, a step with an image but no command whose entrypoint is not a known data-only tool.
 * A step is free of user code only when every command treats the workspace as data: git, crane/skopeo/oras,
 * cosign, checksums, cp/mv/ls/cat/echo, jq/yq, curl, kubectl… (DATA_TOOLS), and functions the script defines.
 * Inline Python/Node/Ruby/Perl scripts (`#!/usr/bin/env python3`, `python3 -c`, a here-document) are the task's
 * own code: they count only when they start processes or evaluate code (`subprocess`, `os.system`, `exec(`…).
 * Comments, `echo "make"`, here-document bodies fed to `cat`, and case patterns are not commands. Sourcing an
 * absolute file outside the workspace (`. /utils.sh`) reads the image's library: not counted itself, but the
 * functions it brings are unknown commands when called.
 */
import { normalizeContainer } from '../../model/normalize';
import type { ClusterModel, K8sObject, StepModel, TaskSpecModel } from '../../model/types';
import { readShell, type SimpleCommand } from './shell-commands';
import {
  BUILD_TOOLS, CONTAINER_CLIS, CONTAINER_DATA_SUBCOMMANDS, CONTAINER_GROUPS, DATA_TOOLS, GO_USER_SUBCOMMANDS, HELM_BUILTINS, IMAGE_BUILDERS, INLINE_CODE_FLAGS, INTERPRETER, PY_DATA_MODULES,
  PY_USER_MODULES, SHELLS, VERSION_FLAGS, WRAPPERS, imageKind, imageRepository,
} from './usercode-tools';

const MAX_DEPTH = 8;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;
const TEKTON_INPUT = /\$\(\s*(?:inputs\.)?params[.[]|\$\(\s*tasks\.[^.\s]+\.results|\$\(\s*steps\.[^.\s]+\.results/;
const WORKSPACE_PATH = /^(?:\$\(\s*workspaces\.|\/workspace\/)/;
/** Inline code that starts processes or evaluates code. */
const SPAWNS = /\b(?:subprocess|os\.system|os\.popen|os\.exec[lv]p?e?|os\.spawn|pty\.spawn|child_process|execSync|spawnSync|runpy|importlib|__import__|Kernel\.exec|IO\.popen|Open3)\b|(?<![.\w])(?:exec|eval|system)\s*\(|new\s+Function\b/;
/** Ruby and Perl also run commands in backticks and `%x{}`. */
const BACKTICK_SPAWNS = /`[^`\n]*`|%x\{/;

function basename(s: string): string {
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}

/** The words after wrappers (`sudo -E`, `env X=1`, `xargs -n1`, `timeout 5m`…), keywords and assignments. */
function commandWords(words: string[]): string[] {
  let i = 0;
  for (let guard = 0; guard < 50 && i < words.length; guard++) {
    const w = words[i];
    if (ASSIGNMENT.test(w) || ['if', 'then', 'elif', 'else', 'do', 'while', 'until', '!', '{'].includes(w)) {
      i++;
      continue;
    }
    const wrapper = WRAPPERS[basename(w)];
    if (!wrapper) break;
    if (w === 'command' && (words[i + 1] === '-v' || words[i + 1] === '-V')) return ['type'];
    i++;
    while (i < words.length && (words[i].startsWith('-') || ASSIGNMENT.test(words[i]))) {
      const flag = words[i];
      i += wrapper.has(flag) ? 2 : 1;
    }
    if (w === 'timeout' && i < words.length && /^\d/.test(words[i])) i++;
  }
  return words.slice(i);
}

function firstOperand(args: string[], valueFlags: Set<string> = new Set()): { index: number; word: string } | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return i + 1 < args.length ? { index: i + 1, word: args[i + 1] } : null;
    if (a.startsWith('-') && a.length > 1) {
      if (valueFlags.has(a)) i++;
      continue;
    }
    return { index: i, word: a };
  }
  return null;
}

/** Whether inline code in a language we read (Python, Node, Ruby, Perl…) starts processes or evaluates code. */
function inlineCodeRunsUserCode(code: string, language = ''): string | null {
  if (SPAWNS.test(code) || (/^(?:ruby|perl)/.test(language) && BACKTICK_SPAWNS.test(code))) return 'inline code that starts processes';
  return null;
}

/** A shell's own arguments: `-c CODE`, a file, or code from stdin. */
function shellInvocation(cmd: string, args: string[], heredocs: string[], depth: number): string | null {
  let i = cmd === 'busybox' ? 1 : 0;
  if (cmd === 'busybox' && !SHELLS.has(args[0] ?? '')) return classifyWords(args, heredocs, depth);
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '+o') {
      i++;
      continue;
    }
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a)) return args[i + 1] === undefined ? null : scriptUserCode(args[i + 1], depth + 1);
    if (/^[-+][A-Za-z]+$/.test(a) || a === '--') continue;
    return `${cmd} ${a}`;
  }
  if (heredocs.length > 0) {
    for (const h of heredocs) {
      const t = scriptUserCode(h, depth + 1);
      if (t) return t;
    }
    return null;
  }
  return `${cmd} reading code from stdin`;
}

function interpreterInvocation(cmd: string, args: string[], heredocs: string[]): string | null {
  if (args.length === 0 || args[0] === '-') {
    for (const h of heredocs) if (inlineCodeRunsUserCode(h, cmd)) return `${cmd} (inline code that starts processes)`;
    return heredocs.length > 0 ? null : `${cmd} reading code from stdin`;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (INLINE_CODE_FLAGS.has(a) || (a === '-r' && cmd === 'php') || /^-[a-z]*e$/.test(a)) return inlineCodeRunsUserCode(args[i + 1] ?? '', cmd) ? `${cmd} ${a} (starts processes)` : null;
    if (VERSION_FLAGS.has(a)) return null;
    if (a === '-m' && /^python/.test(cmd)) {
      const mod = args[i + 1] ?? '';
      if (mod === 'pip') return ['install', 'download', 'wheel'].includes(args[i + 2] ?? '') ? `${cmd} -m pip ${args[i + 2]}` : null;
      if (PY_DATA_MODULES.has(mod)) return null;
      return PY_USER_MODULES.has(mod) ? `${cmd} -m ${mod}` : `${cmd} -m ${mod} (a module we do not know)`;
    }
    if (a === '-jar' || a === '-cp' || a === '-classpath') return `${cmd} ${a} ${args[i + 1] ?? ''}`.trim();
    if (a.startsWith('-')) continue;
    return `${cmd} ${a}`;
  }
  return null;
}

/** The first operand, past flags and words that are only variables (they expand to global flags, e.g. `${CERT_FLAG}`). */
function subcommand(args: string[], valueFlags: Set<string> = new Set()): string | undefined {
  let rest = args;
  for (let guard = 0; guard < 20; guard++) {
    const op = firstOperand(rest, valueFlags);
    if (!op) return undefined;
    if (!/^\$\{?[A-Za-z_][A-Za-z0-9_]*(?:\[@\])?\}?$/.test(op.word)) return op.word;
    rest = rest.slice(op.index + 1);
  }
  return undefined;
}

const DOCKER_VALUE_FLAGS = new Set(['-H', '--host', '--config', '--context', '-c', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey', '--storage-driver', '--root', '--runroot', '--url', '--connection']);
const HELM_VALUE_FLAGS = new Set(['-n', '--namespace', '--kube-context', '--kubeconfig', '--registry-config', '--repository-config', '--repository-cache', '--kube-apiserver', '--kube-token', '--kube-as-user', '--burst-limit']);

/** One simple command (its words with quotes removed): the user-code tool it runs, or null when it treats files as data. */
function classifyWords(rawWords: string[], heredocs: string[], depth: number, functions: Set<string> = new Set()): string | null {
  if (depth > MAX_DEPTH) return 'nesting too deep to read';
  const words = commandWords(rawWords);
  const cmd = words[0];
  if (cmd === undefined || cmd === '') return null;
  const args = words.slice(1);
  if (TEKTON_INPUT.test(cmd)) return `a command taken from ${cmd}`;
  if (WORKSPACE_PATH.test(cmd)) return cmd;
  if (cmd.startsWith('./') || cmd.startsWith('../') || (cmd.includes('/') && !cmd.startsWith('/') && !cmd.startsWith('~') && !cmd.startsWith('$'))) return cmd;
  if (cmd.includes('$')) return `${cmd} (a command held in a variable)`;
  if (functions.has(cmd)) return null;
  const base = basename(cmd);
  if (cmd.includes('/kaniko/')) return `${cmd} (kaniko runs the Dockerfile's RUN lines)`;
  if (base === '.' || base === 'source') {
    const file = args[0] ?? '';
    // An absolute file outside the workspace is the image's own library (its functions still count when called).
    const imageFile = file.startsWith('/') && !/^\/(?:workspace|var\/workdir|tekton)\//.test(file);
    return imageFile || /^(?:~\/|\$HOME\/|\$\{HOME\}\/)/.test(file) ? null : `${base} ${file}`.trim();
  }
  if (base === 'eval') {
    const text = args.join(' ');
    if (TEKTON_INPUT.test(text)) return `eval ${text}`;
    const literal = text.replace(/\$\(…\)/g, '');
    if (literal.includes('$') || literal.includes('`')) return `eval ${text} (not literal)`;
    return scriptUserCode(literal, depth + 1);
  }
  if (SHELLS.has(base)) return shellInvocation(base, args, heredocs, depth);
  if (INTERPRETER.test(base)) return interpreterInvocation(base, args, heredocs);
  if (CONTAINER_CLIS.has(base)) {
    let rest = args;
    let sub = subcommand(rest, DOCKER_VALUE_FLAGS);
    if (base === 'buildah' && sub === 'unshare') return classifyWords(args.slice(args.indexOf('unshare') + 1), heredocs, depth + 1, functions);
    const path = [base];
    for (let guard = 0; guard < 3 && sub !== undefined && CONTAINER_GROUPS.has(sub); guard++) {
      path.push(sub);
      rest = rest.slice(rest.indexOf(sub) + 1);
      sub = subcommand(rest, DOCKER_VALUE_FLAGS);
    }
    if (sub === undefined || CONTAINER_DATA_SUBCOMMANDS.has(sub) || VERSION_FLAGS.has(sub)) return null;
    return [...path, sub].join(' ');
  }
  const builder = IMAGE_BUILDERS[base];
  if (builder) {
    const sub = subcommand(args, DOCKER_VALUE_FLAGS);
    return builder(sub) ? (sub ? `${base} ${sub}` : base) : null;
  }
  if (BUILD_TOOLS.has(base)) return base;
  if (base === 'go') {
    const sub = subcommand(args) ?? '';
    if (GO_USER_SUBCOMMANDS.has(sub)) return `go ${sub}`;
    return ['version', 'env', 'mod', 'list', 'fmt', 'help', 'doc', 'clean', 'work'].includes(sub) || sub === '' ? null : `go ${sub}`;
  }
  if (base === 'pip' || base === 'pip3' || /^pip3\.\d+$/.test(base)) {
    const sub = subcommand(args) ?? '';
    return ['install', 'download', 'wheel'].includes(sub) ? `${base} ${sub}` : null;
  }
  if (base === 'helm') {
    if (args.some((a) => a === '--post-renderer' || a.startsWith('--post-renderer='))) return 'helm --post-renderer';
    const sub = subcommand(args, HELM_VALUE_FLAGS);
    if (sub === undefined) return null;
    if (sub === 'plugin') return 'helm plugin';
    return HELM_BUILTINS.has(sub) ? null : `helm ${sub} (a plugin)`;
  }
  if (base === 'kustomize' || (base === 'kubectl' && args[0] === 'kustomize')) {
    return args.some((a) => /^--enable-(?:alpha-plugins|exec)\b/.test(a)) ? 'kustomize with exec plugins' : null;
  }
  if (base === 'git') {
    const sub = subcommand(args, new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']));
    if (sub === 'submodule' && args.includes('foreach')) return 'git submodule foreach';
    if (sub === 'bisect' && args.includes('run')) return 'git bisect run';
    return null;
  }
  if (base === 'find') {
    const at = args.findIndex((a) => a === '-exec' || a === '-execdir' || a === '-ok' || a === '-okdir');
    if (at < 0) return null;
    const rest = args.slice(at + 1);
    const end = rest.findIndex((a) => a === ';' || a === '+');
    return classifyWords(end < 0 ? rest : rest.slice(0, end), [], depth + 1, functions);
  }
  if (base === 'gem') {
    const sub = subcommand(args) ?? '';
    return ['push', 'list', 'query', 'search', 'info', 'env', 'help', 'sources', 'owner', 'yank', 'signin', 'signout', 'fetch', ''].includes(sub) ? null : `gem ${sub}`;
  }
  if (base === 's2i' || base === 'pack' || base === 'ko') return `${base} ${subcommand(args) ?? ''}`.trim();
  if (DATA_TOOLS.has(base) || DATA_TOOLS.has(cmd)) return null;
  return `${base} (a program we do not know)`;
}

/** The shebang's interpreter, when the script is not a POSIX-like shell script. */
function scriptLanguage(script: string): string | null {
  const first = script.trimStart().split('\n', 1)[0] ?? '';
  if (!first.startsWith('#!')) return null;
  const parts = first.slice(2).trim().split(/\s+/);
  let prog = basename(parts[0] ?? '');
  if (prog === 'env') prog = basename(parts.slice(1).find((p) => !p.startsWith('-')) ?? '');
  return SHELLS.has(prog) ? null : prog;
}

function scriptUserCode(script: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return 'nesting too deep to read';
  const language = scriptLanguage(script);
  if (language !== null) {
    // A shebang from a param (`#!$(params.SHEBANG)`): read as Python when the body imports like Python.
    const guessed = language.includes('$(') && /^\s*(?:import\s+[A-Za-z_]|from\s+[A-Za-z_][\w.]*\s+import\b)/m.test(script) ? 'python' : language;
    if (INTERPRETER.test(guessed)) return inlineCodeRunsUserCode(script, guessed) ? `a ${language} script that starts processes` : null;
    return `a ${language || 'binary'} script we do not read`;
  }
  const { commands, functions } = readShell(script);
  let fallback: string | null = null;
  for (const c of commands) {
    const tool = classifyCommand(c, depth, functions);
    if (tool === null) continue;
    if (!/\((?:a program we do not know|a command held in a variable|not literal|a module we do not know)\)|reading code from stdin/.test(tool)) return tool;
    fallback ??= tool;
  }
  return fallback;
}

function classifyCommand(c: SimpleCommand, depth: number, functions: Set<string>): string | null {
  return classifyWords(c.words, c.heredocs, depth, functions);
}

/** Whether the words of one simple command (command word first) run user code; returns the tool or null. */
export function userCodeCommand(words: string[]): string | null {
  return classifyWords(words.map((w) => w.replace(/^["']|["']$/g, '')), [], 0);
}

/** The first user-code tool a shell script invokes (a known tool before an unknown command), or null. */
export function scriptRunsUserCode(script: string): string | null {
  return scriptUserCode(script, 0);
}

/**
 * The first user-code tool a container runs, or null: its script; else its command line (a shell's `-c` code, a
 * tool); else, with no command, its image's entrypoint (given `args`). Image builders count by image whenever the
 * step has no script. A StepAction reference (`ref`) is not read here: resolve it first (`stepUserCode`).
 */
export function containerRunsUserCode(c: StepModel): string | null {
  if (c.script) return scriptRunsUserCode(c.script);
  const kind = imageKind(c.image);
  const label = c.image ? imageRepository(c.image) : 'no image';
  if (c.command.length > 0) {
    return classifyWords([...c.command, ...c.args], [], 0);
  }
  if (c.ref) return `StepAction ${c.ref.name ?? '(remote)'} (not read)`;
  if (kind === 'builder') return `${label} (an image builder's entrypoint)`;
  if (kind === 'data') return null;
  if (kind === 'plain') return c.args.length > 0 ? classifyWords(c.args, [], 0) : null;
  return `${label} (the image's entrypoint${c.args.length ? ` with args ${c.args.slice(0, 3).join(' ')}` : ''})`;
}

export type TaskUserCode =
  | { kind: 'user-code'; container: StepModel; tool: string; stepAction: K8sObject | null }
  | { kind: 'none' }
  /** Steps whose code is not in sight (a StepAction from a resolver, or one not loaded). */
  | { kind: 'unresolved'; steps: string[] };

const IMAGE_PARAM = /^\$\(\s*(?:inputs\.)?params\.([A-Za-z0-9_-]+)\s*\)$/;

/** An image given as `$(params.x)`: the literal value the pipeline task passes, else the param's default. */
function resolvedImage(image: string | null, spec: TaskSpecModel, passed: { name: string; value: string }[]): string | null {
  const m = image ? IMAGE_PARAM.exec(image.trim()) : null;
  if (!m) return image;
  const given = passed.find((p) => p.name === m[1])?.value;
  if (given !== undefined) return given.includes('$(') ? image : given;
  const d = spec.params.find((p) => p.name === m[1])?.default;
  return typeof d === 'string' && !d.includes('$(') ? d : image;
}

/**
 * Whether any step or sidecar of a task spec runs user code, StepActions (in-cluster refs) followed and images
 * given as `$(params.x)` read from the pipeline task's literal value or the param's default.
 */
export function taskRunsUserCode(spec: TaskSpecModel, cluster: ClusterModel, namespace: string, passed: { name: string; value: string }[] = []): TaskUserCode {
  const unresolved: string[] = [];
  for (const step of [...spec.steps, ...spec.sidecars]) {
    const c = step.image?.includes('$(') ? { ...step, image: resolvedImage(step.image, spec, passed) } : step;
    let container = c;
    let stepAction: K8sObject | null = null;
    if (c.role === 'step' && c.ref) {
      stepAction = c.ref.resolver === null && c.ref.name ? (cluster.stepActions.get(`${namespace}/${c.ref.name}`) ?? null) : null;
      if (!stepAction) {
        unresolved.push(`step "${c.name}" (StepAction ${c.ref.resolver ? `from the ${c.ref.resolver} resolver` : `"${c.ref.name ?? '?'}"`} not in sight)`);
        continue;
      }
      container = { ...normalizeContainer(stepAction.raw.spec, 'step', c.index, c.path), name: c.name };
    }
    const tool = containerRunsUserCode(container);
    if (tool) return { kind: 'user-code', container: step, tool, stepAction };
  }
  return unresolved.length > 0 ? { kind: 'unresolved', steps: unresolved } : { kind: 'none' };
}

/**
 * Which tasks build or push container images, and which results make their output signable by Chains
 * (SUP-007, SUP-009).
 *
 * Detection reads commands, not words: a script is split into simple shell commands (quotes, comments, heredocs,
 * line continuations and Tekton `$(…)` substitutions respected), and a command counts only when its program is a
 * build tool and its subcommand builds or pushes — `docker run`, `buildah --version`, `echo "docker push"` and a
 * `# docker push` comment do not. Everything is linear in the input and capped; nothing here can throw.
 */
import { textMemo } from '../memo';
import { parseImage } from './images';
import type { ClusterModel, Evidence, PipelineModel, PipelineTaskModel, TaskSpecModel } from '../../model/types';
import { collectContainers, containerImages, type ContainerInfo, type PipelineContainers } from '../steps/containers';
import { containerEvidence } from '../util';

export type BuildAction = 'build' | 'push';

export interface BuildSignal {
  /** `push`: the image leaves the pod for a registry; `build`: an image is built (no push seen in that command). */
  action: BuildAction;
  tool: string;
  /** The command as written (shortened), for messages and evidence. */
  command: string;
}

const MAX_SCRIPT = 200_000;
const MAX_COMMANDS = 5_000;
const MAX_WORDS = 200;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox']);
const PREFIX_WORDS = new Set(['sudo', 'exec', 'time', 'nohup', 'env', 'command', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', '}', 'eval']);
/** A Tekton variable reference (`params.x`, `results.y.path`, `params["a.b"]`, `workspaces.w.path`): not a command. */
const TEKTON_REF = /^(params|results|workspaces|context|tasks|steps|step|credentials|inputs|outputs|resources)(\.|\[)[^\s()]*$/;
/** Image transports that keep the image local (containers/image syntax). */
const LOCAL_TRANSPORTS = /^(oci|oci-archive|docker-archive|dir|containers-storage|docker-daemon|tarball):/;

// ------------------------------------------------------------------ shell splitting

/** Whether a script runs under a POSIX-ish shell (no shebang, or a shell one). */
export function isShellScript(script: string): boolean {
  if (!script.startsWith('#!')) return true;
  const first = script.slice(0, Math.min(script.length, 200)).split('\n', 1)[0];
  return /(^|[\s/])(ba|da|z|k|a)?sh(\s|$)/.test(first) || /busybox\s+sh/.test(first);
}

/**
 * Splits a shell script into simple commands (arrays of words, quotes removed). Separators: newline, `;`, `&`,
 * `|`, `(`, `)`, backquote. Comments and heredoc bodies are skipped; `$(…)` is kept inside its word.
 */
export function shellCommands(input: string, depth = 0): readonly string[][] {
  if (depth !== 0) return splitShellCommands(input, depth);
  return shellCommandsOnce(input);
}

const shellCommandsOnce = textMemo((script) => splitShellCommands(script, 0));
const scriptSignalsOnce = textMemo((script) => classifyScript(script, 0));

function splitShellCommands(input: string, depth: number): string[][] {
  const text = input.length > MAX_SCRIPT ? input.slice(0, MAX_SCRIPT) : input;
  const commands: string[][] = [];
  const nested: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let pendingHeredocs: string[] = [];
  let i = 0;
  const n = text.length;

  const endWord = () => {
    if (inWord && words.length < MAX_WORDS) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0 && commands.length < MAX_COMMANDS) commands.push(words);
    words = [];
  };
  /**
   * A `$(…)` starting at `start`: returns the index of its closing parenthesis (or the end of the text). Tekton
   * references (`$(params.x)`) and arithmetic (`$((…))`) are words; a command substitution's commands are collected.
   */
  const substitution = (start: number): number => {
    let level = 0;
    let j = start + 1;
    for (; j < n; j++) {
      const c = text[j];
      if (c === '\\') j++;
      else if (c === '(') level++;
      else if (c === ')' && --level === 0) break;
    }
    const inner = text.slice(start + 2, Math.min(j, n));
    if (depth < 3 && !inner.startsWith('(') && !TEKTON_REF.test(inner)) nested.push(...shellCommands(inner, depth + 1));
    return j;
  };
  const skipHeredocBodies = () => {
    // i points just after a newline: skip each pending heredoc's body up to its delimiter line.
    for (const delim of pendingHeredocs) {
      while (i < n) {
        const eol = text.indexOf('\n', i);
        const line = text.slice(i, eol < 0 ? n : eol);
        i = eol < 0 ? n : eol + 1;
        if (line.trim() === delim) break;
      }
    }
    pendingHeredocs = [];
  };

  while (i < n) {
    const ch = text[i];
    if (ch === '\\') {
      if (text[i + 1] === '\n') {
        i += 2;
        continue;
      }
      if (text[i + 1] === '\r' && text[i + 2] === '\n') {
        i += 3;
        continue;
      }
      word += text[i + 1] ?? '';
      inWord = true;
      i += 2;
      continue;
    }
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      word += text.slice(i + 1, end < 0 ? n : end);
      inWord = true;
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') {
        if (text[j] === '\\') {
          word += text[j + 1] ?? '';
          j += 2;
        } else if (text[j] === '$' && text[j + 1] === '(') {
          const end = substitution(j);
          word += text.slice(j, Math.min(end + 1, n));
          j = end + 1;
        } else {
          word += text[j];
          j++;
        }
      }
      inWord = true;
      i = j + 1;
      continue;
    }
    if (ch === '$' && text[i + 1] === '(') {
      const end = substitution(i);
      word += text.slice(i, Math.min(end + 1, n));
      inWord = true;
      i = end + 1;
      continue;
    }
    if (ch === '#' && !inWord) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
      continue;
    }
    if (ch === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      endWord();
      let j = i + 2;
      if (text[j] === '-') j++;
      while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
      const m = /^(['"]?)([A-Za-z0-9_.-]{1,64})\1/.exec(text.slice(j, j + 70));
      if (m) {
        pendingHeredocs.push(m[2]);
        i = j + m[0].length;
      } else i = j;
      continue;
    }
    if (ch === '\n') {
      endCommand();
      i++;
      if (pendingHeredocs.length > 0) skipHeredocBodies();
      continue;
    }
    if (ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')' || ch === '`') {
      endCommand();
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      i++;
      continue;
    }
    word += ch;
    inWord = true;
    i++;
  }
  endCommand();
  for (const c of nested) if (commands.length < MAX_COMMANDS) commands.push(c);
  return commands;
}

// ------------------------------------------------------------------ command classification

function basename(w: string): string {
  const s = w.lastIndexOf('/');
  return s >= 0 ? w.slice(s + 1) : w;
}

const isFlag = (w: string) => w.startsWith('-');

/** Non-flag words after index `from`, each with whether the word before it was a flag without `=` (maybe its value). */
function positionals(words: string[], from: number): { word: string; afterBareFlag: boolean }[] {
  const out: { word: string; afterBareFlag: boolean }[] = [];
  for (let k = from; k < words.length; k++) {
    const w = words[k];
    if (isFlag(w)) continue;
    const prev = words[k - 1] ?? '';
    out.push({ word: w, afterBareFlag: k > from && isFlag(prev) && !prev.includes('=') && prev.startsWith('--') });
  }
  return out;
}

/** The subcommand: the first positional that cannot be a flag's value or a variable holding flags. */
function subcommands(words: string[], from: number, wanted: Set<string>): { sub: string; index: number } | null {
  const pos = positionals(words, from);
  // A shell variable (`${FLAGS}`) may expand to flags, and a word after a bare `--flag` may be its value.
  for (let k = 0; k < Math.min(pos.length, 4); k++) {
    if (wanted.has(pos[k].word)) return { sub: pos[k].word, index: words.indexOf(pos[k].word, from) };
    const maybeFlag = pos[k].afterBareFlag || (pos[k].word.startsWith('$') && !pos[k].word.startsWith('$('));
    if (!maybeFlag) return null;
  }
  return null;
}

const hasFlag = (words: string[], re: RegExp) => words.some((w) => re.test(w));

function excerpt(words: string[]): string {
  const s = words.join(' ');
  return s.length > 160 ? `${s.slice(0, 160)}…` : s;
}

/** buildah/podman `push SRC [DEST]`: local when DEST uses a local transport. */
function pushDestinationIsLocal(words: string[], subIndex: number): boolean {
  const pos = positionals(words, subIndex + 1).map((p) => p.word);
  const dest = pos.length >= 2 ? pos[pos.length - 1] : null;
  return dest !== null && LOCAL_TRANSPORTS.test(dest);
}

const BUILDAH_SUBS = new Set(['bud', 'build', 'build-using-dockerfile', 'push', 'commit', 'manifest']);
const PODMAN_SUBS = new Set(['build', 'push', 'image', 'manifest', 'buildx']);
const DOCKER_SUBS = new Set(['build', 'push', 'image', 'manifest', 'buildx']);
const KO_SUBS = new Set(['build', 'publish', 'resolve', 'apply', 'create', 'run']);
const CRANE_SUBS = new Set(['push', 'copy', 'cp', 'append', 'mutate', 'rebase', 'flatten']);

/** Classifies one simple command; `image` is the container's image (for entrypoint-style kaniko steps). */
export function classifyCommand(input: string[], depth = 0): BuildSignal | null {
  let start = 0;
  while (start < input.length && (PREFIX_WORDS.has(input[start]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(input[start]))) start++;
  const words = input.slice(start);
  if (words.length === 0) return null;
  const prog = words[0];
  const tool = basename(prog);
  const command = excerpt(words);

  if (SHELLS.has(tool) && depth < 2) {
    const c = words.findIndex((w, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(w));
    if (c > 0 && words[c + 1] !== undefined) return firstSignal(scriptSignals(words[c + 1], depth + 1));
    return null;
  }

  switch (tool) {
    case 'buildah':
    case 'podman': {
      const s = subcommands(words, 1, tool === 'buildah' ? BUILDAH_SUBS : PODMAN_SUBS);
      if (!s) return null;
      let sub = s.sub;
      let subIndex = s.index;
      if (sub === 'image' || sub === 'manifest' || sub === 'buildx') {
        const s2 = subcommands(words, s.index + 1, new Set(['build', 'push']));
        if (!s2) return null;
        sub = s2.sub;
        subIndex = s2.index;
      }
      if (sub === 'push') return pushDestinationIsLocal(words, subIndex) ? { action: 'build', tool, command } : { action: 'push', tool, command };
      return { action: 'build', tool, command };
    }
    case 'docker': {
      const s = subcommands(words, 1, DOCKER_SUBS);
      if (!s) return null;
      if (s.sub === 'push') return { action: 'push', tool, command };
      if (s.sub === 'build') return { action: 'build', tool, command };
      const s2 = subcommands(words, s.index + 1, new Set(['build', 'push']));
      if (!s2) return null;
      if (s2.sub === 'push') return { action: 'push', tool, command };
      const pushes = hasFlag(words, /^--push$|^--output=type=registry|^type=registry|push=true/);
      return { action: pushes ? 'push' : 'build', tool: s.sub === 'buildx' ? 'docker buildx' : tool, command };
    }
    case 'buildctl':
    case 'buildctl-daemonless.sh': {
      const s = subcommands(words, 1, new Set(['build']));
      if (!s) return null;
      return { action: hasFlag(words, /push=true/) ? 'push' : 'build', tool: 'buildctl', command };
    }
    case 'img': {
      const s = subcommands(words, 1, new Set(['build', 'push']));
      return s ? { action: s.sub === 'push' ? 'push' : 'build', tool, command } : null;
    }
    case 'executor':
    case 'kaniko': {
      if (tool === 'executor' && !prog.includes('kaniko')) return null;
      const local = hasFlag(words, /^--no-push(=true)?$/) || (hasFlag(words, /^--tar-?[pP]ath/) && !hasFlag(words, /^(--destination|-d)(=|$)/));
      return { action: local ? 'build' : 'push', tool: 'kaniko', command };
    }
    case 'ko': {
      const s = subcommands(words, 1, KO_SUBS);
      if (!s) return null;
      const local = hasFlag(words, /^--push=false$|^--local(=true)?$|^-L$/);
      return { action: local ? 'build' : 'push', tool, command };
    }
    case 'crane':
    case 'gcrane': {
      const s = subcommands(words, 1, CRANE_SUBS);
      return s ? { action: 'push', tool, command } : null;
    }
    case 'skopeo': {
      const s = subcommands(words, 1, new Set(['copy', 'sync']));
      if (!s) return null;
      if (s.sub === 'sync') return hasFlag(words, /^--dest(=docker)?$/) || words.includes('docker') ? { action: 'push', tool, command } : null;
      const pos = positionals(words, s.index + 1).map((p) => p.word);
      const dest = pos.length >= 2 ? pos[pos.length - 1] : null;
      if (dest === null || LOCAL_TRANSPORTS.test(dest)) return null; // a pull to a local directory is no push
      return { action: 'push', tool, command };
    }
    case 'creator':
    case 'exporter': {
      if (!prog.includes('/cnb/lifecycle/') && !prog.startsWith('/lifecycle/')) return null;
      return { action: hasFlag(words, /^-daemon(=true)?$/) ? 'build' : 'push', tool: 'buildpacks lifecycle', command };
    }
    case 'pack': {
      const s = subcommands(words, 1, new Set(['build']));
      if (!s) return null;
      return { action: hasFlag(words, /^--publish$/) ? 'push' : 'build', tool: 'pack', command };
    }
    case 'jib': {
      const s = subcommands(words, 1, new Set(['build', 'jar', 'war']));
      return s ? { action: 'push', tool, command } : null;
    }
    case 'mvn':
    case 'mvnw':
    case 'gradle':
    case 'gradlew': {
      const goals = words.slice(1).filter((w) => !isFlag(w));
      if (goals.some((g) => /(^|:)jib(-maven-plugin(:[^:\s]*)?)?:build$/.test(g) || g === 'jib')) return { action: 'push', tool: 'jib', command };
      if (goals.some((g) => /(^|:)jib(-maven-plugin(:[^:\s]*)?)?:(dockerBuild|buildTar)$/.test(g) || g === 'jibDockerBuild' || g === 'jibBuildTar')) return { action: 'build', tool: 'jib', command };
      return null;
    }
    default:
      return null;
  }
}

function firstSignal(signals: readonly BuildSignal[]): BuildSignal | null {
  return signals.find((s) => s.action === 'push') ?? signals[0] ?? null;
}

/** Every build/push command of a shell script. */
export function scriptSignals(script: string, depth = 0): readonly BuildSignal[] {
  if (depth !== 0) return classifyScript(script, depth);
  return scriptSignalsOnce(script);
}

function classifyScript(script: string, depth: number): BuildSignal[] {
  if (!isShellScript(script)) return [];
  const out: BuildSignal[] = [];
  for (const words of shellCommands(script)) {
    const s = classifyCommand(words, depth);
    if (s) out.push(s);
  }
  return out;
}

/** The program an image runs when the step sets no command (only for tools whose images have one). */
function entrypointOf(image: string | null): string | null {
  if (!image || image.includes('$(')) return null;
  const p = parseImage(image);
  if (!p.valid) return null;
  const last = p.repository.split('/').pop() ?? '';
  if (p.repository.includes('kaniko') && last.startsWith('executor')) return '/kaniko/executor';
  if (last === 'ko' || last === 'crane' || last === 'gcrane' || last === 'skopeo' || last === 'jib' || last === 'jib-cli') return last === 'jib-cli' ? 'jib' : last;
  return null;
}

/** Build/push signals of one container (script, or command + args, or the image's own entrypoint + args). */
export function containerSignals(c: { image: string | null; script: string | null; command: string[]; args: string[] }, resolvedImages: string[] = []): readonly BuildSignal[] {
  if (c.script) return scriptSignals(c.script);
  const command = c.command.slice(0, MAX_WORDS);
  const args = c.args.slice(0, MAX_WORDS);
  let entry: string | null = null;
  if (command.length === 0) {
    for (const img of [c.image, ...resolvedImages.slice(0, 10)]) {
      entry = entrypointOf(img);
      if (entry) break;
    }
  }
  const argv = entry ? [entry, ...args] : [...command, ...args];
  if (argv.length === 0) return [];
  const s = classifyCommand(argv);
  return s ? [s] : [];
}

// ------------------------------------------------------------------ tasks

export interface BuildingTask {
  task: PipelineTaskModel;
  spec: TaskSpecModel;
  /** True when some container pushes; false when the task only builds locally. */
  pushes: boolean;
  signals: { container: ContainerInfo; signal: BuildSignal }[];
  /** Evidence at the first pushing (else building) container's script/command. */
  evidence: Evidence;
}

function signalEvidence(ci: ContainerInfo, signal: BuildSignal): Evidence {
  const c = ci.stepAction ? ci.stepAction.step : ci.container;
  const field = c.script ? 'script' : c.command.length > 0 ? 'command' : 'args';
  if (ci.stepAction) {
    const o = ci.stepAction.object;
    return { kind: o.kind, namespace: o.namespace, name: o.name, path: `spec.${field}`, value: signal.command, ...(o.source.file ? { file: o.source.file } : {}), ...(o.source.line ? { line: o.source.line } : {}) };
  }
  return containerEvidence(ci.spec, ci.container, field, signal.command);
}

/** The pipeline's tasks that build or push images, with the containers that do it. */
export function buildingTasks(pipeline: PipelineModel, cluster: ClusterModel, pc: PipelineContainers = collectContainers(pipeline, cluster)): BuildingTask[] {
  const byTask = new Map<PipelineTaskModel, BuildingTask>();
  for (const ci of pc.containers) {
    const c = ci.stepAction ? ci.stepAction.step : ci.container;
    const resolved = !c.script && c.command.length === 0 && ci.image?.includes('$(') ? containerImages(ci, pipeline).candidates.map((x) => x.value) : [];
    for (const signal of containerSignals({ image: ci.image, script: c.script, command: c.command, args: c.args }, resolved)) {
      let bt = byTask.get(ci.task);
      if (!bt) {
        bt = { task: ci.task, spec: ci.spec, pushes: false, signals: [], evidence: signalEvidence(ci, signal) };
        byTask.set(ci.task, bt);
      }
      if (signal.action === 'push' && !bt.pushes) {
        bt.pushes = true;
        bt.evidence = signalEvidence(ci, signal);
      }
      bt.signals.push({ container: ci, signal });
    }
  }
  return [...byTask.values()];
}

// The results Chains reads live with the model's Chains state (lib/model/chains.ts).
export { signableResults, type SignableResults } from '../../model/chains';

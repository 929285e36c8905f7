/**
 * A small POSIX-shell reader for the "runs user code" test: splits a script into its simple commands (words with
 * quotes removed), as far as that can be done without running it.
 *
 * Read: `;`, `&&`, `||`, `|`, `&`, newlines, subshells and groups, `$(…)` and backticks (their commands are listed
 * too, the word keeps a `$(…)` placeholder), `$((…))`, `${…}`, quotes and escapes, line continuations, comments,
 * redirections (the target is not a command word), here-documents (the body is kept on its command, not read as
 * commands), `case` patterns, `[[ … ]]` (its `&&`, `<` are not operators), function definitions (their names are
 * listed) and array assignments. Tekton's `$(params.x)`, `$(workspaces.w.path)`… stay literal in the word.
 * Bounded: scripts past 200,000 characters are read up to there, nesting past 20 levels is not followed.
 */

export interface SimpleCommand {
  words: string[];
  /** Here-document bodies fed to this command. */
  heredocs: string[];
}

export interface ShellReading {
  commands: SimpleCommand[];
  /** Names of the functions the script defines. */
  functions: Set<string>;
}

const MAX_CHARS = 200_000;
const MAX_DEPTH = 20;
/** Tekton substitutions, which look like command substitutions but are replaced before the shell runs. */
const TEKTON_REF = /^\s*(?:params|inputs|outputs|workspaces|results|tasks|context|steps|step|credentials|resources)\s*[.[]/;

export function readShell(script: string): ShellReading {
  const reading: ShellReading = { commands: [], functions: new Set() };
  lex(script.slice(0, MAX_CHARS), reading, 0);
  return reading;
}

/** Index just past the `)` matching the `(` at `open`, skipping quotes; src.length when unbalanced. */
function matchParen(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const j = src.indexOf("'", i + 1);
      i = j < 0 ? src.length : j;
    } else if (c === '"') {
      i = endOfDoubleQuote(src, i + 1) - 1;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return src.length;
}

/** Index just past the closing `"` of a double-quoted string whose content starts at `from`. */
function endOfDoubleQuote(src: string, from: number): number {
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '$' && src[i + 1] === '(') i = matchParen(src, i + 1) - 1;
  }
  return src.length;
}

function matchBrace(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return i + 1;
  }
  return src.length;
}

function lex(src: string, reading: ShellReading, depth: number): void {
  if (depth > MAX_DEPTH) return;
  let cur: SimpleCommand = { words: [], heredocs: [] };
  let word: string | null = null;
  let pendingHeredocs: { delim: string; target: SimpleCommand }[] = [];
  let caseDepth = 0;
  let casePattern = false;
  let inDoubleBracket = false;

  const endWord = () => {
    if (word === null) return;
    const w = word;
    word = null;
    if (casePattern) {
      if (w === 'esac' && cur.words.length === 0) {
        caseDepth = Math.max(0, caseDepth - 1);
        casePattern = false;
      }
      cur.words.push(w);
      return;
    }
    cur.words.push(w);
    if (w === '[[') inDoubleBracket = true;
    if (w === ']]') inDoubleBracket = false;
    if (cur.words[0] === 'case' && w === 'in' && cur.words.length >= 3) {
      caseDepth++;
      casePattern = true;
      endCommand();
    }
    if (cur.words.length === 1 && w === 'esac') {
      caseDepth = Math.max(0, caseDepth - 1);
      casePattern = false;
    }
  };
  const endCommand = () => {
    if (word !== null) endWord();
    if (cur.words.length > 0 || cur.heredocs.length > 0) reading.commands.push(cur);
    cur = { words: [], heredocs: [] };
    inDoubleBracket = false;
  };
  const append = (s: string) => {
    word = (word ?? '') + s;
  };
  const nested = (inner: string) => lex(inner, reading, depth + 1);
  // `word` changes inside the helpers above, which the compiler's narrowing does not see
  const currentWord = (): string | null => word;

  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (casePattern && c === ')') {
      // the words so far were a case pattern, not a command
      word = null;
      cur = { words: [], heredocs: [] };
      casePattern = false;
      i++;
      continue;
    }
    if (casePattern && (c === '|' || (c === '(' && word === null && cur.words.length === 0))) {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && word === null) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '\n') {
      endCommand();
      i++;
      if (pendingHeredocs.length > 0) i = readHeredocBodies(src, i, pendingHeredocs);
      pendingHeredocs = [];
      continue;
    }
    if (c === '\\') {
      if (src[i + 1] === '\n') i += 2;
      else {
        append(src[i + 1] ?? '');
        i += 2;
      }
      continue;
    }
    if (c === "'") {
      const j = src.indexOf("'", i + 1);
      const end = j < 0 ? src.length : j;
      append(src.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (c === '"') {
      const end = endOfDoubleQuote(src, i + 1);
      append(readDoubleQuoted(src.slice(i + 1, Math.max(i + 1, end - 1)), nested));
      i = end;
      continue;
    }
    if (c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== '`') j += src[j] === '\\' ? 2 : 1;
      nested(src.slice(i + 1, j));
      append('$(…)');
      i = j + 1;
      continue;
    }
    if (c === '$' && src[i + 1] === '(') {
      if (src[i + 2] === '(') {
        const end = matchParen(src, i + 1);
        append('0');
        i = end;
        continue;
      }
      const end = matchParen(src, i + 1);
      const inner = src.slice(i + 2, end - 1);
      if (TEKTON_REF.test(inner)) append(`$(${inner})`);
      else {
        nested(inner);
        append('$(…)');
      }
      i = end;
      continue;
    }
    if (c === '$' && src[i + 1] === '{') {
      const end = matchBrace(src, i + 1);
      append(src.slice(i, end));
      i = end;
      continue;
    }
    if (inDoubleBracket && '<>()&|'.includes(c)) {
      append(c);
      i++;
      continue;
    }
    if (c === '<' && src[i + 1] === '<' && src[i + 2] !== '<') {
      endWord();
      let j = i + 2;
      if (src[j] === '-') j++;
      while (src[j] === ' ' || src[j] === '\t') j++;
      const m = /^(["']?)\\?([A-Za-z0-9_.-]+)\1/.exec(src.slice(j, j + 100));
      if (m) {
        pendingHeredocs.push({ delim: m[2], target: cur });
        j += m[0].length;
      }
      i = j;
      continue;
    }
    if ((c === '<' || c === '>') && src[i + 1] === '(') {
      // process substitution: its commands run
      endWord();
      const end = matchParen(src, i + 1);
      nested(src.slice(i + 2, end - 1));
      cur.words.push('$(…)');
      i = end;
      continue;
    }
    if (c === '<' || c === '>' || (c === '&' && src[i + 1] === '>')) {
      // a redirection: drop an fd number before it, skip the operator and its target
      const fd = currentWord();
      if (fd !== null && /^\d+$/.test(fd)) word = null;
      endWord();
      let j = i + 1;
      while (j < src.length && '<>&|'.includes(src[j])) j++;
      if (src[j - 1] === '&' && /[0-9-]/.test(src[j] ?? '')) {
        i = j + 1;
        continue;
      }
      while (src[j] === ' ' || src[j] === '\t') j++;
      i = skipWord(src, j, nested);
      continue;
    }
    if (c === '|' || c === '&' || c === ';') {
      endCommand();
      let j = i + 1;
      while (j < src.length && (src[j] === c || (c === ';' && src[j] === '&'))) j++;
      if (c === ';' && j - i >= 2 && caseDepth > 0) casePattern = true;
      i = j;
      continue;
    }
    if (c === '(') {
      const before = currentWord();
      if (before !== null && before.endsWith('=')) {
        const end = matchParen(src, i);
        append(src.slice(i, end));
        i = end;
        continue;
      }
      if (currentWord() === 'for') endWord();
      if (src[i + 1] === '(' && word === null && (cur.words.length === 0 || cur.words[cur.words.length - 1] === 'for')) {
        i = matchParen(src, i); // (( arithmetic ))
        continue;
      }
      endWord();
      const close = /^\(\s*\)/.exec(src.slice(i, i + 20));
      if (close && cur.words.length === 1) {
        reading.functions.add(cur.words[0]);
        cur = { words: [], heredocs: [] };
        i += close[0].length;
        continue;
      }
      if (close && cur.words.length === 2 && cur.words[0] === 'function') {
        reading.functions.add(cur.words[1]);
        cur = { words: [], heredocs: [] };
        i += close[0].length;
        continue;
      }
      endCommand();
      i++;
      continue;
    }
    if (c === ')') {
      endCommand();
      i++;
      continue;
    }
    append(c);
    i++;
  }
  endCommand();
  for (const cmd of reading.commands) {
    if (cmd.words[0] === 'function' && cmd.words[1]) reading.functions.add(cmd.words[1].replace(/\(\)$/, ''));
  }
}

/** Reads the body of each pending here-document from `from`; returns the index after the last one. */
function readHeredocBodies(src: string, from: number, pending: { delim: string; target: SimpleCommand }[]): number {
  let i = from;
  for (const { delim, target } of pending) {
    const lines: string[] = [];
    while (i < src.length) {
      const nl = src.indexOf('\n', i);
      const end = nl < 0 ? src.length : nl;
      const line = src.slice(i, end);
      i = end + 1;
      if (line.trim() === delim) break;
      lines.push(line);
    }
    target.heredocs.push(lines.join('\n'));
  }
  return i;
}

/** The text of a double-quoted string, its command substitutions read as commands. */
function readDoubleQuoted(s: string, nested: (inner: string) => void): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      out += s[i + 1] ?? '';
      i++;
    } else if (c === '$' && s[i + 1] === '(') {
      const end = matchParen(s, i + 1);
      const inner = s.slice(i + 2, end - 1);
      if (s[i + 2] === '(') out += '0';
      else if (TEKTON_REF.test(inner)) out += `$(${inner})`;
      else {
        nested(inner);
        out += '$(…)';
      }
      i = end - 1;
    } else if (c === '`') {
      let j = i + 1;
      while (j < s.length && s[j] !== '`') j += s[j] === '\\' ? 2 : 1;
      nested(s.slice(i + 1, j));
      out += '$(…)';
      i = j;
    } else out += c;
  }
  return out;
}

/** Index past one shell word starting at `from` (a redirection target), reading command substitutions in it. */
function skipWord(src: string, from: number, nested: (inner: string) => void): number {
  let i = from;
  while (i < src.length && !' \t\r\n;&|<>()'.includes(src[i])) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === "'") {
      const j = src.indexOf("'", i + 1);
      i = j < 0 ? src.length : j + 1;
    } else if (c === '"') {
      const end = endOfDoubleQuote(src, i + 1);
      readDoubleQuoted(src.slice(i + 1, Math.max(i + 1, end - 1)), nested);
      i = end;
    } else if (c === '$' && src[i + 1] === '(') {
      const end = matchParen(src, i + 1);
      const inner = src.slice(i + 2, end - 1);
      if (!TEKTON_REF.test(inner) && src[i + 2] !== '(') nested(inner);
      i = end;
    } else if (c === '$' && src[i + 1] === '{') i = matchBrace(src, i + 1);
    else i++;
  }
  return i;
}

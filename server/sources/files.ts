import 'server-only';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadYamlText, mergeLoadResults, type LoadResult } from '../../lib/model/load';

const MANIFEST = /\.(ya?ml|json)$/i;
/** Files above this size are reported and skipped rather than parsed (a dump this large is not a manifest). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

function listFiles(path: string): string[] {
  const st = statSync(path);
  if (st.isFile()) return [path];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      // Hidden entries are skipped, except `.tekton/`: where Pipelines-as-Code repositories keep their PipelineRuns.
      if ((entry.name.startsWith('.') && !(entry.name === '.tekton' && entry.isDirectory())) || entry.name === 'node_modules') continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && MANIFEST.test(entry.name)) out.push(p);
    }
  };
  walk(path);
  return out;
}

/**
 * The `files` source: a file, a directory (recursively: .yaml, .yml, .json) or `-` for stdin. A document that
 * fails to parse is reported with its file and line and skipped; the rest is still loaded.
 */
export function loadFromPaths(paths: string[], base = process.cwd()): LoadResult & { files: number } {
  const results: LoadResult[] = [];
  let files = 0;
  for (const path of paths) {
    if (path === '-') {
      results.push(loadYamlText(readFileSync(0, 'utf8'), '<stdin>'));
      files++;
      continue;
    }
    let list: string[];
    try {
      list = listFiles(path);
    } catch (e) {
      results.push({ objects: [], ignored: 0, issues: [{ file: path, message: `cannot read: ${(e as Error).message}` }] });
      continue;
    }
    for (const file of list) {
      const name = relative(base, file) || file;
      files++;
      try {
        if (statSync(file).size > MAX_FILE_BYTES) {
          results.push({ objects: [], ignored: 0, issues: [{ file: name, message: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB: skipped` }] });
          continue;
        }
        results.push(loadYamlText(readFileSync(file, 'utf8'), name));
      } catch (e) {
        results.push({ objects: [], ignored: 0, issues: [{ file: name, message: `cannot read: ${(e as Error).message}` }] });
      }
    }
  }
  return { ...mergeLoadResults(results), files };
}

import 'server-only';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { loadYamlText, mergeLoadResults, type LoadResult } from '../../lib/model/load';

const MANIFEST = /\.(ya?ml|json)$/i;
/** Files above this size are reported and skipped rather than parsed (a dump this large is not a manifest). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** The manifest files the source reads under `path` (exported so the engine benchmark's floor reads exactly these). */
export function listFiles(path: string): string[] {
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
 * fails to parse is reported with its file and line and skipped; the rest is still loaded. Each object keeps its
 * path relative to the scanned directory (`source.relPath`): file-born subjects' ids derive from it, so they do
 * not change with the working directory or with other files. Documents of kinds the engine does not read are
 * counted in one load issue (nothing found is silently left out).
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
    const root = list.length === 1 && list[0] === path ? dirname(path) : path;
    for (const file of list) {
      const name = relative(base, file) || file;
      // Several roots scanned at once: their names keep same-shaped trees apart.
      const rel = relative(root, file).split('\\').join('/') || file;
      const relPath = paths.length > 1 ? `${basename(root)}/${rel}` : rel;
      files++;
      try {
        if (statSync(file).size > MAX_FILE_BYTES) {
          results.push({ objects: [], ignored: 0, issues: [{ file: name, message: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB: skipped` }] });
          continue;
        }
        const loaded = loadYamlText(readFileSync(file, 'utf8'), name);
        for (const o of loaded.objects) o.source = { ...o.source, relPath };
        results.push(loaded);
      } catch (e) {
        results.push({ objects: [], ignored: 0, issues: [{ file: name, message: `cannot read: ${(e as Error).message}` }] });
      }
    }
  }
  const merged = mergeLoadResults(results);
  if (merged.ignored > 0) {
    merged.issues.push({ message: `${merged.ignored} document${merged.ignored === 1 ? '' : 's'} of kinds the engine does not read (Deployments, CRDs, other ConfigMaps…) counted, not scored.` });
  }
  return { ...merged, files };
}

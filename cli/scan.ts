/**
 * The `tekton-posture` command (`npm run scan -- …` in a checkout; the packaged bin: scripts/build-cli.mjs).
 *
 *   tekton-posture [scan] (-f PATH... | --demo | --live [--kubeconfig F] [--context C] [-n NS]...)
 *                  [--policy FILE] [-o FORMAT] [--output-file FILE] [--fail-under N] [--allow-empty]
 *
 * Habits as kubectl has them: `-o/--output` is the output FORMAT (never a file name), `-f/--filename` is
 * repeatable (`-` reads stdin), `-n/--namespace` is repeatable and takes comma-separated lists, `KUBECONFIG` and
 * `--context` choose the cluster. Exit codes: 0 ok, 2 score under --fail-under, 1 error (with a message on stderr).
 * A path that does not exist is an error, and so are files holding no Tekton object (a typo in a CI path must not
 * pass as a clean scan) unless --allow-empty is given.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CHECKS } from '../lib/checks/registry';
import { scan } from '../lib/engine/scan';
import { kindInfo } from '../lib/kinds';
import type { K8sObject } from '../lib/model/types';
import { defaultPolicy } from '../lib/policy/defaults';
import { parsePolicy } from '../lib/policy/parse';
import type { Policy } from '../lib/policy/types';
import { FORMATS, renderReport, type Format } from '../lib/report/render';
import type { Report } from '../lib/report/types';
import { VERSION } from '../lib/version';
import { demoPolicyText, demoReportTime, loadDemo } from '../server/sources/demo';
import { loadFromPaths } from '../server/sources/files';
import { checkKubeconfig } from './kubeconfig';

class UsageError extends Error {}

const USAGE = `usage: tekton-posture [scan] (-f PATH... | --demo | --live [--kubeconfig FILE] [--context NAME] [-n NAMESPACE]...)
                      [--policy FILE] [-o ${FORMATS.join('|')}] [--output-file FILE] [--fail-under N] [--allow-empty] [--sarif-root DIR]

Scores Tekton pipelines against the Tekton Posture hardening checklist.

sources (exactly one):
  -f, --filename PATH   YAML/JSON file or directory (repeatable; - reads stdin; --files and bare paths work too)
      --demo            the built-in demo cluster
      --live            the cluster of KUBECONFIG / --kubeconfig (or the in-cluster account), read-only
      --context NAME    kubeconfig context for --live
  -n, --namespace NS    only these namespaces (repeatable, or comma-separated)

output:
  -o, --output FORMAT   ${FORMATS.join(', ')} (default table; --format is the same)
      --output-file F   write the report to F instead of stdout
      --policy FILE     policy config (trusted registries, teams, waivers, overrides)
      --fail-under N    exit 2 when the cluster score is under N (0-100)
      --allow-empty     do not fail when the files hold no Tekton object
      --sarif-root DIR  SARIF file URIs relative to DIR (the repository root; default: the working directory)
  -h, --help            this text
      --version         the version

exit codes: 0 ok, 2 score under --fail-under, 1 error`;

const isTektonObject = (o: K8sObject) => kindInfo(o.kind)?.group.endsWith('tekton.dev') === true;

function parseCommandLine(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      filename: { type: 'string', short: 'f', multiple: true },
      files: { type: 'string', multiple: true },
      demo: { type: 'boolean' },
      live: { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      namespace: { type: 'string', short: 'n', multiple: true },
      namespaces: { type: 'string', multiple: true },
      policy: { type: 'string' },
      output: { type: 'string', short: 'o' },
      format: { type: 'string' },
      'output-file': { type: 'string' },
      'fail-under': { type: 'string' },
      'allow-empty': { type: 'boolean' },
      'sarif-root': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
  // `scan` is the command word (`docker run <image> scan …`, `tekton-posture scan …`).
  const paths = positionals[0] === 'scan' ? positionals.slice(1) : positionals;
  return { values, files: [...(values.filename ?? []), ...(values.files ?? []), ...paths] };
}

function outputFormat(output: string | undefined, format: string | undefined): Format {
  if (output !== undefined && format !== undefined && output !== format) throw new UsageError(`-o ${output} and --format ${format} disagree: give one`);
  const f = output ?? format ?? 'table';
  if (!FORMATS.includes(f as Format)) {
    throw new UsageError(`-o/--output takes a format (${FORMATS.join(', ')}), not "${f}"; to write the report to a file use --output-file FILE`);
  }
  return f as Format;
}

async function main(argv: string[]): Promise<number> {
  const { values, files } = parseCommandLine(argv);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`tekton-posture ${VERSION}\n`);
    return 0;
  }
  const sources = [files.length > 0, values.demo === true, values.live === true].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('choose exactly one source: -f PATH, --demo or --live');
  const format = outputFormat(values.output, values.format);
  const namespaces = [...(values.namespace ?? []), ...(values.namespaces ?? [])].flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean);
  if (!values.live && (namespaces.length > 0 || values.context || values.kubeconfig)) throw new UsageError('-n, --context and --kubeconfig go with --live');
  let failUnder: number | null = null;
  if (values['fail-under'] !== undefined) {
    failUnder = Number(values['fail-under']);
    if (!Number.isFinite(failUnder) || failUnder < 0 || failUnder > 100) throw new UsageError('--fail-under must be a number from 0 to 100');
  }
  const missing = files.filter((f) => f !== '-' && !existsSync(f));
  if (missing.length > 0) throw new Error(`no such file or directory: ${missing.join(', ')}`);
  const demoPolicy = values.demo ? demoPolicyText() : null;
  const policy: Policy = values.policy
    ? parsePolicy(readFileSync(values.policy, 'utf8'), values.policy)
    : demoPolicy
      ? parsePolicy(demoPolicy, 'lib/demo/policy.yaml')
      : defaultPolicy();

  let report: Report;
  if (values.live) {
    checkKubeconfig({ kubeconfig: values.kubeconfig, context: values.context, env: process.env });
    const { scanLiveOnce } = await import('../server/live/scan-once');
    report = await scanLiveOnce({ kubeconfig: values.kubeconfig, context: values.context, namespaces: namespaces.length > 0 ? namespaces : undefined, policy });
  } else {
    const loaded = values.demo ? loadDemo() : loadFromPaths(files);
    for (const issue of loaded.issues) process.stderr.write(`warning: ${issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ''}: ` : ''}${issue.message}\n`);
    if (!values.demo && !values['allow-empty'] && !loaded.objects.some(isTektonObject)) {
      throw new Error(`no Tekton object (Pipeline, Task, PipelineRun, TaskRun, Trigger…) found in ${files.join(', ')}; pass --allow-empty to score it anyway`);
    }
    report = scan({
      objects: loaded.objects,
      policy,
      now: values.demo ? demoReportTime(policy) : undefined,
      loadIssues: loaded.issues,
      source: values.demo ? { kind: 'demo', detail: 'built-in demo cluster' } : { kind: 'files', detail: files.join(', ') },
    }).report;
  }
  const sarifRoot = values['sarif-root'] ? resolve(values['sarif-root']) : null;
  const text = renderReport(report, format, CHECKS, {
    sarif: {
      severityOverrides: policy.severityOverrides,
      // Evidence files are relative to the working directory; SARIF URIs to the repository root when it differs.
      ...(sarifRoot ? { uriOf: (file: string) => relative(sarifRoot, resolve(file)) } : {}),
    },
  });
  if (values['output-file']) writeFileSync(values['output-file'], text);
  else process.stdout.write(text);
  if (failUnder !== null) {
    const score = report.summary.score;
    if (score === null || score < failUnder) {
      process.stderr.write(`score ${score ?? 'n/a'} is under --fail-under ${failUnder}\n`);
      return 2;
    }
  }
  return 0;
}

// Exit only once stdout has drained: a piped report over 64 KB would otherwise be cut short.
const exitAfterFlush = (code: number) => process.stdout.write('', () => process.exit(code));

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`error: ${msg}\n${e instanceof UsageError ? `${USAGE}\n` : ''}`);
    exitAfterFlush(1);
  },
);

/**
 * `npm run scan -- --files PATH | --demo | --live [--kubeconfig F] [--context C] [--namespaces a,b]
 *                  [--policy FILE] [--format json|table|sarif|csv|junit] [--output FILE] [--fail-under N] [--allow-empty]`
 * Exit codes: 0 ok, 2 score under --fail-under, 1 error (with a message on stderr). A path that does not exist is
 * an error, and so are files holding no Tekton object (a typo in a CI path must not pass as a clean scan) unless
 * --allow-empty is given.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
import { demoPolicyText, demoReportTime, loadDemo } from '../server/sources/demo';
import { loadFromPaths } from '../server/sources/files';

class UsageError extends Error {}

const USAGE = `usage: npm run scan -- (--files PATH... | --demo | --live [--kubeconfig F] [--context C] [--namespaces a,b])
                     [--policy FILE] [--format ${FORMATS.join('|')}] [--output FILE] [--fail-under N] [--allow-empty]`;

const isTektonObject = (o: K8sObject) => kindInfo(o.kind)?.group.endsWith('tekton.dev') === true;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      files: { type: 'string', multiple: true },
      demo: { type: 'boolean' },
      live: { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      namespaces: { type: 'string' },
      policy: { type: 'string' },
      format: { type: 'string', default: 'table' },
      output: { type: 'string', short: 'o' },
      'fail-under': { type: 'string' },
      'allow-empty': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const files = [...(values.files ?? []), ...positionals];
  const sources = [files.length > 0, values.demo === true, values.live === true].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('choose exactly one source: --files PATH, --demo or --live');
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
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
    const { scanLiveOnce } = await import('../server/live/scan-once');
    report = await scanLiveOnce({ kubeconfig: values.kubeconfig, context: values.context, namespaces: values.namespaces?.split(',').filter(Boolean), policy });
  } else {
    const loaded = values.demo ? loadDemo() : loadFromPaths(files);
    for (const issue of loaded.issues) process.stderr.write(`warning: ${issue.file ?? ''}${issue.line ? `:${issue.line}` : ''}: ${issue.message}\n`);
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
  const text = renderReport(report, format, CHECKS);
  if (values.output) writeFileSync(values.output, text);
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

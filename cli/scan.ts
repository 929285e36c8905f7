/**
 * `npm run scan -- --files PATH | --demo | --live [--kubeconfig F] [--context C] [--namespaces a,b]
 *                  [--policy FILE] [--format json|table|sarif|csv|junit] [--output FILE] [--fail-under N]`
 * Exit codes: 0 ok, 2 score under --fail-under, 1 error (with a message on stderr).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CHECKS } from '../lib/checks/registry';
import { scan } from '../lib/engine/scan';
import { defaultPolicy } from '../lib/policy/defaults';
import { parsePolicy } from '../lib/policy/parse';
import type { Policy } from '../lib/policy/types';
import { FORMATS, renderReport, type Format } from '../lib/report/render';
import type { Report } from '../lib/report/types';
import { demoPolicyText, loadDemo } from '../server/sources/demo';
import { loadFromPaths } from '../server/sources/files';

class UsageError extends Error {}

const USAGE = `usage: npm run scan -- (--files PATH... | --demo | --live [--kubeconfig F] [--context C] [--namespaces a,b])
                     [--policy FILE] [--format ${FORMATS.join('|')}] [--output FILE] [--fail-under N]`;

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
    report = scan({
      objects: loaded.objects,
      policy,
      loadIssues: loaded.issues,
      source: values.demo ? { kind: 'demo', detail: 'built-in demo cluster' } : { kind: 'files', detail: files.join(', ') },
    }).report;
    for (const issue of loaded.issues) process.stderr.write(`warning: ${issue.file ? `${issue.file}${issue.line ? `:${issue.line}` : ''}: ` : ''}${issue.message}\n`);
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

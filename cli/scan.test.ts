import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../lib/report/formats/csv';
import { DEMO_SNAPSHOT_TIME } from '../lib/demo/clock';

/**
 * The scan CLI as CI runs it: a subprocess (`tsx --conditions=react-server cli/scan.ts`, as `npm run scan`), its exit
 * code, stdout and stderr. Every invocation runs once in beforeAll, two at a time, and the tests read the results.
 */
const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const HOSTILE = join(ROOT, 'testdata', 'hostile', 'hostile.yaml');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(TSX, ['--conditions=react-server', 'cli/scan.ts', ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Well-formed XML: one root, every tag closed in order, quoted attributes, no raw `<` or stray `&` in text. */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let roots = 0;
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\/([A-Za-z_][\w.-]*)\s*>|<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  const badEntity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  for (const m of body.matchAll(token)) {
    const [, close, open, attrs, selfClose, text, stray] = m;
    if (stray) problems.push(`raw "<" at ${m.index}: ${body.slice(m.index, m.index + 60)}`);
    else if (close) {
      const top = stack.pop();
      if (top !== close) problems.push(`</${close}> closes <${top}>`);
    } else if (open) {
      if (stack.length === 0) roots++;
      if (attrs && badEntity.test(attrs)) problems.push(`bad entity in attributes of <${open}>`);
      if (!selfClose) stack.push(open);
    } else if (text) {
      if (badEntity.test(text)) problems.push(`bad entity in text: ${text.slice(0, 60)}`);
      if (stack.length === 0 && text.trim()) problems.push(`text outside the root: ${text.slice(0, 60)}`);
    }
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

const FORMATS = ['table', 'json', 'sarif', 'csv', 'junit', 'codequality'] as const;
const runs = new Map<string, Run>();
let tmp = '';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'posture-cli-'));
  writeFileSync(join(tmp, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app, namespace: web }\ndata: { a: b }\n');
  writeFileSync(join(tmp, 'bad-policy.yaml'), 'recentRuns: 0\n');
  const jobs: [string, string[]][] = [
    ...FORMATS.map((f): [string, string[]] => [f, ['--files', HOSTILE, '--format', f]]),
    ['demo-under', ['--demo', '--format', 'json', '--fail-under', '100']],
    ['demo-over', ['--demo', '--format', 'csv', '--fail-under', '10']],
    ['missing', ['--files', join(tmp, 'does-not-exist.yaml')]],
    ['missing-among', ['--files', HOSTILE, join(tmp, 'nope')]],
    ['empty', ['--files', join(tmp, 'cm.yaml')]],
    ['allow-empty', ['--files', join(tmp, 'cm.yaml'), '--allow-empty', '--format', 'json']],
    ['bad-format', ['--demo', '--format', 'xml']],
    ['bad-policy', ['--demo', '--policy', join(tmp, 'bad-policy.yaml')]],
    ['two-sources', ['--demo', '--files', HOSTILE]],
    ['o-json', ['scan', '-f', HOSTILE, '-f', join(ROOT, 'deploy', 'tekton'), '-o', 'json']],
    ['o-file', ['--demo', '-o', 'report.json']],
    ['output-file', ['--demo', '-o', 'sarif', '--output-file', join(tmp, 'out.sarif')]],
    ['version', ['--version']],
    ['help', ['--help']],
    ['ns-without-live', ['--demo', '-n', 'ci']],
    ['bad-context', ['--live', '--kubeconfig', join(tmp, 'kubeconfig'), '--context', 'staging']],
    ['no-kubeconfig', ['--live', '--kubeconfig', join(tmp, 'no-such-kubeconfig')]],
  ];
  writeFileSync(join(tmp, 'kubeconfig'), 'apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n  - {name: dev}\n');
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) runs.set(job[0], await cli(job[1]));
  };
  await Promise.all([worker(), worker()]);
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const result = (name: string): Run => {
  const r = runs.get(name);
  if (!r) throw new Error(`no run ${name}`);
  return r;
};

describe('scan CLI formats (hostile input)', () => {
  it('every format exits 0 with output', () => {
    for (const f of FORMATS) {
      expect(result(f).code, `${f}: ${result(f).stderr}`).toBe(0);
      expect(result(f).stdout.length, f).toBeGreaterThan(100);
    }
  });

  it('table names the pipelines', () => {
    expect(result('table').stdout).toMatch(/PIPELINE\s+TEAM\s+GRADE\s+SCORE/);
  });

  it('json parses as a schemaVersion 1 report', () => {
    const r = JSON.parse(result('json').stdout);
    expect(r.schemaVersion).toBe(1);
    expect(r.pipelines.length).toBeGreaterThan(0);
    expect(Array.isArray(r.platform.findings)).toBe(true);
  });

  it('sarif parses as SARIF 2.1.0 with results', () => {
    const s = JSON.parse(result('sarif').stdout);
    expect(s.version).toBe('2.1.0');
    expect(s.runs[0].tool.driver.rules.length).toBeGreaterThan(0);
    expect(s.runs[0].results.length).toBeGreaterThan(0);
  });

  it('csv has the documented header and one row per finding', () => {
    const text = result('csv').stdout;
    expect(text.split('\n')[0]).toBe(CSV_COLUMNS.join(','));
    const json = JSON.parse(result('json').stdout);
    const findings = json.pipelines.reduce((n: number, p: { findings: unknown[] }) => n + p.findings.length, 0) + json.platform.findings.length;
    // quoted fields may hold newlines: count records by an even number of quotes
    let records = 0;
    let open = false;
    for (const line of text.split('\n').slice(1)) {
      if (!open && line === '') continue;
      if (!open) records++;
      if (((line.match(/"/g) ?? []).length % 2) === 1) open = !open;
    }
    expect(open).toBe(false);
    expect(records).toBe(findings);
  });

  it('junit is well-formed XML', () => {
    const xml = result('junit').stdout;
    expect(xml).toMatch(/<testsuites[\s>]/);
    expect(xmlProblems(xml)).toEqual([]);
  });

  it('the XML check itself catches broken XML', () => {
    expect(xmlProblems('<a><b></a>')).not.toEqual([]);
    expect(xmlProblems('<a x="1 & 2"></a>')).not.toEqual([]);
    expect(xmlProblems('<a>1 < 2</a>')).not.toEqual([]);
    expect(xmlProblems('<a/><b/>')).not.toEqual([]);
    expect(xmlProblems('<a x="&lt;&amp;">&#39;ok&#x27;</a>')).toEqual([]);
  });
});

describe('scan CLI exit codes', () => {
  it('2 when the score is under --fail-under, with the report still written', () => {
    const r = result('demo-under');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/under --fail-under 100/);
    const report = JSON.parse(r.stdout);
    expect(report.summary.score).toBeLessThan(100);
    expect(report.generatedAt).toBe(DEMO_SNAPSHOT_TIME);
  });

  it('0 when the score is at or over --fail-under', () => {
    expect(result('demo-over').code).toBe(0);
  });

  it('1 for a path that does not exist, naming it', () => {
    for (const name of ['missing', 'missing-among']) {
      const r = result(name);
      expect(r.code, name).toBe(1);
      expect(r.stdout, name).toBe('');
    }
    expect(result('missing').stderr).toContain(join(tmp, 'does-not-exist.yaml'));
    expect(result('missing-among').stderr).toContain(join(tmp, 'nope'));
  });

  it('1 when the files hold no Tekton object, unless --allow-empty', () => {
    expect(result('empty').code).toBe(1);
    expect(result('empty').stderr).toMatch(/no Tekton object/);
    expect(result('empty').stderr).toContain('--allow-empty');
    const allowed = result('allow-empty');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout).pipelines).toEqual([]);
  });

  it('1 for usage errors and an invalid policy, saying what is wrong', () => {
    expect(result('bad-format').code).toBe(1);
    expect(result('bad-format').stderr).toMatch(/-o\/--output takes a format \(.*sarif.*\), not "xml"/);
    expect(result('bad-policy').code).toBe(1);
    expect(result('bad-policy').stderr).toContain('recentRuns');
    expect(result('two-sources').code).toBe(1);
    expect(result('two-sources').stderr).toMatch(/exactly one source/);
  });
});

describe('scan CLI habits (kubectl-like)', () => {
  it('-o is the output format, -f is repeatable, and the command word `scan` is accepted', () => {
    const r = result('o-json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.source.detail).toContain('deploy/tekton');
    expect(report.pipelines.some((p: { namespace: string }) => p.namespace === 'hostile')).toBe(true);
  });

  it('-o never writes a file named after its value: an unknown format is an error that points to --output-file', () => {
    expect(result('o-file').code).toBe(1);
    expect(result('o-file').stderr).toContain('use --output-file FILE');
    expect(result('output-file').code).toBe(0);
    expect(result('output-file').stdout).toBe('');
  });

  it('--version and --help', () => {
    expect(result('version').stdout).toMatch(/^tekton-posture \d+\.\d+\.\d+\n$/);
    expect(result('help').stdout).toContain('-o, --output FORMAT');
    expect(result('help').code).toBe(0);
  });

  it('live-only flags need --live; a bad context or a missing kubeconfig says so', () => {
    expect(result('ns-without-live').stderr).toMatch(/go with --live/);
    expect(result('bad-context').code).toBe(1);
    expect(result('bad-context').stderr).toMatch(/context "staging" is not in .*kubeconfig \(its contexts: dev\)/);
    expect(result('no-kubeconfig').code).toBe(1);
    expect(result('no-kubeconfig').stderr).toMatch(/no-such-kubeconfig \(--kubeconfig\) does not exist/);
  });
});

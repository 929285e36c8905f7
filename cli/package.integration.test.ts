/**
 * The packaged command as a user gets it: scripts/build-cli.mjs bundles and packs it, the tarball is installed into
 * an empty project with production dependencies only (it has none: everything is in the bundle), and the installed
 * `tekton-posture` binary runs with plain node — no tsx, no dev dependencies, no checkout beside it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
let work = '';
let bin = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tekton-posture-cli-'));
  const tarball = execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--pack', join(work, 'pkg')], { encoding: 'utf8' }).trim();
  const project = join(work, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}\n');
  execFileSync('npm', ['install', '--omit=dev', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: project, stdio: 'inherit' });
  bin = join(project, 'node_modules', '.bin', 'tekton-posture');
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (args: string[], cwd = tmpdir()) => spawnSync(bin, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: work, NODE_ENV: 'production' } });

describe('the installed tekton-posture command', () => {
  it('scans the demo it ships, from any directory', () => {
    const r = run(['--demo', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.pipelines.length).toBeGreaterThan(5);
  });

  it('scans files and writes SARIF; --fail-under gives exit 2', () => {
    const sarif = run(['--files', join(root, 'deploy', 'tekton'), '--format', 'sarif']);
    expect(sarif.status).toBe(0);
    expect(JSON.parse(sarif.stdout).version).toBe('2.1.0');
    expect(run(['--files', join(root, 'testdata', 'hostile'), '--fail-under', '100']).status).toBe(2);
  });

  it('reports a bad kubeconfig as an error (exit 1), not a crash', () => {
    const r = spawnSync(bin, ['--live'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: work, NODE_ENV: 'production', KUBECONFIG: join(work, 'missing.kubeconfig') } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: /);
  });
});

/**
 * The GitHub Action as a runner would execute it: action.yml's scan step (scripts/action/scan.sh) with the env GitHub
 * sets, on a throwaway repository with a `.tekton/` directory, against the packaged CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
let work = '';
let bin = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tekton-posture-action-'));
  const pkg = execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), join(work, 'cli')], { encoding: 'utf8' }).trim();
  bin = join(pkg, 'dist', 'tekton-posture.mjs');
  mkdirSync(join(work, 'repo', '.tekton'), { recursive: true });
  cpSync(join(root, 'testdata', 'hostile', 'hostile.yaml'), join(work, 'repo', '.tekton', 'pipeline.yaml'));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runAction(inputs: Record<string, string>) {
  const output = join(work, `output-${Object.keys(inputs).join('-')}`);
  writeFileSync(output, '');
  const r = spawnSync('bash', [join(root, 'scripts', 'action', 'scan.sh')], {
    cwd: join(work, 'repo'),
    encoding: 'utf8',
    env: { ...process.env, TEKTON_POSTURE_BIN: bin, GITHUB_WORKSPACE: join(work, 'repo'), GITHUB_ACTION_PATH: root, GITHUB_OUTPUT: output, ...inputs },
  });
  return { ...r, outputs: readFileSync(output, 'utf8') };
}

describe('action.yml', () => {
  it('runs scripts/action/scan.sh with every input it declares', () => {
    const action = yaml.load(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; runs: { using: string; steps: { run?: string; env?: Record<string, string> }[] } };
    expect(action.runs.using).toBe('composite');
    const step = action.runs.steps[0];
    expect(step.run).toContain('scripts/action/scan.sh');
    for (const name of ['path', 'fail-under', 'policy', 'allow-empty', 'sarif-file']) expect(Object.values(step.env ?? {})).toContain(`\${{ inputs.${name} }}`);
  });

  it('writes repository-relative SARIF and exits 0; 2 under fail-under, with the SARIF still written', () => {
    const ok = runAction({ INPUT_PATH: '.tekton', INPUT_SARIF_FILE: 'out.sarif' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.outputs).toBe('sarif-file=out.sarif\n');
    const sarif = JSON.parse(readFileSync(join(work, 'repo', 'out.sarif'), 'utf8'));
    const uris = new Set(sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris]).toEqual(['.tekton/pipeline.yaml']);
    const under = runAction({ INPUT_PATH: '.tekton', INPUT_SARIF_FILE: 'under.sarif', INPUT_FAIL_UNDER: '100' });
    expect(under.status).toBe(2);
    expect(under.stdout).toContain('::error title=Tekton Posture::');
    expect(JSON.parse(readFileSync(join(work, 'repo', 'under.sarif'), 'utf8')).runs[0].results.length).toBeGreaterThan(0);
  });

  it('fails (1) on a mistyped path instead of uploading an empty SARIF that would close every alert', () => {
    const typo = runAction({ INPUT_PATH: '.tekon', INPUT_SARIF_FILE: 'typo.sarif' });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/no such file or directory: \.tekon/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKubeconfig } from './kubeconfig';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
const cfg = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const good = cfg('good', 'apiVersion: v1\nkind: Config\ncurrent-context: dev\ncontexts:\n  - {name: dev}\n  - {name: prod}\n');
const noCurrent = cfg('nocurrent', 'apiVersion: v1\nkind: Config\ncontexts:\n  - {name: dev}\n');
const env = {} as unknown as NodeJS.ProcessEnv;

describe('checkKubeconfig', () => {
  it('accepts a kubeconfig with its current context or a named one', () => {
    expect(checkKubeconfig({ kubeconfig: good, env })).toEqual([good]);
    expect(checkKubeconfig({ kubeconfig: good, context: 'prod', env })).toEqual([good]);
    expect(checkKubeconfig({ env: { KUBECONFIG: `${join(dir, 'missing')}:${good}` } as unknown as NodeJS.ProcessEnv })).toEqual([good]);
  });

  it('says what is wrong: missing file, unknown context, no current context, no kubeconfig at all', () => {
    expect(() => checkKubeconfig({ kubeconfig: join(dir, 'nope'), env })).toThrow(/nope \(--kubeconfig\) does not exist/);
    expect(() => checkKubeconfig({ kubeconfig: good, context: 'staging', env })).toThrow(/context "staging" is not in .*good \(its contexts: dev, prod\)/);
    expect(() => checkKubeconfig({ kubeconfig: noCurrent, env })).toThrow(/sets no current-context: pass --context NAME \(its contexts: dev\)/);
    expect(() => checkKubeconfig({ env: { KUBECONFIG: join(dir, 'gone') } as unknown as NodeJS.ProcessEnv })).toThrow(/KUBECONFIG names .*gone, which does not exist/);
    expect(() => checkKubeconfig({ env, home: join(dir, 'no-home') })).toThrow(/no kubeconfig: set KUBECONFIG, pass --kubeconfig FILE, or run inside a cluster/);
    expect(() => checkKubeconfig({ kubeconfig: cfg('bad', 'a: [\n'), env })).toThrow(/is not valid YAML/);
  });
});

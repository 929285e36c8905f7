import { describe, expect, it } from 'vitest';
import { normalizeContainer } from '../../model/normalize';
import { containerRunsUserCode, scriptRunsUserCode } from './usercode';

describe('scriptRunsUserCode', () => {
  it.each([
    ['npm ci && npm test', 'npm'],
    ['cd src; make test', 'make'],
    ['set -e\nCGO_ENABLED=0 go build ./...', 'go build'],
    ['pip install -r requirements.txt', 'pip install'],
    ['python3 -m pytest -q', 'python3 -m pytest'],
    ['if ./hack/test.sh; then echo ok; fi', './hack/test.sh'],
    ['./gradlew build', './gradlew'],
    ['sudo -E mvn -B verify', 'mvn'],
    ['exec mvn -B verify', 'mvn'],
  ])('%j → %s', (script, tool) => expect(scriptRunsUserCode(script)).toBe(tool));
  it.each([
    'git clone https://github.com/acme/app && git checkout main',
    '# make test\necho "run make or npm"',
    'crane push image.tar ghcr.io/acme/app',
    'go version',
    'pip list',
    '/kaniko/executor --context=.',
    'cat ./README.md',
    'kubectl apply -f ./deploy',
  ])('%j runs no user code', (script) => expect(scriptRunsUserCode(script)).toBeNull());
  it('reads command lines and sh -c code', () => {
    const c = (command: string[], args: string[] = []) => normalizeContainer({ name: 'x', image: 'i', command, args }, 'step', 0, 'steps[0]');
    expect(containerRunsUserCode(c(['make'], ['test']))).toBe('make');
    expect(containerRunsUserCode(c(['/bin/sh', '-c'], ['npm ci']))).toBe('npm');
    expect(containerRunsUserCode(c(['/ko-app/git-init'], ['-url=x']))).toBeNull();
  });
});

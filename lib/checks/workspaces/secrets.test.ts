import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectSecret, findBasicAuth, findKeyPattern, isBenignValue, looksLikeToken, redactSecret, secretNameClass } from './secrets';

describe('redactSecret', () => {
  it('keeps at most two characters on each side and says the length', () => {
    expect(redactSecret('AKIAZ7Q2WJ4XK3M9PLRT')).toBe('AK…RT (20 chars)');
    expect(redactSecret('changeme')).toBe('c…e (8 chars)');
    expect(redactSecret('abc')).toBe('… (3 chars)');
    expect(redactSecret('')).toBe('… (0 chars)');
  });
  it('never reveals more than 4 characters of any string', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 300 }), (s) => {
        const shown = redactSecret(s).replace(/ \(\d+ chars?\)$/, '').replace('…', '');
        expect([...shown].length).toBeLessThanOrEqual(Math.min(4, [...s].length));
      }),
    );
  });
});

describe('key patterns', () => {
  const hits: [string, string][] = [
    ['AKIAZ7Q2WJ4XK3M9PLRT', 'AWS'],
    ['export AWS_ACCESS_KEY_ID=ASIAZ7Q2WJ4XK3M9PLRT', 'AWS'],
    ['ghp_R8s2kLm4Nq7Tv1Xy9Bz3Cd5Fg6Hj0Kp2Wr4U', 'GitHub'],
    ['github_pat_11ABCDEFG0123456789_' + 'aB3dE5fG7hJ9kL1mN3pQ'.repeat(3) + 'zY', 'GitHub'],
    ['AKIAIOSFODNN7EXAMPLE', 'AWS'], // AWS's documented example: still the shape (CHECKS.md: shapes, not validity)
    ['glpat-aB3dE5fG7hJ9kL1mN3pQ', 'GitLab'],
    ['xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'Slack'],
    ['AIza' + 'SyD3x4mpl3K3y0123456789abcdefghijkl', 'Google'],
    ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'Stripe'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n-----END RSA PRIVATE KEY-----', 'private key'],
    ['-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw', 'private key'],
    ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'JSON Web Token'],
  ];
  for (const [text, kind] of hits) {
    it(`finds ${kind} in ${text.slice(0, 24)}…`, () => {
      const m = findKeyPattern(text);
      expect(m?.kind).toContain(kind);
      // the redacted excerpt never contains the key body (a private key's header is shown, its material is not)
      expect(m?.redacted).not.toContain(kind === 'private key' ? 'MIIEow' : text.slice(4, 16));
    });
  }
  const misses = [
    'ghp_R8s2kLm4Nq7Tv1Xy9Bz3Cd5Fg6Hj0Kp2Wr4Ua', // 37 characters: not a GitHub token's length
    'grep -q "BEGIN RSA PRIVATE KEY" key.pem',
    'if [[ "$k" == *"-----BEGIN OPENSSH PRIVATE KEY-----"* ]]; then echo ok; fi',
    'ghp_short',
    'image: ghcr.io/acme/app@sha256:9a0e1c3b5d7f9a0e1c3b5d7f9a0e1c3b5d7f9a0e1c3b5d7f9a0e1c3b5d7f9a0e',
    '8f2d4c1a9b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c',
    '$(params.github-token)',
    'cat $(workspaces.ssh-directory.path)/id_rsa',
    'https://github.com/tektoncd/pipeline',
  ];
  for (const text of misses) it(`ignores ${text.slice(0, 40)}`, () => expect(findKeyPattern(text)).toBeNull());
  it('is linear on hostile input', () => {
    const t0 = performance.now();
    findKeyPattern(`-----BEGIN ${'A '.repeat(50_000)}`);
    findKeyPattern(`eyJ${'a'.repeat(100_000)}.eyJ`);
    detectSecret('https://' + 'a'.repeat(100_000) + ':', 'password');
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('basic auth in URLs', () => {
  it('finds a literal password', () => {
    expect(findBasicAuth('https://ci-bot:S3cr3tPassw0rd@git.example.com/a.git')?.redacted).toBe('https://ci-bot:S…d (14 chars)@…');
  });
  it.each([
    'https://$(params.user):$(params.password)@git.example.com',
    'https://oauth2:${GITLAB_TOKEN}@gitlab.com/x.git',
    'https://$(params.token):x-oauth-basic@github.com/x.git',
    'https://user:<password>@host',
    'https://user:***@host',
    'https://{{user}}:{{ .Password }}@host',
    'git@github.com:acme/app.git',
    'https://github.com/acme/app',
  ])('ignores %s', (u) => expect(findBasicAuth(u)).toBeNull());
});

describe('secret names', () => {
  it.each([
    ['DB_PASSWORD', 'password'],
    ['PGPASSWORD', 'password'],
    ['db-password', 'password'],
    ['registryPassword', 'password'],
    ['CertificateKeyPassphrase', 'password'],
    ['API_KEY', 'secret'],
    ['apiKey', 'secret'],
    ['GITHUB_TOKEN', 'secret'],
    ['client_secret', 'secret'],
    ['AWS_SECRET_ACCESS_KEY', 'secret'],
    ['http-password-secret', 'secret'],
    ['http-password-secret-key', 'secret'],
    ['PASSWORD_KEY', 'secret'],
    ['git-token-secret-name', null],
    ['TOKEN_PATH', null],
    ['secretName', null],
    ['AUTHOR', null],
    ['AWS_ACCESS_KEY_ID', null],
    ['bypass', null],
    ['revision', null],
  ])('%s → %s', (name, cls) => expect(secretNameClass(name)).toBe(cls));
});

describe('values', () => {
  it.each([
    '',
    '$(params.token)',
    'Bearer $(params.token)',
    '${GIT_PASSWORD}',
    '$GIT_PASSWORD',
    '/var/run/secrets/kubernetes.io/serviceaccount/token',
    './token',
    '~/.docker/config.json',
    'https://auth.example.com/token',
    '3f786850e387550fdab836ed7e6dc881de23001b',
    'sha256:9a0e1c3b5d7f9a0e1c3b5d7f9a0e1c3b5d7f9a0e1c3b5d7f9a0e1c3b5d7f9a0e',
    '6b1f3c9e-2d4a-4f8b-9c7e-1a2b3c4d5e6f',
    'true',
    '8080',
    'the token used to push images',
  ])('benign: %s', (v) => expect(isBenignValue(v)).toBe(true));
  it('tokens are long, mixed and random', () => {
    expect(looksLikeToken('dGhpc0lzQVJhbmRvbVQwa2VuMTIz')).toBe(true);
    expect(looksLikeToken('Zx8q2LmP0vR7tY4wK1nB6cD9')).toBe(true);
    expect(looksLikeToken('my-registry-secret-name')).toBe(false);
    expect(looksLikeToken('nightly-ci-github-hub-token')).toBe(false);
    expect(looksLikeToken('short1')).toBe(false);
    expect(looksLikeToken('aaaaaaaaaaaaaaaaaaaa1')).toBe(false);
  });
});

describe('detectSecret', () => {
  it('flags plaintext passwords, even weak ones', () => {
    expect(detectSecret('changeme', 'DB_PASSWORD')?.kind).toBe('a plaintext password');
    expect(detectSecret('gitea', 'GITEA_PASSWORD')?.redacted).toBe('… (5 chars)');
  });
  it('flags tokens in secret-named vars, not secret names', () => {
    expect(detectSecret('Zx8q2LmP0vR7tY4wK1nB6cD9', 'API_TOKEN')?.kind).toBe('a token-like value');
    expect(detectSecret('github-token', 'git-token')).toBeNull();
    expect(detectSecret('apikey', 'ibmcloud-apikey-secret-key')).toBeNull();
    expect(detectSecret('password', 'http-password-secret-key')).toBeNull();
    expect(detectSecret('my-secret', 'http-password-secret')).toBeNull();
  });
  it('flags key patterns whatever the name', () => {
    expect(detectSecret('AKIAZ7Q2WJ4XK3M9PLRT', 'BUCKET')?.kind).toBe('an AWS access key id');
    expect(detectSecret('AKIAZ7Q2WJ4XK3M9PLRT', null)?.kind).toBe('an AWS access key id');
  });
  it('never flags substitutions, paths, digests, SHAs, UUIDs in secret-named vars', () => {
    for (const v of ['$(params.password)', '/workspace/creds/password', 'sha256:' + 'ab'.repeat(32), 'a'.repeat(40), '6b1f3c9e-2d4a-4f8b-9c7e-1a2b3c4d5e6f']) {
      expect(detectSecret(v, 'password')).toBeNull();
      expect(detectSecret(v, 'token')).toBeNull();
    }
  });
  it('never throws and never returns unredacted text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.option(fc.string({ maxLength: 40 }), { nil: null }), (v, n) => {
        const m = detectSecret(v, n);
        if (m && v.length >= 8) expect(m.redacted.includes(v)).toBe(false);
      }),
    );
  });
});

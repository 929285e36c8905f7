import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asyncRuleIds, RULE_KEYWORDS, runSecretlint, secretlintRuleIds } from './secretlint-sync';
import { detectSecret, displayRedaction, findBasicAuth, findKeyPattern, isBenignValue, isPublicMaterial, looksLikeToken, redactEvidenceValue, redactSecret, secretNameClass } from './secrets';

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

describe('secretlint recommended preset, run synchronously', () => {
  it('loads every scanner rule of the preset (the comment filter left out)', () => {
    expect(secretlintRuleIds.length).toBeGreaterThanOrEqual(27);
    for (const id of ['aws', 'gcp', 'privatekey', 'npm', 'basicauth', 'slack', 'github', 'gitlab', 'docker', 'database-connection-string']) {
      expect(secretlintRuleIds).toContain(id);
    }
    expect(secretlintRuleIds).not.toContain('filter-comments');
  });
  it('reports in the same call: no rule returns a promise for a text or JSON value', () => {
    const samples = [SLACK_WEBHOOK, DOCKER_PAT, '{"private_key_id": "x", "private_key": "-----BEGIN PRIVATE KEY-----\\nMII"}', 'plain text'];
    for (const s of samples) runSecretlint(s, s.startsWith('{'));
    expect(runSecretlint(SLACK_WEBHOOK).map((h) => h.ruleId)).toEqual(['slack']);
    expect([...asyncRuleIds]).toEqual([]);
  });
  it('never throws on hostile input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), fc.boolean(), (s, json) => void runSecretlint(s, json)));
  });
});

// Built from parts so that the source file itself does not trip push-protection scanners.
const SLACK_WEBHOOK = 'https://hooks.slack.com/services/' + 'T0AB12CD3/B0EF45GH6/q8Zr2LxV0pN7tK4mW9bC1dF6';
const DOCKER_PAT = 'dckr_pat_' + 'Xq7LmP2vR9tY4wK1nB6cD3fG8hJ';
const NPM_TOKEN = 'npm_' + 'q8Zr2LxV0pN7tK4mW9bC1dF6gH3jS5aE8uY2';
const SIG64 = '3f0a9c1b5d7e2f4a6c8b0d1e3f5a7c9b2d4e6f8a0c1b3d5e7f9a2c4b6d8e0f1a';
const dockerConfig = (auth: string) => `{"auths":{"registry.example.com":{"auth":"${auth}"}}}`;

describe('v1.1 credential shapes', () => {
  it.each([
    [DOCKER_PAT, 'secretlint:docker'],
    [SLACK_WEBHOOK, 'secretlint:slack'],
    [NPM_TOKEN, 'secretlint:npm'],
    ['postgres://app:Zx8q2LmP0v@db.example.com:5432/app', 'secretlint:database-connection-string'],
    [`https://acme.blob.core.windows.net/c/x?sv=2022-11-02&sp=r&sig=${'A'.repeat(20)}q8Zr2LxV0p%2B%3D`, 'signed-url'],
    [`sv=2022-11-02&ss=b&sig=${'q8Zr2LxV0p'.repeat(3)}`, 'signed-url'], // a bare SAS token, exactly 30 characters
    [`https://b.s3.amazonaws.com/o?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${SIG64}`, 'signed-url'],
    [`https://storage.googleapis.com/b/o?X-Goog-Signature=${SIG64}${SIG64}`, 'signed-url'],
    [dockerConfig(btoa('ci-bot:Zx8q2LmP0vR7')), 'docker-config-auth'],
    [JSON.stringify(dockerConfig(btoa('u:p'))), 'docker-config-auth'], // escaped inside a JSON string; a 1-char password is still one
    ['AKIAIOSFODNN7EXAMPLE', 'aws-example'],
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws-example'],
  ])('finds %s', (value, rule) => {
    const m = detectSecret(value, 'VALUE');
    expect(m?.rule).toBe(rule);
    expect(m?.redacted).not.toContain(value.slice(-12));
  });
  it.each([
    `https://acme.blob.core.windows.net/c/x?sv=2022-11-02&sig=${'q8Zr2LxV0p'.repeat(3).slice(0, 29)}`, // 29: too short for an HMAC
    'https://acme.blob.core.windows.net/c/x?sv=2022-11-02&sig=$(params.sig)',
    `https://b.s3.amazonaws.com/o?X-Amz-Signature=${SIG64.slice(0, 63)}`,
    'https://b.s3.amazonaws.com/o?X-Amz-Signature=${SIGNATURE}',
    'https://hooks.slack.com/services/XXX/XXXXXX',
    'https://hooks.slack.com/services/$(params.team)/$(params.channel)/$(params.key)',
    dockerConfig(btoa('ci-bot:')), // a user without a password
    dockerConfig('$(params.auth)'),
    '{"auths":{"icr.io":{"auth":"iamapikey"}}}', // not base64 of user:password
    `printf '{"auths":{"%s":{"auth":"%s"}}}' "$REGISTRY" "$AUTH"`,
    'dckr_pat_short',
    NPM_TOKEN.slice(0, -1),
  ])('ignores %s', (value) => expect(detectSecret(value, 'VALUE')).toBeNull());
});

describe('public material and references are never credentials', () => {
  const PEM_BODY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9a8Zr2LxV0pN7tK4mW9bC1dF6gH3jS5aE8uY2iO0wXc4q8Zr2LxV0pN7tK4mW9bC1dF6';
  it.each([
    `-----BEGIN PUBLIC KEY-----\n${PEM_BODY}\n-----END PUBLIC KEY-----`,
    `-----BEGIN CERTIFICATE-----\\n${PEM_BODY}\\n-----END CERTIFICATE-----`,
    'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7q8Zr2LxV0pN7tK4mW9bC1dF6gH3jS5aE8uY2iO0w ci@acme',
    'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
    '[gitlab.example.com]:2222,10.0.0.1 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT',
  ])('%s', (v) => {
    expect(isPublicMaterial(v)).toBe(true);
    for (const name of ['PASSWORD', 'SIGNING_SECRET', 'ssh-key-secret', null]) expect(detectSecret(v, name)).toBeNull();
  });
  it('a bundle that also holds a private key is not public material', () => {
    const bundle = `-----BEGIN CERTIFICATE-----\n${PEM_BODY}\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----`;
    expect(isPublicMaterial(bundle)).toBe(false);
    expect(detectSecret(bundle, 'tls-bundle')?.kind).toBe('a private key');
  });
  it('neutral names with random values are not secrets (only a shape is)', () => {
    expect(detectSecret('q8Zr2LxV0pN7tK4mW9bC1dF6gH3jS5aE8uY2iO0w', 'VALUE')).toBeNull();
    expect(detectSecret('q8Zr2LxV0pN7tK4mW9bC1dF6gH3jS5aE8uY2iO0w', 'CACHE_KEY')).toBeNull();
    expect(detectSecret('q8Zr2LxV0pN7tK4mW9bC1dF6gH3jS5aE8uY2iO0w', 'X_API_KEY')?.rule).toBe('name:token');
  });
  it('placeholders are not passwords; a weak literal password is', () => {
    for (const v of ['<password>', 'xxxx', '***', '{{ .Password }}', '...']) expect(detectSecret(v, 'DB_PASSWORD')).toBeNull();
    expect(detectSecret('changeme', 'DB_PASSWORD')?.rule).toBe('name:password');
  });
});

describe('displayRedaction (UI and exports)', () => {
  it('redacts what WSP-005 recognises, whatever the name', () => {
    expect(displayRedaction(SLACK_WEBHOOK, 'notify-url')?.redacted).not.toContain('q8Zr2');
    expect(displayRedaction(NPM_TOKEN, 'x')?.rule).toBe('secretlint:npm');
  });
  it('redacts any literal under a secret-sounding name, even one WSP-005 lets pass', () => {
    expect(displayRedaction('my-registry-secret', 'registry-token')?.redacted).toBe('my…et (18 chars)');
    expect(displayRedaction('hunter2', 'password')?.redacted).toBe('… (7 chars)');
  });
  it('shows everything else as it is', () => {
    expect(displayRedaction('main', 'revision')).toBeNull();
    expect(displayRedaction('$(params.token)', 'token')).toBeNull();
    expect(displayRedaction('', 'password')).toBeNull();
    expect(displayRedaction('my-registry-secret', 'registry-secret-name')).toBeNull();
  });
});

describe('cost', () => {
  it('10,000 distinct ordinary values and 1,000 repeats of a long script stay well under a second', () => {
    const script = 'set -e\n' + 'echo "building $(params.image) at 3f786850e387550fdab836ed7e6dc881de23001b"\n'.repeat(200);
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) detectSecret(`value-${i}-build-x86_64`, i % 2 ? 'IMAGE' : 'token');
    for (let i = 0; i < 1_000; i++) findKeyPattern(script);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('long scripts (only candidate lines reach the rules)', () => {
  const filler = 'echo "step $(params.n) in /workspace/source/some/long/path/of/the/repository"\n'.repeat(20);
  it('still finds a one-line shape in the middle and a multi-line private key', () => {
    expect(findKeyPattern(`${filler}curl -X POST ${SLACK_WEBHOOK} -d '{}'\n${filler}`)?.rule).toBe('secretlint:slack');
    expect(findKeyPattern(`${filler}cat > key <<EOF\n-----BEGIN RSA PRIVATE KEY-----\n${'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n'.repeat(3)}-----END RSA PRIVATE KEY-----\nEOF\n`)?.kind).toBe('a private key');
    expect(findKeyPattern(`${filler}export REGISTRY_AUTH='${dockerConfig(btoa('bot:Zx8q2LmP'))}'\n`)?.rule).toBe('docker-config-auth');
  });
  it('finds nothing in an ordinary long script', () => expect(findKeyPattern(filler)).toBeNull());
});

describe('rule keywords (the pre-filter in front of each preset rule)', () => {
  it('every loaded rule has keywords (a new preset rule must be read and given its own)', () => {
    expect(secretlintRuleIds.filter((id) => !RULE_KEYWORDS[id])).toEqual([]);
  });
  it('the keywords never hide a hit: with and without them the rules agree on samples of every rule', () => {
    const samples = [
      'AKIAZ7Q2WJ4XK3M9PLRT', 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzX4mpl3KEY"', NPM_TOKEN, '//registry.npmjs.org/:_authToken=abc123def456',
      SLACK_WEBHOOK, 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', DOCKER_PAT, 'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc',
      'ghp_R8s2kLm4Nq7Tv1Xy9Bz3Cd5Fg6Hj0Kp2Wr4U', 'glpat-aB3dE5fG7hJ9kL1mN3pQ', 'https://ci:Zx8q2LmP0v@git.example.com/a.git',
      'postgres://app:Zx8q2LmP0v@db.example.com:5432/app', 'dapi' + '0123456789abcdef0123456789abcdef', 'tskey-auth-' + 'kAbCdEf1CNTRL-' + 'q8Zr2LxV0pN7tK4mW9bC1dF6',
      'HVS.' + 'x'.repeat(95), // keywords are matched case-insensitively
    ];
    for (const s of samples) expect(runSecretlint(s).length, s).toBe(runSecretlint(s, false, { ignoreKeywords: true }).length);
    expect(samples.filter((s) => runSecretlint(s).length > 0).length).toBeGreaterThanOrEqual(12);
  });
});

describe('redactEvidenceValue (every check\'s evidence, in the engine)', () => {
  it('replaces a quoted value holding a shape, keeps everything else', () => {
    const v = redactEvidenceValue(`curl -X POST ${SLACK_WEBHOOK}`);
    expect(v).toContain('a Slack webhook URL');
    expect(v).not.toContain('q8Zr2LxV0p');
    expect(redactEvidenceValue('ghcr.io/acme/app:latest')).toBe('ghcr.io/acme/app:latest');
    // WSP-005's own redacted evidence is not redacted twice
    const own = detectSecret(SLACK_WEBHOOK, 'url')!.redacted;
    expect(redactEvidenceValue(own)).toBe(own);
  });
  it('stays linear on hostile input', () => {
    const t0 = performance.now();
    for (const s of ['https://' + 'a:'.repeat(50_000), '-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(100_000), 'x-oauth-basic@' + ':'.repeat(100_000), '{"auth":"' + 'A'.repeat(100_000)]) {
      detectSecret(s, 'password');
      findKeyPattern(s);
    }
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

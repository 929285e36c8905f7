#!/usr/bin/env node
/**
 * Builds the `tekton-posture` command as an installable npm package: cli/bin.ts bundled by esbuild into ONE file
 * with no runtime dependencies (the engine, the YAML parser, zod and the Kubernetes client are all inside), the
 * demo snapshot beside it, and a package.json whose only job is the `bin` entry. No tsx, no dev dependencies, no
 * Next at run time.
 *
 *   node scripts/build-cli.mjs [OUT_DIR]          default .cache/cli-package
 *   node scripts/build-cli.mjs --pack [OUT_DIR]   also `npm pack` it; prints the tarball's path
 *
 * Then: npx --yes ./tekton-posture-<version>.tgz scan --demo   (or npm install -g the tarball)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const pack = args.includes('--pack');
const out = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, '.cache', 'cli-package'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'dist'), { recursive: true });
await build({
  entryPoints: [join(root, 'cli', 'bin.ts')],
  outfile: join(out, 'dist', 'tekton-posture.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // `server-only` throws unless resolved for the server: the CLI is server code.
  conditions: ['react-server'],
  // ws's optional native speed-ups: it falls back to JS when they are missing.
  external: ['bufferutil', 'utf-8-validate'],
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __tpCreateRequire } from 'node:module';\nconst require = __tpCreateRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
});
cpSync(join(root, 'lib', 'demo', 'snapshot'), join(out, 'demo', 'snapshot'), { recursive: true });
cpSync(join(root, 'lib', 'demo', 'policy.yaml'), join(out, 'demo', 'policy.yaml'));
cpSync(join(root, 'README.md'), join(out, 'README.md'));
writeFileSync(
  join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: 'tekton-posture',
      version: pkg.version,
      description: 'Scores Tekton pipelines against a hardening checklist: files, a live cluster or the demo (SARIF, JSON, JUnit, CSV, Code Quality).',
      type: 'module',
      bin: { 'tekton-posture': 'dist/tekton-posture.mjs' },
      files: ['dist/', 'demo/', 'README.md'],
      engines: pkg.engines,
    },
    null,
    2,
  )}\n`,
);
if (pack) {
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: out, encoding: 'utf8' }).trim().split('\n').pop();
  process.stdout.write(`${join(out, name)}\n`);
} else {
  process.stdout.write(`${out}\n`);
}

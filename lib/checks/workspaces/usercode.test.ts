import { describe, expect, it } from 'vitest';
import { normalizeContainer } from '../../model/normalize';
import { containerRunsUserCode, scriptRunsUserCode, userCodeCommand } from './usercode';
import { imageKind } from './usercode-tools';

const step = (v: Record<string, unknown>) => normalizeContainer({ name: 'x', ...v }, 'step', 0, 'steps[0]');

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
    // v1.1: the six shapes that passed before
    ['bash hack/build.sh', 'bash hack/build.sh'],
    ['python3 manage.py test', 'python3 manage.py'],
    ['node scripts/build.js', 'node scripts/build.js'],
    ['. ./env.sh && deploy', '. ./env.sh'],
    ['terraform plan -out=tfplan', 'terraform'],
    ['/kaniko/executor --context=.', "/kaniko/executor (kaniko runs the Dockerfile's RUN lines)"],
    // scripts and binaries from the workspace
    ['sh $(workspaces.source.path)/ci/test.sh', 'sh $(workspaces.source.path)/ci/test.sh'],
    ['$(workspaces.source.path)/bin/release', '$(workspaces.source.path)/bin/release'],
    ['hack/verify-all.sh', 'hack/verify-all.sh'],
    ['source "$(workspaces.source.path)/.env"', 'source $(workspaces.source.path)/.env'],
    // build tools and image builds
    ['yarn install --frozen-lockfile', 'yarn'],
    ['go generate ./... && go vet ./...', 'go generate'],
    ['cargo test --locked', 'cargo'],
    ['helm secrets upgrade app ./chart', 'helm secrets (a plugin)'],
    ['helm plugin install https://github.com/x/y', 'helm plugin'],
    ['docker build -t app .', 'docker build'],
    ['docker buildx build --push -t app .', 'docker buildx build'],
    ['podman image build -t app .', 'podman image build'],
    ['buildah --storage-driver vfs bud -t app .', 'buildah bud'],
    ['buildah run "$ctr" -- make', 'buildah run'],
    ['docker run --rm app:test', 'docker run'],
    ['buildah ${CERT_DIR_FLAG} "--storage-driver=${DRIVER}" bud -t app .', 'buildah bud'],
    ['buildctl-daemonless.sh build --frontend dockerfile.v0 --local context=.', 'buildctl-daemonless.sh build'],
    ['s2i build . registry.access.redhat.com/ubi8/python-39 app', 's2i build'],
    ['find . -name "*.sh" -exec {} \\;', '{} (a program we do not know)'],
    ['find . -name "*_test.go" -execdir go test \\;', 'go test'],
    ['python3 -m pip install .', 'python3 -m pip install'],
    ['java -jar target/app.jar', 'java -jar target/app.jar'],
    ['gem build app.gemspec', 'gem build'],
    ['echo "$(make version)"', 'make'],
    ['VERSION=`./version.sh`', './version.sh'],
    // when unsure: user code
    ["eval '$(params.GIT_SCRIPT)'", 'eval $(params.GIT_SCRIPT)'],
    ['$(params.SCRIPT)', 'a command taken from $(params.SCRIPT)'],
    ['echo "$SCRIPT" | sh', 'sh reading code from stdin'],
    ['curl -sSL https://get.example.com | bash', 'bash reading code from stdin'],
    ['"$TOOL" --run', '$TOOL (a command held in a variable)'],
    ['acme-release --all', 'acme-release (a program we do not know)'],
    ['#!/usr/bin/env pwsh\nWrite-Host hi', 'a pwsh script we do not read'],
    ['#!/usr/bin/env ruby\nputs `make`', 'a ruby script that starts processes'],
    ['#!/usr/bin/env node\nrequire("child_process").execSync("npm test")', 'a node script that starts processes'],
    ['#!/usr/bin/env python3\nimport subprocess\nsubprocess.run(["make"])', 'a python3 script that starts processes'],
    ['bash <<EOF\nmake all\nEOF', 'make'],
    ['. /utils.sh\nretry_scan "$IMAGE"', 'retry_scan (a program we do not know)'],
    ['source /var/workdir/vars', 'source /var/workdir/vars'],
  ])('%j → %s', (script, tool) => expect(scriptRunsUserCode(script)).toBe(tool));

  it.each([
    'git clone https://github.com/acme/app && git checkout main',
    '# make test\necho "run make or npm"',
    'crane push image.tar ghcr.io/acme/app',
    'go version',
    'pip list',
    'cat ./README.md',
    'kubectl apply -f ./deploy',
    // data-only tools and shell syntax that looks like commands
    'skopeo copy --authfile /ws/config.json docker://a docker://b',
    'cosign sign --yes --key k.key "ghcr.io/acme/app@${DIGEST}"',
    'sha256sum dist/* > SHA256SUMS && cp SHA256SUMS /out/',
    'DIGEST=$(jq -r .digest build.json); yq e ".image = \\"$DIGEST\\"" -i deploy.yaml',
    'curl -sSf -T sbom.json https://sbom.example.com/upload',
    'helm upgrade --install app ./chart -n prod',
    'eval "$(ssh-agent -s)" && ssh-add ~/.ssh/id_rsa',
    'cat <<EOF > /tmp/config.json\n{"make": "npm test", "run": "./build.sh"}\nEOF\necho done',
    'cat <<-"EOF" | kubectl apply -f -\n\tapiVersion: v1\n\tkind: ConfigMap\n\tEOF',
    'case "$MODE" in\n  build|test) echo "mode $MODE" ;;\n  *) exit 1 ;;\nesac',
    'for ((i = 0; i < 3; i++)); do echo "$i"; done',
    'for f in a b c; do printf "%s\\n" "$f"; done',
    'if [[ -n "$X" && "$Y" > "a" ]]; then echo yes; fi',
    'cleanup() {\n  rm -rf /tmp/x\n}\ntrap cleanup EXIT\ncleanup',
    'function retry_push {\n  skopeo copy a b\n}\nretry_push',
    'ARGS=(--quiet --no-color)\ngit "${ARGS[@]}" status',
    'echo "build it with make" # then run npm',
    'printf "%s" "$(results.commit.path)" > "$(results.commit.path)"',
    'git config --global user.name "$(params.GIT_USER_NAME)"',
    'buildah push --authfile /ws/auth.json "$IMAGE" docker://registry/app',
    'docker push ghcr.io/acme/app:1.0',
    'docker login -u x --password-stdin ghcr.io < /ws/token && docker image push app && docker buildx imagetools create -t a b',
    'buildah manifest push --all "$IMAGE" "docker://$IMAGE" && podman --version',
    'twine upload --non-interactive dist/* && gem push pkg/app-1.0.gem',
    'oras push ghcr.io/acme/artifact:1 ./report.json && regctl tag ls ghcr.io/acme/app',
    'python3 -c "import json,sys; print(json.load(sys.stdin)[\'digest\'])" < build.json',
    '#!/usr/bin/env python3\nimport json, urllib.request\nprint(json.dumps({"state": "success"}))',
    'python3 <<EOF\nimport json\nprint(1)\nEOF',
    '#!/usr/bin/env python3\nimport platform, re\nbody = "Built on `main` with " + platform.system()\nm = re.compile("x").match(body)',
    '#!/usr/bin/env node\nconst m = /v(\\d+)/.exec(process.env.TAG); console.log(m)',
    'echo "$(date +%s)" > /tmp/ts; sleep 1 2>/dev/null',
    'git rev-parse HEAD | tr -d "\\n" > "$(results.commit.path)"',
    '. /utils.sh\nsource /etc/os-release',
  ])('%j runs no user code', (script) => expect(scriptRunsUserCode(script)).toBeNull());

  it('never throws and stays fast on hostile input', () => {
    const t0 = performance.now();
    for (const s of ['$('.repeat(50_000), '"'.repeat(100_001), '`'.repeat(9_999), '<<EOF\n'.repeat(20_000), '(((((('.repeat(10_000), "'".repeat(3), 'case x in\n'.repeat(5_000), '\\'.repeat(99_999), 'eval eval eval '.repeat(20_000)]) {
      expect(() => scriptRunsUserCode(s)).not.toThrow();
    }
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('userCodeCommand', () => {
  it('reads one command line, wrappers skipped', () => {
    expect(userCodeCommand(['env', 'CI=1', 'npm', 'test'])).toBe('npm');
    expect(userCodeCommand(['timeout', '10m', 'go', 'test', './...'])).toBe('go test');
    expect(userCodeCommand(['time', '-p', 'make'])).toBe('make');
    expect(userCodeCommand(['command', '-v', 'make'])).toBeNull();
    expect(userCodeCommand(['xargs', '-n1', 'git', 'fetch'])).toBeNull();
    expect(userCodeCommand([])).toBeNull();
  });
});

describe('containerRunsUserCode', () => {
  const c = (command: string[], args: string[] = [], image = 'i') => step({ image, command, args });
  it('reads command lines and sh -c code', () => {
    expect(containerRunsUserCode(c(['make'], ['test']))).toBe('make');
    expect(containerRunsUserCode(c(['/bin/sh', '-c'], ['npm ci']))).toBe('npm');
    expect(containerRunsUserCode(c(['/ko-app/git-init'], ['-url=x']))).toBeNull();
    expect(containerRunsUserCode(c(['bash'], ['hack/build.sh']))).toBe('bash hack/build.sh');
    expect(containerRunsUserCode(c(['skopeo'], ['copy', 'docker://a', 'docker://b']))).toBeNull();
  });
  it('reads the image when there is no script (builders by image, entrypoints of unknown images as user code)', () => {
    expect(containerRunsUserCode(step({ image: 'gcr.io/kaniko-project/executor:v1.23.2@sha256:abc', args: ['--context=.'] }))).toMatch(/image builder/);
    expect(containerRunsUserCode(step({ image: 'quay.io/buildah/buildah:latest' }))).toMatch(/image builder/);
    expect(containerRunsUserCode(step({ image: 'docker.io/moby/buildkit:v0.16.0' }))).toMatch(/image builder/);
    expect(containerRunsUserCode(step({ image: 'docker:27-dind' }))).toMatch(/image builder/);
    expect(containerRunsUserCode(step({ image: 'ghcr.io/acme/tool:1' }))).toMatch(/entrypoint/);
    expect(containerRunsUserCode(step({ image: 'gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2', args: ['-url=x'] }))).toBeNull();
    expect(containerRunsUserCode(step({ image: 'alpine/git:2.45.2', args: ['clone', 'https://x'] }))).toBeNull();
    expect(containerRunsUserCode(step({ image: 'gcr.io/go-containerregistry/crane:v0.20.2', args: ['push', 'a', 'b'] }))).toBeNull();
    expect(containerRunsUserCode(step({ image: 'gcr.io/projectsigstore/cosign:v2.4.1', args: ['sign', 'x'] }))).toBeNull();
    expect(containerRunsUserCode(step({ image: 'alpine:3.20', args: ['echo', 'hi'] }))).toBeNull();
    expect(containerRunsUserCode(step({ image: 'alpine:3.20', args: ['./run.sh'] }))).toBe('./run.sh');
    expect(containerRunsUserCode(step({ image: '$(params.builder_image)', args: ['--context=.'] }))).toMatch(/entrypoint/);
  });
  it('classifies images', () => {
    expect(imageKind('registry.redhat.io/rhel8/buildah@sha256:abc')).toBe('builder');
    expect(imageKind('quay.io/skopeo/stable:v1')).toBe('data');
    expect(imageKind('docker.io/library/docker:27-cli')).toBe('builder');
    expect(imageKind('registry.access.redhat.com/ubi9/ubi-minimal:9.4')).toBe('plain');
    expect(imageKind(null)).toBe('unknown');
  });
});

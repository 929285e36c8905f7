/**
 * The tool tables behind the "runs user code" test (CHECKS.md v1.1, "Workspaces and credentials"): which commands
 * execute content the source controls, which only treat the workspace as data, and which images are which.
 * A command in neither table is an unknown binary, which counts as user code.
 */

/** Build and test tools that run the repository's own code or build files, whatever their arguments. */
export const BUILD_TOOLS = new Set([
  'npm', 'npx', 'yarn', 'pnpm', 'bun', 'deno', 'lerna', 'nx', 'turbo', 'gulp', 'grunt', 'webpack', 'vite', 'tsc', 'jest', 'mocha',
  'vitest', 'karma', 'cypress', 'playwright', 'ng',
  'make', 'gmake', 'cmake', 'ctest', 'meson', 'ninja', 'bazel', 'bazelisk', 'scons', 'autoreconf', 'configure',
  'mvn', 'mvnw', 'gradle', 'gradlew', 'ant', 'sbt', 'lein', 'clojure', 'mix', 'rebar3', 'dotnet', 'msbuild', 'swift',
  'xcodebuild', 'flutter', 'dart', 'cargo', 'rustc', 'gcc', 'g++', 'cc', 'clang', 'javac',
  'pytest', 'tox', 'nox', 'poetry', 'pipenv', 'uv', 'hatch', 'flit', 'behave', 'robot', 'coverage', 'mkdocs', 'sphinx-build',
  'rake', 'rails', 'bundle', 'rspec', 'composer', 'phpunit',
  'terraform', 'terragrunt', 'tofu', 'pulumi', 'ansible', 'ansible-playbook', 'packer', 'helmfile', 'skaffold', 'tilt',
  'molecule', 'cdk', 'serverless', 'sls', 'sam', 'goreleaser', 'jib', 'img', 'makisu', 'kythe',
  // linters that load code from the repository (JS configs, plugins)
  'eslint', 'prettier', 'markdownlint', 'markdownlint-cli2', 'golangci-lint', 'pylint', 'mypy', 'tflint', 'snyk', 'sonar-scanner',
]);

/** Container CLIs that build or run images; only the subcommands below leave the workspace as data. */
export const CONTAINER_CLIS = new Set(['docker', 'podman', 'nerdctl', 'buildah']);
export const CONTAINER_DATA_SUBCOMMANDS = new Set([
  'push', 'pull', 'login', 'logout', 'tag', 'images', 'ls', 'list', 'inspect', 'manifest', 'imagetools', 'rmi', 'rm', 'prune', 'version',
  'info', 'ps', 'logs', 'save', 'load', 'import', 'export', 'commit', 'copy', 'cp', 'add', 'config', 'containers', 'mount', 'umount',
  'from', 'system', 'volume', 'network', 'context', 'stop', 'kill', 'wait', 'history', 'search', 'events', 'top', 'stats', 'port',
  'rename', 'pause', 'unpause', 'secret', 'trust', 'sbom', 'scout', 'help', 'du', 'use', 'sign', 'verify',
]);
/** CLI groups whose next word is the real subcommand (`docker image build`, `docker buildx build`). */
export const CONTAINER_GROUPS = new Set(['image', 'container', 'builder', 'buildx']);

/** Other image builders: they run a Dockerfile's `RUN` lines (or buildpacks) in reach of the step's files. */
export const IMAGE_BUILDERS: Record<string, (sub: string | undefined) => boolean> = {
  buildctl: (sub) => sub === 'build' || sub === undefined,
  'buildctl-daemonless.sh': (sub) => sub === 'build' || sub === undefined,
  'docker-compose': () => true,
  executor: () => true, // kaniko
  buildkitd: () => true,
  dockerd: () => true,
  'dockerd-entrypoint.sh': () => true,
  dind: () => true,
};

/** Shells: `sh -c CODE` runs the task's own code; `sh FILE` runs a file. */
export const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

/** Interpreters: inline code (`-c`, `-e`) is the task's; a file argument is someone's program. */
export const INTERPRETER = /^(?:python[0-9.]*|platform-python|pypy[0-9.]*|node|nodejs|ruby|perl|php|Rscript|lua|groovy|java|ts-node|tsx|tclsh|julia|jshell|kotlin|scala|elixir|erl|escript)$/;
export const INLINE_CODE_FLAGS = new Set(['-c', '-e', '-E', '--eval', '-p', '--print']);
export const VERSION_FLAGS = new Set(['--version', '-V', '-v', '-version', '--help', '-h', 'version']);

/** `python -m` modules that run the repository's code (tests, builds, package installs). */
export const PY_USER_MODULES = new Set(['pytest', 'tox', 'build', 'unittest', 'nox', 'setup', 'poetry', 'hatch', 'flit', 'coverage', 'behave', 'robot', 'nose', 'nose2', 'mkdocs', 'sphinx', 'pylint', 'mypy', 'django', 'flask', 'uvicorn', 'gunicorn']);
/** `python -m` modules that only read data. */
export const PY_DATA_MODULES = new Set(['json.tool', 'base64', 'twine', 'venv', 'ensurepip', 'zipfile', 'tarfile', 'gzip', 'site', 'http.server', 'yamllint', 'black', 'flake8', 'pyflakes', 'pycodestyle', 'bandit', 'isort']);

/** `go` subcommands that compile or run the module's code (or its generators, or its tests). */
export const GO_USER_SUBCOMMANDS = new Set(['build', 'test', 'run', 'generate', 'install', 'vet', 'tool', 'get']);

/** Helm's own subcommands; any other is a plugin (a program the chart repository may ship). */
export const HELM_BUILTINS = new Set([
  'completion', 'create', 'dependency', 'dep', 'env', 'get', 'help', 'history', 'install', 'lint', 'list', 'ls', 'package', 'pull',
  'fetch', 'push', 'registry', 'repo', 'rollback', 'search', 'show', 'inspect', 'status', 'template', 'test', 'uninstall', 'delete',
  'upgrade', 'verify', 'version',
]);

/**
 * Tools that treat the workspace as data: shell builtins, file and text utilities, archivers, checksums, git,
 * registry clients (push of an already built artifact), signers, scanners, cluster and cloud clients, notifiers.
 */
export const DATA_TOOLS = new Set([
  // shell builtins and keywords
  'cd', 'pushd', 'popd', 'echo', 'printf', 'set', 'unset', 'export', 'local', 'declare', 'typeset', 'readonly', 'shift', 'read',
  'wait', 'trap', 'exit', 'return', 'break', 'continue', 'true', 'false', ':', 'test', '[', '[[', ']]', 'umask', 'ulimit', 'getopts',
  'type', 'which', 'hash', 'alias', 'unalias', 'let', 'shopt', 'kill', 'jobs', 'disown', 'times', 'caller', 'mapfile', 'readarray',
  'if', 'then', 'elif', 'else', 'fi', 'do', 'done', 'case', 'esac', 'for', 'select', 'while', 'until', 'in', 'function', '{', '}', '!',
  // files and text
  'cat', 'tac', 'cp', 'mv', 'rm', 'rmdir', 'mkdir', 'ls', 'ln', 'chmod', 'chown', 'chgrp', 'touch', 'stat', 'file', 'find', 'grep', 'egrep',
  'fgrep', 'rg', 'sed', 'awk', 'gawk', 'mawk', 'cut', 'tr', 'sort', 'uniq', 'head', 'tail', 'wc', 'tee', 'basename', 'dirname', 'realpath',
  'readlink', 'pwd', 'date', 'sleep', 'printenv', 'whoami', 'id', 'hostname', 'uname', 'envsubst', 'diff', 'cmp', 'comm', 'paste', 'join',
  'fold', 'fmt', 'nl', 'od', 'hexdump', 'xxd', 'split', 'csplit', 'mktemp', 'install', 'du', 'df', 'dd', 'sync', 'seq', 'shuf', 'yes', 'nproc',
  'tput', 'column', 'iconv', 'rev', 'expr', 'bc', 'numfmt', 'truncate', 'shred', 'tree', 'less', 'more', 'logger', 'ps', 'pgrep', 'pkill',
  'free', 'uptime', 'getent', 'locale', 'clear', 'reset', 'stty', 'tty', 'uuidgen', 'md5', 'rsync', 'scp', 'sftp', 'ssh', 'ssh-keyscan',
  'ssh-keygen', 'ssh-agent', 'ssh-add', 'gpg', 'gpg2', 'openssl', 'certutil', 'update-ca-certificates', 'update-ca-trust', 'keytool',
  // data formats
  'jq', 'gojq', 'jaq', 'yq', 'jo', 'dasel', 'xq', 'tomlq', 'xmllint', 'xmlstarlet', 'base64', 'base32', 'gron',
  // checksums and archives
  'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'md5sum', 'b2sum', 'cksum', 'shasum', 'sum', 'tar', 'gzip', 'gunzip', 'zcat',
  'zip', 'unzip', 'xz', 'unxz', 'bzip2', 'bunzip2', 'zstd', 'unzstd', 'pigz', 'lz4', '7z',
  // git and forges
  'git', 'git-init', 'git-lfs', 'gh', 'glab', 'hub', 'tea', 'git-clone',
  // registries, signing, provenance, SBOMs and scanners (they read the files, they do not run them)
  'crane', 'gcrane', 'skopeo', 'oras', 'regctl', 'umoci', 'cosign', 'rekor-cli', 'notation', 'gitsign', 'slsa-verifier', 'syft', 'grype',
  'trivy', 'clair-scanner', 'clairctl', 'roxctl', 'ec', 'conftest', 'opa', 'gator', 'kubeconform', 'kubeval', 'kube-linter', 'kube-score',
  'datree', 'pluto', 'polaris', 'checkov', 'hadolint', 'shellcheck', 'yamllint', 'mdl', 'gitleaks', 'trufflehog', 'gosec',
  'semgrep', 'ruff', 'black', 'flake8', 'gofmt', 'dockle', 'valint', 'scorecard', 'tkn', 'tkn-pac', 'codecov',
  // cluster, cloud and network clients
  'kubectl', 'oc', 'kn', 'kind', 'argocd', 'kustomize', 'helm', 'vault', 'aws', 'gcloud', 'gsutil', 'az', 'ibmcloud', 'oci', 'doctl',
  'eksctl', 'curl', 'wget', 'http', 'nc', 'ncat', 'nslookup', 'dig', 'host', 'ping', 'sendmail', 'mail', 'jx', 'shp', 'kamel', 'istioctl',
  'ko-app', 'entrypoint', 'openshift-install', 'rosa', 'ocm',
  // Konflux helpers that move data (auth selection, trusted artifacts)
  'select-oci-auth', 'use-trusted-artifact', 'create-trusted-artifact',
  // uploads of already built packages
  'twine',
  // dependency prefetchers built not to run project code
  'hermeto', 'cachi2',
  // package managers installing the image's own tools (not the repository's code)
  'apk', 'apt', 'apt-get', 'dnf', 'yum', 'microdnf', 'rpm', 'dpkg', 'zypper',
]);

/** Command wrappers that run the rest of their words as a command (the flags listed take a value). */
export const WRAPPERS: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U']),
  env: new Set(['-u', '-C', '--unset', '--chdir']),
  exec: new Set(['-a']),
  command: new Set([]),
  builtin: new Set([]),
  nohup: new Set([]),
  time: new Set(['-f', '-o']),
  nice: new Set(['-n']),
  ionice: new Set(['-c', '-n', '-p']),
  stdbuf: new Set(['-i', '-o', '-e']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  xargs: new Set(['-I', '-n', '-P', '-L', '-d', '-s', '-E', '-a', '-l', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--replace']),
  chroot: new Set([]),
  unbuffer: new Set([]),
  'dumb-init': new Set([]),
  retry: new Set(['-t', '-d', '-n', '--times', '--delay']),
  tini: new Set([]),
};

/** Images whose entrypoint treats the workspace as data (matched on the repository path's last segments). */
const DATA_IMAGES = [
  /(?:^|\/)git-init$/, /(?:^|\/)alpine\/git$/, /(?:^|\/)bitnami\/git$/, /(?:^|\/)chainguard\/git$/, /(?:^|\/)crane$/, /(?:^|\/)gcrane$/,
  /(?:^|\/)skopeo(?:\/stable)?$/, /(?:^|\/)skopeo\/[a-z]+$/, /(?:^|\/)cosign(?:\/cosign)?$/, /(?:^|\/)oras$/, /(?:^|\/)curl(?:images\/curl)?$/,
  /(?:^|\/)curlimages\/curl$/, /(?:^|\/)jq$/, /(?:^|\/)yq$/, /(?:^|\/)kubectl$/, /(?:^|\/)syft$/, /(?:^|\/)grype$/, /(?:^|\/)trivy$/,
  /(?:^|\/)tkn$/, /(?:^|\/)regctl$/, /(?:^|\/)rekor-cli$/, /(?:^|\/)gh$/, /git-init(?:-rhel\d+)?$/, /build-trusted-artifacts$/,
];
/** Images that build images (their entrypoint runs Dockerfile `RUN` lines or buildpacks). */
const BUILDER_IMAGES = [
  /kaniko-project\/executor$/, /(?:^|\/)kaniko$/, /(?:^|\/)buildah(?:\/buildah|\/stable)?$/, /(?:^|\/)moby\/buildkit$/, /(?:^|\/)buildkit$/,
  /(?:^|\/)docker$/, /(?:^|\/)dind$/, /(?:^|\/)podman(?:\/stable)?$/, /(?:^|\/)img$/, /(?:^|\/)s2i$/, /(?:^|\/)source-to-image$/,
  /buildpacks/, /(?:^|\/)pack$/, /(?:^|\/)lifecycle$/, /ko-build\/ko$/, /(?:^|\/)skaffold$/, /(?:^|\/)makisu$/, /(?:^|\/)jib(?:-cli)?$/,
];
/** Base OS and language images without an entrypoint of their own: `args` are the command. */
const PLAIN_IMAGES = /(?:^|\/)(?:alpine|busybox|ubuntu|debian|fedora|centos|rockylinux|almalinux|amazonlinux|ubi[0-9]*(?:-minimal|-micro|-init)?|ubi|ubi-minimal|python|node|golang|openjdk|eclipse-temurin|ruby|rust|maven|gradle|bash|static|base|wolfi-base|distroless\/[a-z-]+)$/;

/** The image's repository path without registry host, tag or digest. */
export function imageRepository(image: string): string {
  let s = image.trim().split('@')[0];
  const colon = s.lastIndexOf(':');
  if (colon > s.lastIndexOf('/')) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  return parts.join('/').toLowerCase();
}

export type ImageKind = 'builder' | 'data' | 'plain' | 'unknown';

export function imageKind(image: string | null): ImageKind {
  if (!image || image.includes('$(')) return 'unknown';
  const repo = imageRepository(image);
  if (/(?:^|\/)docker$/.test(repo) && /:[^/]*dind/.test(image)) return 'builder';
  if (BUILDER_IMAGES.some((r) => r.test(repo))) return 'builder';
  if (DATA_IMAGES.some((r) => r.test(repo))) return 'data';
  if (PLAIN_IMAGES.test(repo)) return 'plain';
  return 'unknown';
}

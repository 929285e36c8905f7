import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { containerSignals, scriptSignals, shellCommands, signableResults } from './build-detect';

const actions = (script: string) => scriptSignals(script).map((s) => `${s.tool}:${s.action}`);

describe('shellCommands', () => {
  it('splits on separators and keeps quoted words whole', () => {
    expect(shellCommands('a b; c "d e" && f | g\nh')).toEqual([['a', 'b'], ['c', 'd e'], ['f'], ['g'], ['h']]);
  });
  it('joins continuations, drops comments and heredoc bodies, keeps $(…) in words', () => {
    expect(shellCommands('buildah \\\n  bud -t "$(params.IMAGE)" . # docker push x\n')).toEqual([['buildah', 'bud', '-t', '$(params.IMAGE)', '.']]);
    expect(shellCommands("cat <<'EOF' > f\ndocker push evil\nEOF\necho done")).toEqual([['cat', '>', 'f'], ['echo', 'done']]);
    expect(shellCommands('x=$(docker inspect y) z')).toEqual([['x=$(docker inspect y)', 'z'], ['docker', 'inspect', 'y']]);
  });
  it('never throws and stays linear on hostile input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (s) => { shellCommands(s); }), { numRuns: 300 });
    const t0 = Date.now();
    shellCommands('"'.repeat(100_000) + '$('.repeat(50_000) + "'".repeat(50_001) + '<<'.repeat(10_000));
    scriptSignals(`buildah ${'--x '.repeat(20_000)}\n`.repeat(10));
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('scriptSignals', () => {
  it('sees builds and pushes', () => {
    expect(actions('buildah --storage-driver=vfs bud -t $(params.IMAGE) .\nbuildah --storage-driver=vfs push $(params.IMAGE) docker://$(params.IMAGE)')).toEqual(['buildah:build', 'buildah:push']);
    expect(actions('buildah ${CERT_DIR_FLAG} "--storage-driver=$(params.STORAGE_DRIVER)" bud --format=oci -f ./Dockerfile -t $(params.IMAGE) .')).toEqual(['buildah:build']);
    expect(actions('buildah --storage-driver vfs push img')).toEqual(['buildah:push']);
    expect(actions('docker build -t x . && docker push x')).toEqual(['docker:build', 'docker:push']);
    expect(actions('docker buildx build --platform linux/amd64 --push -t x .')).toEqual(['docker buildx:push']);
    expect(actions('podman push x')).toEqual(['podman:push']);
    expect(actions('/kaniko/executor --dockerfile=Dockerfile --destination=$(params.IMAGE) --digest-file=$(results.IMAGE_DIGEST.path)')).toEqual(['kaniko:push']);
    expect(actions('/kaniko/executor --no-push --tarPath=/w/image.tar')).toEqual(['kaniko:build']);
    expect(actions('ko build ./cmd/app')).toEqual(['ko:push']);
    expect(actions('ko build --push=false ./cmd/app')).toEqual(['ko:build']);
    expect(actions('crane push image.tar $IMG')).toEqual(['crane:push']);
    expect(actions('skopeo copy docker://a docker://b')).toEqual(['skopeo:push']);
    expect(actions('skopeo copy --multi-arch=all "$(params.srcImageURL)" "$(params.destImageURL)" --src-tls-verify=true')).toEqual(['skopeo:push']);
    expect(actions('gradle jib --stacktrace -Djib.to.image=x')).toEqual(['jib:push']);
    expect(actions('mvn -B -Djib.to.image=x compile com.google.cloud.tools:jib-maven-plugin:build')).toEqual(['jib:push']);
    expect(actions('./mvnw jib:dockerBuild')).toEqual(['jib:build']);
    expect(actions('if docker push x; then echo ok; fi')).toEqual(['docker:push']);
    expect(actions('sudo -E buildah push x')).toEqual([]); // flags of sudo are not skipped: conservative
    expect(actions('DOCKER_BUILDKIT=1 docker build .')).toEqual(['docker:build']);
    expect(actions('sh -c "docker push x"')).toEqual(['docker:push']);
    expect(actions('buildah push img oci:/workspace/out')).toEqual(['buildah:build']);
  });
  it('ignores lookalikes', () => {
    for (const s of [
      'docker run --rm alpine echo hi',
      'buildah --version',
      'buildah images',
      'echo "docker push x"',
      '# docker push x',
      'podman pull x',
      'skopeo copy docker://gcr.io/x dir:///tmp/',
      'skopeo inspect docker://x',
      'crane digest x',
      'ko version',
      'gradle test',
      'mvn package',
      'cat Dockerfile | grep "docker build"',
      'kubectl apply -f deploy.yaml',
      'git push origin main',
      'helm push chart.tgz oci://x',
      'dockerfile-lint Dockerfile',
      'echo docker build',
    ]) {
      expect(actions(s), s).toEqual([]);
    }
  });
  it('skips non-shell scripts', () => {
    expect(actions('#!/usr/bin/env python3\nimport os\nos.system("docker push x")')).toEqual([]);
    expect(actions('#!/bin/bash\ndocker push x')).toEqual(['docker:push']);
  });
});

describe('containerSignals', () => {
  it('reads command/args and image entrypoints', () => {
    expect(containerSignals({ image: 'gcr.io/kaniko-project/executor:v1.23.2', script: null, command: [], args: ['--destination=x'] })[0]).toMatchObject({ tool: 'kaniko', action: 'push' });
    expect(containerSignals({ image: 'buildpacksio/lifecycle', script: null, command: ['/cnb/lifecycle/creator'], args: ['-app=/w', '$(params.APP_IMAGE)'] })[0]).toMatchObject({ action: 'push' });
    expect(containerSignals({ image: 'alpine', script: null, command: ['/bin/sh', '-c'], args: ['docker build .'] })[0]).toMatchObject({ tool: 'docker', action: 'build' });
    expect(containerSignals({ image: 'gcr.io/go-containerregistry/crane', script: null, command: [], args: ['digest', 'x'] })).toEqual([]);
    expect(containerSignals({ image: 'quay.io/buildah/stable', script: null, command: ['buildah'], args: ['--version'] })).toEqual([]);
    expect(containerSignals({ image: 'docker:dind', script: null, command: [], args: [] })).toEqual([]);
  });
});

describe('signableResults', () => {
  it('recognizes the Chains type hints', () => {
    expect(signableResults([{ name: 'IMAGE_URL' }, { name: 'IMAGE_DIGEST' }]).signable).toEqual(['IMAGE_URL+IMAGE_DIGEST']);
    expect(signableResults([{ name: 'APP_IMAGE_URL' }, { name: 'APP_IMAGE_DIGEST' }]).signable).toHaveLength(1);
    expect(signableResults([{ name: 'IMAGES' }]).signable).toEqual(['IMAGES']);
    expect(signableResults([{ name: 'BUILD_ARTIFACT_OUTPUTS' }]).signable).toEqual(['BUILD_ARTIFACT_OUTPUTS']);
  });
  it('rejects near misses', () => {
    expect(signableResults([{ name: 'IMAGE_URL' }]).halfPairs).toEqual(['IMAGE_URL without IMAGE_DIGEST']);
    expect(signableResults([{ name: 'APP_IMAGE_URL' }, { name: 'IMAGE_DIGEST' }]).signable).toEqual([]);
    expect(signableResults([{ name: 'BASE_IMAGES' }, { name: 'image_url' }, { name: 'image_digest' }]).signable).toEqual([]);
    expect(signableResults([{ name: 'ARTIFACT_URI' }, { name: 'ARTIFACT_DIGEST' }]).provenanceOnly).toHaveLength(1);
  });
});

describe('command substitutions', () => {
  it('sees commands inside $(…) but not Tekton references', () => {
    expect(actions('REF="$(ko build --bare --platform=linux/amd64 "$MAIN_PACKAGE")"\nprintf "%s" "${REF%@*}" > "$(results.IMAGE_URL.path)"')).toEqual(['ko:push']);
    expect(actions('DIGEST=$(crane digest $(params.IMAGE))')).toEqual([]);
    expect(actions('echo $((1 + 2))')).toEqual([]);
    expect(shellCommands('echo "$(params.x)"')).toEqual([['echo', '$(params.x)']]);
  });
});

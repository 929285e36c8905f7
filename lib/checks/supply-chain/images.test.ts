import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { digestOfImageID, fullName, isSha256Digest, paramName, parseImage, registryAllowed } from './images';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImage', () => {
  it('defaults to docker.io/library for a bare name', () => {
    expect(parseImage('alpine')).toMatchObject({ registry: 'docker.io', repository: 'library/alpine', tag: null, digest: null, pinned: false, valid: true });
  });
  it('keeps docker.io user repositories without library/', () => {
    expect(parseImage('golangci/golangci-lint:v1.62')).toMatchObject({ registry: 'docker.io', repository: 'golangci/golangci-lint', tag: 'v1.62' });
  });
  it('recognises library/ and docker.io aliases', () => {
    expect(fullName(parseImage('library/alpine:3'))).toBe('docker.io/library/alpine');
    expect(fullName(parseImage('docker.io/alpine'))).toBe('docker.io/library/alpine');
    expect(fullName(parseImage('index.docker.io/library/alpine'))).toBe('docker.io/library/alpine');
  });
  it('reads a registry host with a port, and localhost', () => {
    expect(parseImage('localhost:5000/x')).toMatchObject({ registry: 'localhost:5000', repository: 'x', tag: null });
    expect(parseImage('localhost:5000/team/x:1.2')).toMatchObject({ registry: 'localhost:5000', repository: 'team/x', tag: '1.2' });
    expect(parseImage('localhost/x')).toMatchObject({ registry: 'localhost', repository: 'x' });
    expect(parseImage('registry.example.com:8443/a/b')).toMatchObject({ registry: 'registry.example.com:8443', repository: 'a/b', tag: null });
  });
  it('reads digests, with or without a tag', () => {
    expect(parseImage(`gcr.io/distroless/static@${D}`)).toMatchObject({ registry: 'gcr.io', repository: 'distroless/static', tag: null, digest: D, pinned: true });
    expect(parseImage(`quay.io/konflux-ci/buildah-task:latest@${D}`)).toMatchObject({ tag: 'latest', digest: D, pinned: true });
    expect(parseImage(`localhost:5000/x:1@${D}`)).toMatchObject({ registry: 'localhost:5000', repository: 'x', tag: '1', pinned: true });
  });
  it('does not count short or non-sha256 digests as pinned', () => {
    expect(parseImage('gcr.io/x@sha256:abc123').pinned).toBe(false);
    expect(parseImage(`gcr.io/x@sha512:${'a'.repeat(128)}`).pinned).toBe(false);
    expect(isSha256Digest(D.toUpperCase())).toBe(false);
  });
  it('flags malformed references', () => {
    expect(parseImage('').valid).toBe(false);
    expect(parseImage('a b').valid).toBe(false);
    expect(parseImage('alpine:').valid).toBe(false);
    expect(parseImage('gcr.io//x').valid).toBe(false);
  });
  it('never throws and is fast on hostile input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => {
      const p = parseImage(s);
      expect(typeof p.registry).toBe('string');
    }));
    const t = Date.now();
    parseImage(`${'a/'.repeat(50_000)}:${'x'.repeat(50_000)}@`);
    expect(Date.now() - t).toBeLessThan(500);
  });
});

describe('registryAllowed', () => {
  it('matches hosts and path prefixes on segment boundaries', () => {
    expect(registryAllowed(parseImage('ghcr.io/acme/tool:1'), ['ghcr.io'])).toBe('ghcr.io');
    expect(registryAllowed(parseImage('ghcr.io/acme/tool:1'), ['ghcr.io/acme/'])).toBe('ghcr.io/acme/');
    expect(registryAllowed(parseImage('ghcr.io/acme/tool:1'), ['ghcr.io/acme'])).toBe('ghcr.io/acme');
    expect(registryAllowed(parseImage('ghcr.io/acme-evil/tool:1'), ['ghcr.io/acme'])).toBeNull();
    expect(registryAllowed(parseImage('ghcr.io.evil.com/acme/tool'), ['ghcr.io'])).toBeNull();
  });
  it('treats docker.io defaults and hosts case-insensitively', () => {
    expect(registryAllowed(parseImage('alpine'), ['docker.io/library'])).not.toBeNull();
    expect(registryAllowed(parseImage('alpine'), ['index.docker.io'])).not.toBeNull();
    expect(registryAllowed(parseImage('bitnami/kubectl'), ['docker.io/library'])).toBeNull();
    expect(registryAllowed(parseImage('GHCR.IO/acme/x'), ['https://ghcr.io/'])).not.toBeNull();
  });
  it('matches registries with ports', () => {
    expect(registryAllowed(parseImage('localhost:5000/x'), ['localhost:5000'])).not.toBeNull();
    expect(registryAllowed(parseImage('localhost:5001/x'), ['localhost:5000'])).toBeNull();
  });
});

describe('paramName and digestOfImageID', () => {
  it('reads param expressions', () => {
    expect(paramName('params.builderImage')).toBe('builderImage');
    expect(paramName('params["dind-image"]')).toBe('dind-image');
    expect(paramName("params['a.b']")).toBe('a.b');
    expect(paramName('inputs.params.x')).toBe('x');
    expect(paramName('tasks.build.results.IMAGE')).toBeNull();
    expect(paramName('context.taskRun.name')).toBeNull();
  });
  it('extracts the digest from imageIDs', () => {
    expect(digestOfImageID(`docker-pullable://golang@${D}`)).toBe(D);
    expect(digestOfImageID(`docker.io/library/golang@${D}`)).toBe(D);
    expect(digestOfImageID(D)).toBe(D);
    expect(digestOfImageID('golang:1.23')).toBeNull();
    expect(digestOfImageID(null)).toBeNull();
  });
});

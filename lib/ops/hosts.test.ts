import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_HOSTS, hostName, isAllowedHost, isSameOrigin, parseAllowedHosts } from './hosts';

describe('isAllowedHost (DNS rebinding)', () => {
  const allowed = parseAllowedHosts(undefined);

  it('serves localhost and IP literals by default', () => {
    expect(allowed).toEqual(DEFAULT_ALLOWED_HOSTS);
    for (const h of ['localhost:3000', 'LOCALHOST', '127.0.0.1:3000', '[::1]:3000', '10.244.0.17:3000', 'localhost.']) {
      expect(isAllowedHost(h, allowed), h).toBe(true);
    }
  });

  it('refuses a rebinding domain, a missing Host and garbage', () => {
    for (const h of [null, '', 'evil.example:3000', 'localhost.evil.example', '127.0.0.1.nip.io', '999.1.1.1', 'a b', '[zz]']) {
      expect(isAllowedHost(h, allowed), String(h)).toBe(false);
    }
  });

  it('takes configured names and subdomain wildcards', () => {
    const list = parseAllowedHosts(' posture.example.com, *.svc.cluster.local ,');
    expect(isAllowedHost('posture.example.com', list)).toBe(true);
    expect(isAllowedHost('tekton-posture.ci.svc.cluster.local:80', list)).toBe(true);
    expect(isAllowedHost('svc.cluster.local', list)).toBe(false);
    expect(isAllowedHost('localhost', list)).toBe(false);
    expect(isAllowedHost('evilposture.example.com', list)).toBe(false);
  });

  it('parses host names', () => {
    expect(hostName('Example.COM:443')).toBe('example.com');
    expect(hostName('[::1]:80')).toBe('[::1]');
    expect(hostName('x/y')).toBeNull();
  });
});

describe('isSameOrigin', () => {
  it('accepts no Origin and the same host, refuses any other site or an opaque origin', () => {
    expect(isSameOrigin(null, 'localhost:3000')).toBe(true);
    expect(isSameOrigin('http://localhost:3000', 'localhost:3000')).toBe(true);
    expect(isSameOrigin('https://posture.example.com', 'posture.example.com')).toBe(true);
    expect(isSameOrigin('http://evil.example', 'localhost:3000')).toBe(false);
    expect(isSameOrigin('http://localhost:3001', 'localhost:3000')).toBe(false);
    expect(isSameOrigin('null', 'localhost:3000')).toBe(false);
    expect(isSameOrigin('http://localhost:3000', null)).toBe(false);
  });
});

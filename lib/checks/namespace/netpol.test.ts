import { describe, expect, it } from 'vitest';
import { makeObject } from '../../model/load';
import { allowsAllEgress, isEgressPolicy, selects } from './netpol';

const np = (spec: Record<string, unknown>) => makeObject({ kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'ci' }, spec }, 'NetworkPolicy', 'networking.k8s.io/v1', 'p', {});
const pod = { 'app.kubernetes.io/managed-by': 'tekton-pipelines', 'tekton.dev/pipeline': 'build', 'tekton.dev/pipelineTask': 'test' };

describe('NetworkPolicy helpers', () => {
  it('recognises egress policies', () => {
    expect(isEgressPolicy(np({ policyTypes: ['Ingress', 'Egress'] }))).toBe(true);
    expect(isEgressPolicy(np({ egress: [] }))).toBe(true);
    expect(isEgressPolicy(np({ ingress: [{}] }))).toBe(false);
    expect(isEgressPolicy(np({ policyTypes: ['Ingress'], egress: [{}] }))).toBe(false);
  });
  it('finds allow-all rules', () => {
    expect(allowsAllEgress(np({ egress: [{}] }))).toBe(0);
    expect(allowsAllEgress(np({ egress: [{ to: [{ podSelector: {} }] }, { to: [] }] }))).toBe(1);
    expect(allowsAllEgress(np({ egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }))).toBe(0);
    expect(allowsAllEgress(np({ egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }] }))).toBeNull();
    expect(allowsAllEgress(np({ egress: [{ ports: [{ port: 443 }] }] }))).toBeNull();
    expect(allowsAllEgress(np({ egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }] }))).toBeNull();
    expect(allowsAllEgress(np({}))).toBeNull();
  });
  it('counts a rule to anywhere on every port as all egress, whatever the ports field spells', () => {
    const anywhere = [{ ipBlock: { cidr: '0.0.0.0/0' } }];
    expect(allowsAllEgress(np({ egress: [{ to: anywhere, ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }] }] }))).toBe(0);
    expect(allowsAllEgress(np({ egress: [{ ports: [{}] }] }))).toBe(0);
    expect(allowsAllEgress(np({ egress: [{ to: [{ ipBlock: { cidr: '::/0' } }], ports: [{ port: 1, endPort: 65535 }] }] }))).toBe(0);
    expect(allowsAllEgress(np({ egress: [{ to: anywhere, ports: [{ port: 1, endPort: 1024 }] }, { to: anywhere, ports: [{ port: 1025, endPort: 65535 }] }] }))).toBe(1);
    expect(allowsAllEgress(np({ egress: [{ to: anywhere, ports: [{ protocol: 'UDP', port: 1, endPort: 65535 }] }] }))).toBe(0);
  });
  it('keeps a rule to anywhere on a few ports, or every port of only some destinations, as restricted', () => {
    const anywhere = [{ ipBlock: { cidr: '0.0.0.0/0' } }];
    expect(allowsAllEgress(np({ egress: [{ to: anywhere, ports: [{ port: 443 }, { protocol: 'UDP', port: 53 }] }] }))).toBeNull();
    expect(allowsAllEgress(np({ egress: [{ to: anywhere, ports: [{ port: 2, endPort: 65535 }] }] }))).toBeNull();
    expect(allowsAllEgress(np({ egress: [{ to: anywhere, ports: [{ port: 1, endPort: 65534 }] }] }))).toBeNull();
    expect(allowsAllEgress(np({ egress: [{ to: anywhere, ports: [{ protocol: 'SCTP' }] }] }))).toBeNull();
    expect(allowsAllEgress(np({ egress: [{ to: anywhere, ports: [{ port: 'https' }] }] }))).toBeNull();
    expect(allowsAllEgress(np({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }] }] }))).toBeNull();
    expect(allowsAllEgress(np({ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 1, endPort: 32767 }] }, { to: anywhere, ports: [{ port: 32768, endPort: 65535 }] }] }))).toBeNull();
    expect(allowsAllEgress(np({ egress: [{ to: anywhere, ports: [{ port: 1, endPort: 'x' }, null, 7] }] }))).toBeNull();
  });
  it('evaluates selectors against known pod labels', () => {
    expect(selects({}, pod)).toBe(true);
    expect(selects({ matchLabels: { 'tekton.dev/pipeline': 'build' } }, pod)).toBe(true);
    expect(selects({ matchLabels: { 'tekton.dev/pipeline': 'other' } }, pod)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tekton.dev/pipelineTask', operator: 'In', values: ['test', 'lint'] }] }, pod)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'app.kubernetes.io/managed-by', operator: 'Exists' }] }, pod)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tekton.dev/pipeline', operator: 'NotIn', values: ['x'] }] }, pod)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'unknown/key', operator: 'DoesNotExist' }] }, pod)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'team', operator: 'In', values: ['a'] }] }, pod)).toBe(false);
  });
});

/**
 * On a real apiserver, `helm install` (here `helm template --dry-run=server`, which runs the same lookups) restricts
 * the NetworkPolicy's API-server egress to the addresses of the `kubernetes` Service's endpoints, not any address.
 */
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDevCluster, type DevCluster } from '../server/testing/cluster';
import { helm, helmBinary } from './render';

let cluster: DevCluster;
beforeAll(async () => {
  cluster = await ensureDevCluster();
}, 60 * 60_000);

describe('chart NetworkPolicy on a real cluster', () => {
  it('allows the API server’s own endpoint addresses only', () => {
    const out = helm(helmBinary(), ['template', 'tp', 'deploy/chart', '--namespace', 'tekton-posture', '--dry-run=server', '--kubeconfig', cluster.adminKubeconfig]);
    const np = (yaml.loadAll(out) as { kind?: string; spec?: { egress: { to?: { ipBlock?: { cidr: string } }[]; ports: { port: number }[] }[] } }[]).find((o) => o?.kind === 'NetworkPolicy')!;
    const api = np.spec!.egress.find((e) => e.ports.some((p) => p.port === 443))!;
    const cidrs = (api.to ?? []).map((t) => t.ipBlock?.cidr);
    expect(cidrs.length).toBeGreaterThan(0);
    expect(cidrs).not.toContain('0.0.0.0/0');
    for (const c of cidrs) expect(c).toMatch(/^\d+\.\d+\.\d+\.\d+\/32$|:.*\/128$/);
  });
});

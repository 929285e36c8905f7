/**
 * End-to-end check of the dev cluster: up -> seed -> the viewer reads runs with their status -> the viewer's RBAC
 * forbids Secrets and writes -> the audit log proves the viewer only read.
 *
 * Forbidden probes are sent as `posture-probe`, a second token identity bound to exactly the same ClusterRole /
 * Roles as `posture-viewer`, so that assertReadOnly on posture-viewer stays strict (no exclusions needed).
 */
import { resolve } from 'node:path';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { Kube } from '../../scripts/dev-cluster/kube';
import { assertReadOnly, auditEvents, ensureDevCluster, seedDir, waitForAuditEvent, type DevCluster } from './cluster';

const NS = 'posture-itest';
let cluster: DevCluster;

describe('dev cluster', () => {
  beforeAll(async () => {
    cluster = await ensureDevCluster();
    const r = await seedDir(resolve(import.meta.dirname, 'testdata/dev-cluster'));
    expect(r.created + r.updated).toBe(4);
    expect(r.statusPatched).toBe(1);
  }, 60 * 60_000); // a cold first run builds kube-apiserver + etcd

  it('the viewer lists PipelineRuns with their status (client-node, token kubeconfig)', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(cluster.viewerKubeconfig);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const list = (await custom.listNamespacedCustomObject({ group: 'tekton.dev', version: 'v1', namespace: NS, plural: 'pipelineruns' })) as {
      items: { metadata: { name: string }; spec: { pipelineRef: { name: string } }; status?: { conditions?: { type: string; status: string }[] } }[];
    };
    const run = list.items.find((i) => i.metadata.name === 'build-run-1');
    expect(run?.spec.pipelineRef.name).toBe('build');
    expect(run?.status?.conditions?.[0]).toMatchObject({ type: 'Succeeded', status: 'True' });
    // v1beta1 is served from the same storage (conversion None).
    const beta = (await custom.listClusterCustomObject({ group: 'tekton.dev', version: 'v1beta1', plural: 'pipelines' })) as { items: unknown[] };
    expect(beta.items.length).toBeGreaterThan(0);
    // ConfigMaps are readable in the Tekton namespaces only.
    const viewer = new Kube(cluster.viewerKubeconfig);
    expect((await viewer.request('GET', '/api/v1/namespaces/tekton-pipelines/configmaps')).status).toBe(200);
    expect((await viewer.request('GET', `/api/v1/namespaces/${NS}/configmaps`)).status).toBe(403);
    viewer.close();
  });

  it('the viewer role forbids secrets and writes (probed as posture-probe, same RBAC)', async () => {
    const probe = new Kube(cluster.probeKubeconfig);
    expect((await probe.request('GET', `/api/v1/namespaces/${NS}/secrets`)).status).toBe(403);
    expect((await probe.request('GET', '/api/v1/secrets')).status).toBe(403);
    const create = await probe.request('POST', `/apis/tekton.dev/v1/namespaces/${NS}/pipelines`, {
      apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'evil' }, spec: { tasks: [] },
    });
    expect(create.status).toBe(403);
    probe.close();
    // The admin does see the seeded Secret: the 403s above are RBAC, not missing data.
    const admin = new Kube(cluster.adminKubeconfig);
    expect((await admin.request('GET', `/api/v1/namespaces/${NS}/secrets/registry-creds`)).status).toBe(200);
    admin.close();
    await waitForAuditEvent((e) => e.user?.username === 'posture-probe' && e.verb === 'create' && e.responseStatus?.code === 403, { users: ['posture-probe'] });
  });

  it('the audit log shows posture-viewer only read, and the check is not vacuous', async () => {
    await waitForAuditEvent((e) => e.user?.username === 'posture-viewer' && e.verb === 'list', { users: ['posture-viewer'] });
    const events = assertReadOnly(cluster.auditLog, ['posture-viewer']);
    expect(events.some((e) => e.objectRef?.resource === 'pipelineruns')).toBe(true);
    // and the assertion does catch the probe's forbidden attempts:
    expect(() => assertReadOnly(cluster.auditLog, ['posture-probe'])).toThrow(/non-read requests|secrets|vacuously/);
    expect(auditEvents(cluster.auditLog, ['posture-admin']).some((e) => e.verb === 'create')).toBe(true);
  });
});

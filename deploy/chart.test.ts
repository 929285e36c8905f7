/**
 * Golden and policy tests for the Helm chart, rendered with a real helm v3 (scripts/helm.sh builds it on first
 * use through the Go module proxy: a few minutes on a fresh machine, then cached under ~/.cache/tekton-posture).
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { KINDS, readOnlyRules } from '../lib/kinds';
import { countByKind, processMetrics, renderMetrics } from '../lib/ops/metrics';
import { parsePolicy } from '../lib/policy/parse';
import { loadDemo } from '../server/sources/demo';
import { scan } from '../lib/engine/scan';
import { defaultPolicy } from '../lib/policy/defaults';
import { MANIFESTS_FILE, helm, helmBinary, manifestsText, rbacRules } from './render';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
};
type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; nonResourceURLs?: string[]; resourceNames?: string[] };

const READ = ['get', 'list', 'watch'];
const NS = 'tekton-posture';
const CONFIG_NAMESPACES = rbacRules().configNamespaces.map((e) => e.namespace);
const TEAM = ['team-a', 'team-b'];

let H = '';
function template(...args: string[]): Obj[] {
  const out = helm(H, ['template', 'tekton-posture', 'deploy/chart', '--namespace', NS, ...args]);
  return (yaml.loadAll(out) as (Obj | null)[]).filter((o): o is Obj => !!o);
}
function fails(cmd: string[]): string {
  try {
    helm(H, cmd);
  } catch (e) {
    const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    return `${stdout}\n${stderr}`; // helm lint reports on stdout, template on stderr
  }
  throw new Error(`helm ${cmd.join(' ')} succeeded but should have failed`);
}
const ofKind = (objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind);
const one = (objs: Obj[], kind: string) => {
  const found = ofKind(objs, kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};

beforeAll(() => {
  H = helmBinary();
}, 15 * 60_000);

/** Policy assertions shared by every rendering. */
function assertReadOnly(objs: Obj[]) {
  const text = JSON.stringify(objs);
  expect(text).not.toMatch(/"secrets"/i);
  for (const o of objs.filter((x) => x.kind === 'Role' || x.kind === 'ClusterRole')) {
    expect(o.rules?.length, `${o.kind} ${o.metadata.name} has rules`).toBeGreaterThan(0);
    for (const r of o.rules as Rule[]) {
      for (const v of r.verbs) expect(READ, `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name} verb ${v}`).toContain(v);
      expect([...(r.apiGroups ?? []), ...(r.resources ?? []), ...r.verbs]).not.toContain('*');
      expect(r.resources ?? []).not.toContain('secrets');
      expect(r.nonResourceURLs).toBeUndefined();
      expect((r.resources ?? []).some((res) => res.includes('/'))).toBe(false); // no subresources (exec, log, proxy…)
    }
  }
  for (const b of objs.filter((x) => x.kind === 'RoleBinding' || x.kind === 'ClusterRoleBinding')) {
    expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'tekton-posture', namespace: NS }]);
    expect(b.roleRef.name).not.toMatch(/^(cluster-admin|admin|edit|view)$/);
  }
  for (const o of objs) {
    expect(o.metadata.labels?.['app.kubernetes.io/name'], `${o.kind} labels`).toBe('tekton-posture');
    expect(o.metadata.labels?.['app.kubernetes.io/instance']).toBe('tekton-posture');
    expect(o.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
  }
}

function assertHardenedDeployment(objs: Obj[]) {
  const d = one(objs, 'Deployment');
  expect(d.metadata.namespace).toBe(NS);
  expect(d.spec.replicas).toBe(1);
  const pod = d.spec.template.spec;
  expect(pod.automountServiceAccountToken).toBe(true);
  expect(pod.serviceAccountName).toBe(one(objs, 'ServiceAccount').metadata.name);
  expect(pod.hostNetwork ?? false).toBe(false);
  expect(pod.hostPID ?? false).toBe(false);
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
  expect(d.spec.template.metadata.annotations['checksum/config']).toMatch(/^[a-f0-9]{64}$/);
  const containers = [...(pod.initContainers ?? []), ...pod.containers];
  expect(containers.length).toBeGreaterThan(0);
  for (const c of containers) {
    const sc = c.securityContext;
    expect(sc, c.name).toMatchObject({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(sc.privileged ?? false).toBe(false);
    expect(sc.capabilities.drop).toEqual(['ALL']);
    expect(sc.capabilities.add).toBeUndefined();
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  }
  const [c] = pod.containers;
  expect(c.imagePullPolicy).toBe('IfNotPresent');
  expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
  expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
  expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
  const env = Object.fromEntries((c.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
  expect(env).toMatchObject({ POSTURE_SOURCE: 'live', NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'info', POSTURE_POLICY: '/etc/tekton-posture/policy.yaml', PORT: '3000' });
  // Writable paths are exactly the two emptyDirs; the policy is a read-only ConfigMap mount.
  const vols = Object.fromEntries((pod.volumes as { name: string }[]).map((v) => [v.name, v]));
  const mounts = c.volumeMounts as { name: string; mountPath: string; readOnly?: boolean }[];
  const writable = mounts.filter((m) => !m.readOnly).map((m) => m.mountPath).sort();
  expect(writable).toEqual(['/app/.next/cache', '/tmp']);
  for (const m of mounts.filter((x) => !x.readOnly)) expect(vols[m.name]).toHaveProperty('emptyDir');
  const policyMount = mounts.find((m) => m.mountPath === '/etc/tekton-posture')!;
  expect(policyMount.readOnly).toBe(true);
  expect((vols[policyMount.name] as { configMap?: { name: string } }).configMap?.name).toBe(one(objs, 'ConfigMap').metadata.name);
  return { d, c, env };
}

describe('helm chart deploy/chart', () => {
  it('passes helm lint --strict', () => {
    const out = helm(H, ['lint', 'deploy/chart', '--strict']);
    expect(out).toMatch(/0 chart\(s\) failed/);
    const monitoring = ['--set', 'metrics.serviceMonitor.enabled=true', '--set', 'metrics.prometheusRule.enabled=true', '--set', 'metrics.grafanaDashboard.enabled=true'];
    expect(helm(H, ['lint', 'deploy/chart', '--strict', ...monitoring])).toMatch(/0 chart\(s\) failed/);
  });

  describe('default values (scope: cluster)', () => {
    let objs: Obj[] = [];
    beforeAll(() => {
      objs = template();
    });

    it('renders the expected objects', () => {
      const kinds = objs.map((o) => o.kind).sort();
      expect([...new Set(kinds)]).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'LimitRange', 'NetworkPolicy', 'ResourceQuota', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
      expect(ofKind(objs, 'Ingress')).toHaveLength(0);
      expect(one(objs, 'ServiceAccount').automountServiceAccountToken).toBe(true);
    });

    it('is read-only everywhere', () => assertReadOnly(objs));

    it('grants the ClusterRole exactly readOnlyRules() and binds it to the ServiceAccount', () => {
      const cr = one(objs, 'ClusterRole');
      expect(cr.metadata.name).toBe('tekton-posture-readonly');
      expect(cr.rules).toEqual(readOnlyRules());
      const crb = one(objs, 'ClusterRoleBinding');
      expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'tekton-posture-readonly' });
    });

    it('reads ConfigMaps only through Roles in the Tekton config namespaces', () => {
      const roles = ofKind(objs, 'Role');
      expect(roles.map((r) => r.metadata.namespace).sort()).toEqual([...CONFIG_NAMESPACES].sort());
      for (const r of roles) expect(r.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: READ }]);
      const bindings = ofKind(objs, 'RoleBinding');
      expect(bindings.map((b) => `${b.metadata.namespace}/${b.roleRef.name}`).sort()).toEqual(roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`).sort());
      const cm = KINDS.find((k) => k.plural === 'configmaps')!;
      expect(CONFIG_NAMESPACES).toEqual(cm.onlyNamespaces);
    });

    it('runs a hardened Deployment', () => {
      const { c, env } = assertHardenedDeployment(objs);
      expect(c.image).toBe('ghcr.io/tekton-posture/tekton-posture:0.1.0');
      expect(env.POSTURE_NAMESPACES).toBeUndefined();
    });

    it('exposes a ClusterIP Service on port http 80 -> 3000', () => {
      const svc = one(objs, 'Service');
      expect(svc.metadata.name).toBe('tekton-posture');
      expect(svc.spec.type).toBe('ClusterIP');
      expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
      expect(svc.spec.selector).toEqual(one(objs, 'Deployment').spec.selector.matchLabels);
    });

    it('restricts traffic with a NetworkPolicy: in on 3000 only, out to DNS and the API server only', () => {
      const np = one(objs, 'NetworkPolicy');
      expect(np.spec.podSelector.matchLabels).toEqual(one(objs, 'Deployment').spec.selector.matchLabels);
      expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(np.spec.ingress).toEqual([{ from: [{ podSelector: {} }], ports: [{ port: 3000, protocol: 'TCP' }] }]);
      const egressPorts = (np.spec.egress as { ports: { port: number; protocol: string }[] }[]).flatMap((e) => e.ports.map((p) => p.port));
      expect([...new Set(egressPorts)].sort()).toEqual([443, 53, 6443]);
      for (const e of np.spec.egress) {
        expect(e.ports?.length, 'every egress rule names its ports').toBeGreaterThan(0);
        if (e.ports.some((p: { port: number }) => p.port !== 53)) {
          expect(e.ports).toEqual([{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }]);
          expect(e.to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
        } else {
          // DNS goes to the cluster DNS pods only, not to any host on port 53.
          expect(e.to).toEqual([
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
          ]);
        }
      }
    });

    it('gives its own namespace a ResourceQuota and container-default LimitRange (NSG-003, NSG-004)', () => {
      expect(one(objs, 'ResourceQuota').spec.hard).toMatchObject({ pods: '4', 'limits.memory': '2Gi' });
      expect(one(objs, 'LimitRange').spec.limits).toEqual([{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }]);
      const off = template('--set', 'resourceQuota.enabled=false', '--set', 'limitRange.enabled=false');
      expect(ofKind(off, 'ResourceQuota')).toHaveLength(0);
      expect(ofKind(off, 'LimitRange')).toHaveLength(0);
    });

    it('answers only to its own host names (DNS-rebinding defence)', () => {
      const env = one(objs, 'Deployment').spec.template.spec.containers[0].env as { name: string; value: string }[];
      const hosts = env.find((e) => e.name === 'POSTURE_ALLOWED_HOSTS')?.value.split(',');
      expect(hosts).toEqual(expect.arrayContaining(['localhost', 'tekton-posture', 'tekton-posture.tekton-posture.svc', 'tekton-posture.tekton-posture.svc.cluster.local']));
      const withIngress = template('--set', 'ingress.enabled=true', '--set', 'allowedHosts={extra.example.com}');
      const env2 = one(withIngress, 'Deployment').spec.template.spec.containers[0].env as { name: string; value: string }[];
      expect(env2.find((e) => e.name === 'POSTURE_ALLOWED_HOSTS')?.value.split(',')).toEqual(expect.arrayContaining(['tekton-posture.example.com', 'extra.example.com']));
    });

    it('ships a policy ConfigMap the app accepts', () => {
      const cm = one(objs, 'ConfigMap');
      const text = cm.data['policy.yaml'];
      expect(yaml.load(text)).toEqual({ trustedRegistries: [], recentRuns: 5 });
      expect(parsePolicy(text).recentRuns).toBe(5);
    });
  });

  describe('scope: namespaces', () => {
    let objs: Obj[] = [];
    beforeAll(() => {
      objs = template('--set', 'scope=namespaces', '--set', `namespaces={${TEAM.join(',')}}`);
    });

    it('has nothing cluster-wide', () => {
      expect(ofKind(objs, 'ClusterRoleBinding')).toHaveLength(0);
      expect(ofKind(objs, 'ClusterRole')).toHaveLength(0);
    });

    it('is read-only everywhere', () => assertReadOnly(objs));

    it('creates Roles only in the listed namespaces (namespaced kinds) and the Tekton config namespaces', () => {
      const roles = ofKind(objs, 'Role');
      expect(roles.map((r) => r.metadata.namespace).sort()).toEqual([...TEAM, ...CONFIG_NAMESPACES].sort());
      for (const r of roles.filter((x) => TEAM.includes(x.metadata.namespace!))) {
        expect(r.rules).toEqual(rbacRules().namespacedRules);
        for (const rule of r.rules as Rule[]) {
          for (const res of rule.resources!) {
            expect(KINDS.find((k) => k.plural === res && k.group === rule.apiGroups![0])?.namespaced, res).toBe(true);
          }
        }
      }
      const bindings = ofKind(objs, 'RoleBinding');
      expect(bindings.map((b) => `${b.metadata.namespace}/${b.roleRef.kind}/${b.roleRef.name}`).sort())
        .toEqual(roles.map((r) => `${r.metadata.namespace}/Role/${r.metadata.name}`).sort());
    });

    it('tells the app its namespaces', () => {
      const { env } = assertHardenedDeployment(objs);
      expect(env.POSTURE_NAMESPACES).toBe('team-a,team-b');
    });
  });

  describe('options', () => {
    it('pins the image by digest when image.digest is set', () => {
      const digest = `sha256:${'a'.repeat(64)}`;
      const d = one(template('--set', `image.digest=${digest}`, '--set', 'image.tag=9.9.9'), 'Deployment');
      expect(d.spec.template.spec.containers[0].image).toBe(`ghcr.io/tekton-posture/tekton-posture@${digest}`);
    });

    it('rolls the pod when the policy changes (checksum/config)', () => {
      const sum = (objs: Obj[]) => one(objs, 'Deployment').spec.template.metadata.annotations['checksum/config'];
      expect(sum(template('--set', 'policy.recentRuns=10'))).not.toBe(sum(template()));
    });

    it('renders an optional Ingress, and lets the NetworkPolicy admit the ingress controller', () => {
      const objs = template(
        '--set', 'ingress.enabled=true', '--set', 'ingress.className=nginx',
        '--set', 'networkPolicy.ingressNamespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=ingress-nginx',
        '--set', 'networkPolicy.apiServerCIDR=10.0.0.1/32',
      );
      const ing = one(objs, 'Ingress');
      expect(ing.spec.ingressClassName).toBe('nginx');
      expect(ing.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'tekton-posture', port: { number: 80 } } });
      const np = one(objs, 'NetworkPolicy');
      expect(np.spec.ingress[0].from).toEqual([
        { podSelector: {} },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      ]);
      expect(np.spec.ingress[0].ports).toEqual([{ port: 3000, protocol: 'TCP' }]);
      expect(np.spec.egress[1].to).toEqual([{ ipBlock: { cidr: '10.0.0.1/32' } }]);
    });

    it('can send the Ingress to an authenticating proxy Service', () => {
      const ing = one(template('--set', 'ingress.enabled=true', '--set', 'ingress.backend.serviceName=oauth2-proxy', '--set', 'ingress.backend.servicePort=4180'), 'Ingress');
      expect(ing.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'oauth2-proxy', port: { number: 4180 } } });
    });

    it('skips the config Role of a Tekton namespace that does not exist', () => {
      const roles = ofKind(template('--set', 'rbac.tektonConfig.excludeNamespaces={tekton-chains}'), 'Role');
      expect(roles.map((r) => r.metadata.namespace)).not.toContain('tekton-chains');
      expect(ofKind(template('--set', 'rbac.tektonConfig.enabled=false'), 'Role')).toHaveLength(0);
    });
  });

  describe('monitoring (metrics.*)', () => {
    const all = () => template('--set', 'metrics.serviceMonitor.enabled=true', '--set', 'metrics.prometheusRule.enabled=true', '--set', 'metrics.grafanaDashboard.enabled=true');

    it('renders nothing by default, and a ServiceMonitor, alert rules and a sidecar-labelled dashboard when asked', () => {
      const none = template();
      for (const k of ['ServiceMonitor', 'PrometheusRule']) expect(ofKind(none, k)).toHaveLength(0);
      const objs = all();
      const sm = one(objs, 'ServiceMonitor');
      expect(sm.spec.selector.matchLabels).toEqual(one(objs, 'Service').spec.selector);
      expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }]);
      const alerts = one(objs, 'PrometheusRule').spec.groups[0].rules.map((r: { alert: string }) => r.alert);
      expect(alerts).toEqual(['TektonPostureGradeDropped', 'TektonPostureCriticalFailAppeared', 'TektonPostureDataStale']);
      const dash = ofKind(objs, 'ConfigMap').find((c) => c.metadata.name.endsWith('-dashboard'))!;
      expect(dash.metadata.labels?.grafana_dashboard).toBe('1');
      expect(JSON.parse(dash.data['tekton-posture.json']).uid).toBe('tekton-posture');
    });

    it('queries only metrics the dashboard exposes (alert rules and every Grafana panel)', async () => {
      const objs = all();
      const exprs: string[] = one(objs, 'PrometheusRule').spec.groups[0].rules.map((r: { expr: string }) => r.expr);
      const dash = JSON.parse(ofKind(objs, 'ConfigMap').find((c) => c.metadata.name.endsWith('-dashboard'))!.data['tekton-posture.json']);
      for (const p of dash.panels) for (const t of p.targets) exprs.push(t.expr);
      const { model, report } = scan({ objects: loadDemo().objects, policy: defaultPolicy(), source: { kind: 'demo' } });
      // The chart always runs the live source: its live-only series (watch restarts, event age) exist there.
      const live = { objectsByKind: countByKind(model.objects), watchRestarts: 0, lastEventAt: new Date().toISOString(), rescans: { full: 1, incremental: 0, lastMs: 10 } };
      const text = await renderMetrics({ report, ready: true, stale: false, objectsByKind: live.objectsByKind, live, now: Date.now() }, processMetrics());
      const families = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap((m) => (m[2] === 'histogram' ? [`${m[1]}_bucket`, `${m[1]}_sum`, `${m[1]}_count`] : [m[1]])));
      const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:tekton_posture|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1])));
      expect(used.size).toBeGreaterThan(10);
      expect([...used].filter((n) => !families.has(n))).toEqual([]);
    });
  });

  describe('values.schema.json', () => {
    it('rejects an unknown top-level key (template and lint)', () => {
      expect(fails(['template', 'x', 'deploy/chart', '--set', 'bogus=1'])).toMatch(/additional properties 'bogus' not allowed/);
      expect(fails(['lint', 'deploy/chart', '--set', 'bogus=1'])).toMatch(/bogus/);
    });

    it('rejects unknown nested keys, bad digests, bad scopes, and scope: namespaces without namespaces', () => {
      expect(fails(['template', 'x', 'deploy/chart', '--set', 'networkPolicy.allowAll=true'])).toMatch(/allowAll/);
      expect(fails(['template', 'x', 'deploy/chart', '--set', 'image.digest=latest'])).toMatch(/digest/);
      expect(fails(['template', 'x', 'deploy/chart', '--set', 'scope=everything'])).toMatch(/scope/);
      expect(fails(['template', 'x', 'deploy/chart', '--set', 'scope=namespaces'])).toMatch(/namespaces/);
      expect(fails(['template', 'x', 'deploy/chart', '--set', 'policy.recentRuns=0'])).toMatch(/recentRuns/);
      expect(fails(['template', 'x', 'deploy/chart', '--set', 'extraEnv[0].name=POSTURE_SOURCE', '--set', 'extraEnv[0].value=demo'])).toMatch(/extraEnv/);
    });
  });

  describe('deploy/manifests.yaml', () => {
    it('is up to date with the chart (regenerate: npx tsx deploy/render.ts)', () => {
      expect(readFileSync(MANIFESTS_FILE, 'utf8')).toBe(manifestsText(H));
    });

    it('creates the namespace with Pod Security "restricted" and is read-only', () => {
      const objs = (yaml.loadAll(readFileSync(MANIFESTS_FILE, 'utf8')) as (Obj | null)[]).filter((o): o is Obj => !!o);
      const ns = one(objs, 'Namespace');
      expect(ns.metadata.name).toBe(NS);
      expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      const rest = objs.filter((o) => o.kind !== 'Namespace');
      assertReadOnly(rest);
      assertHardenedDeployment(rest);
    });
  });
});

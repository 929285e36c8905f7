/**
 * Minimal Kubernetes client for the dev cluster: plain node:https with a keep-alive agent, token or client-cert
 * auth from a kubeconfig. Used by dev-cluster.sh (install CRDs + RBAC, seed) and importable from TS tests/benchmarks.
 *
 *   tsx scripts/dev-cluster/kube.ts install KUBECONFIG CRD_DIR   CRDs (wait Established) + read-only RBAC
 *   tsx scripts/dev-cluster/kube.ts seed KUBECONFIG PATH...       create every object found under PATH (files/dirs)
 *   tsx scripts/dev-cluster/kube.ts apply KUBECONFIG PATH...      server-side apply every object found under PATH
 *
 * Exports: loadKubeconfig, Kube, loadObjects, seedObjects, seedPaths, applyObjects, waitCrdsEstablished.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- untyped kubeconfig and API JSON */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import yaml from 'js-yaml';

export type KObj = {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [k: string]: unknown };
  status?: unknown;
  [k: string]: unknown;
};

export interface KubeTarget { server: string; ca?: Buffer; token?: string; cert?: Buffer; key?: Buffer; insecure?: boolean }

/** Reads the current context of a kubeconfig (token or client-cert users, *-data or file paths). */
export function loadKubeconfig(path: string): KubeTarget {
  const kc = yaml.load(readFileSync(path, 'utf8')) as any;
  const ctxName = kc['current-context'];
  const ctx = (kc.contexts ?? []).find((c: any) => c.name === ctxName)?.context ?? kc.contexts?.[0]?.context;
  if (!ctx) throw new Error(`${path}: no context`);
  const cluster = (kc.clusters ?? []).find((c: any) => c.name === ctx.cluster)?.cluster;
  const user = (kc.users ?? []).find((u: any) => u.name === ctx.user)?.user ?? {};
  if (!cluster) throw new Error(`${path}: no cluster ${ctx.cluster}`);
  const bytes = (data?: string, file?: string) =>
    data ? Buffer.from(data, 'base64') : file ? readFileSync(file) : undefined;
  return {
    server: String(cluster.server).replace(/\/$/, ''),
    ca: bytes(cluster['certificate-authority-data'], cluster['certificate-authority']),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    token: user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined),
    cert: bytes(user['client-certificate-data'], user['client-certificate']),
    key: bytes(user['client-key-data'], user['client-key']),
  };
}

export interface KubeResponse<T = any> { status: number; body: T; text: string }

export class Kube {
  readonly target: KubeTarget;
  private readonly agent: https.Agent;
  constructor(target: KubeTarget | string, maxSockets = 16) {
    this.target = typeof target === 'string' ? loadKubeconfig(target) : target;
    this.agent = new https.Agent({
      keepAlive: true, maxSockets, ca: this.target.ca, cert: this.target.cert, key: this.target.key,
      rejectUnauthorized: !this.target.insecure,
    });
  }

  request<T = any>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse<T>> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`;
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = https.request(`${this.target.server}${path}`, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      });
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: timeout`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Like request() but throws on a non-2xx status. */
  async must<T = any>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const r = await this.request<T>(method, path, body, contentType);
    if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
    return r.body;
  }

  close(): void { this.agent.destroy(); }
}

// ------------------------------------------------------------------------------------------ kind -> resource mapping

interface ResourceInfo { plural: string; namespaced: boolean; hasStatus: boolean }

/** Core kinds the seeder knows without discovery (status = has a /status subresource). */
const CORE: Record<string, Record<string, ResourceInfo>> = {
  v1: {
    Namespace: { plural: 'namespaces', namespaced: false, hasStatus: true },
    ServiceAccount: { plural: 'serviceaccounts', namespaced: true, hasStatus: false },
    ConfigMap: { plural: 'configmaps', namespaced: true, hasStatus: false },
    Secret: { plural: 'secrets', namespaced: true, hasStatus: false },
    ResourceQuota: { plural: 'resourcequotas', namespaced: true, hasStatus: true },
    LimitRange: { plural: 'limitranges', namespaced: true, hasStatus: false },
    PersistentVolumeClaim: { plural: 'persistentvolumeclaims', namespaced: true, hasStatus: true },
    Pod: { plural: 'pods', namespaced: true, hasStatus: true },
  },
  'rbac.authorization.k8s.io/v1': {
    Role: { plural: 'roles', namespaced: true, hasStatus: false },
    RoleBinding: { plural: 'rolebindings', namespaced: true, hasStatus: false },
    ClusterRole: { plural: 'clusterroles', namespaced: false, hasStatus: false },
    ClusterRoleBinding: { plural: 'clusterrolebindings', namespaced: false, hasStatus: false },
  },
  'networking.k8s.io/v1': { NetworkPolicy: { plural: 'networkpolicies', namespaced: true, hasStatus: false } },
  'apiextensions.k8s.io/v1': {
    CustomResourceDefinition: { plural: 'customresourcedefinitions', namespaced: false, hasStatus: true },
  },
};

class Mapper {
  private crds = new Map<string, ResourceInfo>(); // "group/version/Kind"
  private discovered = new Map<string, Promise<Map<string, ResourceInfo>>>();
  constructor(private kube: Kube) {}

  async loadCrds(): Promise<void> {
    this.crds.clear();
    this.discovered.clear();
    const list = await this.kube.must('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    for (const crd of list.items ?? []) {
      for (const v of crd.spec.versions ?? []) {
        if (!v.served) continue;
        this.crds.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, {
          plural: crd.spec.names.plural, namespaced: crd.spec.scope === 'Namespaced', hasStatus: !!v.subresources?.status,
        });
      }
    }
  }

  private discover(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    let p = this.discovered.get(apiVersion);
    if (!p) {
      p = (async () => {
        const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        const r = await this.kube.request('GET', path);
        const m = new Map<string, ResourceInfo>();
        if (r.status !== 200) return m;
        const names = new Set<string>((r.body.resources ?? []).map((x: any) => x.name));
        for (const res of r.body.resources ?? []) {
          if (res.name.includes('/')) continue;
          m.set(res.kind, { plural: res.name, namespaced: res.namespaced, hasStatus: names.has(`${res.name}/status`) });
        }
        return m;
      })();
      this.discovered.set(apiVersion, p);
    }
    return p;
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const core = CORE[apiVersion]?.[kind];
    if (core) return core;
    const crd = this.crds.get(`${apiVersion}/${kind}`);
    if (crd) return crd;
    return (await this.discover(apiVersion)).get(kind);
  }
}

function collectionPath(apiVersion: string, info: ResourceInfo, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return info.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace ?? 'default')}/${info.plural}` : `${base}/${info.plural}`;
}

// ------------------------------------------------------------------------------------------------ loading files

/** Flattens `kind: List` / `*List` documents and drops empty YAML documents. */
export function flattenObjects(docs: unknown[]): KObj[] {
  const out: KObj[] = [];
  const visit = (d: any) => {
    if (!d || typeof d !== 'object') return;
    if (Array.isArray(d)) { d.forEach(visit); return; }
    if (Array.isArray(d.items) && typeof d.kind === 'string' && d.kind.endsWith('List')) { d.items.forEach(visit); return; }
    if (typeof d.kind === 'string' && typeof d.apiVersion === 'string') out.push(d as KObj);
  };
  docs.forEach(visit);
  return out;
}

/** Every object of every .yaml/.yml/.json file under the given files/directories (recursive, sorted). */
export function loadObjects(...paths: string[]): KObj[] {
  const files: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) if (!e.startsWith('.') && e !== 'node_modules') walk(join(p, e));
    } else if (/\.(ya?ml|json)$/i.test(p)) files.push(p);
  };
  paths.forEach(walk);
  const out: KObj[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    try {
      out.push(...flattenObjects(f.toLowerCase().endsWith('.json') ? [JSON.parse(text)] : yaml.loadAll(text)));
    } catch (e) {
      throw new Error(`${f}: ${(e as Error).message}`);
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ seeding

export interface SeedResult {
  created: number;
  updated: number; // already existed: server-side applied over
  statusPatched: number;
  failed: { ref: string; error: string }[];
  ms: number;
}
export interface SeedOptions { concurrency?: number; onProgress?: (done: number, total: number) => void }

const ref = (o: KObj) => `${o.apiVersion}/${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => { while (next < items.length) await fn(items[next++]); };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * Creates the objects with the kubeconfig's identity (normally the admin): namespaces (declared or referenced)
 * first, then CRDs (waits until Established), then everything else with `concurrency` parallel requests over
 * keep-alive. An object that already exists is server-side applied over (force). `status` is written through the
 * /status subresource when the resource has one (create drops it), else it is part of the create.
 */
export async function seedObjects(kubeconfig: string | Kube, objects: KObj[], opts: SeedOptions = {}): Promise<SeedResult> {
  const t0 = Date.now();
  const kube = typeof kubeconfig === 'string' ? new Kube(kubeconfig, opts.concurrency ?? 16) : kubeconfig;
  const concurrency = opts.concurrency ?? 16;
  const mapper = new Mapper(kube);
  await mapper.loadCrds();
  const res: SeedResult = { created: 0, updated: 0, statusPatched: 0, failed: [], ms: 0 };
  let done = 0;

  const one = async (o: KObj) => {
    try {
      if (!o.metadata?.name) throw new Error('metadata.name is required (generateName is not supported)');
      const info = await mapper.resolve(o.apiVersion, o.kind);
      if (!info) throw new Error(`unknown kind ${o.kind} in ${o.apiVersion} (CRD missing?)`);
      const coll = collectionPath(o.apiVersion, info, o.metadata.namespace);
      const item = `${coll}/${encodeURIComponent(o.metadata.name)}`;
      const { status, ...rest } = o;
      const body: KObj = { ...rest, metadata: { ...o.metadata } };
      delete body.metadata.resourceVersion;
      delete body.metadata.uid;
      delete body.metadata.creationTimestamp;
      delete body.metadata.managedFields;
      if (info.namespaced) body.metadata.namespace = o.metadata.namespace ?? 'default';
      else delete body.metadata.namespace;
      if (status !== undefined && !info.hasStatus) body.status = status;
      let r = await kube.request('POST', coll, body);
      if (r.status === 409) {
        r = await kube.request('PATCH', `${item}?fieldManager=tekton-posture-seed&force=true`, body, 'application/apply-patch+yaml');
        if (r.status >= 300) throw new Error(`apply: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
        res.updated++;
      } else if (r.status >= 300) {
        throw new Error(`create: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
      } else res.created++;
      if (status !== undefined && info.hasStatus) {
        const s = await kube.request('PATCH', `${item}/status`, { status }, 'application/merge-patch+json');
        if (s.status >= 300) throw new Error(`status: HTTP ${s.status}: ${s.text.slice(0, 300)}`);
        res.statusPatched++;
      }
    } catch (e) {
      res.failed.push({ ref: ref(o), error: (e as Error).message });
    } finally {
      opts.onProgress?.(++done, objects.length);
    }
  };

  // Phase 1: namespaces, declared ones plus those referenced by namespaced objects.
  const nsObjs = objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Namespace');
  const declared = new Set(nsObjs.map((o) => o.metadata.name));
  const referenced = new Set<string>();
  for (const o of objects) if (o.metadata?.namespace && !declared.has(o.metadata.namespace)) referenced.add(o.metadata.namespace);
  await pool([...referenced], concurrency, async (ns) => {
    const r = await kube.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    if (r.status >= 300 && r.status !== 409) res.failed.push({ ref: `v1/Namespace ${ns}`, error: `HTTP ${r.status}: ${r.text.slice(0, 300)}` });
  });
  await pool(nsObjs, concurrency, one);
  // Phase 2: CRDs, then refresh the kind mapping.
  const crdObjs = objects.filter((o) => o.kind === 'CustomResourceDefinition' && o.apiVersion.startsWith('apiextensions.k8s.io/'));
  if (crdObjs.length) {
    await pool(crdObjs, concurrency, one);
    await waitCrdsEstablished(kube, crdObjs.map((o) => o.metadata.name!));
    await mapper.loadCrds();
  }
  // Phase 3: everything else (cluster-scoped RBAC before bindings does not matter: RBAC objects are plain data).
  const rest = objects.filter((o) => !nsObjs.includes(o) && !crdObjs.includes(o));
  await pool(rest, concurrency, one);

  res.ms = Date.now() - t0;
  if (typeof kubeconfig === 'string') kube.close();
  return res;
}

/** seedObjects(kubeconfig, loadObjects(...paths)). */
export function seedPaths(kubeconfig: string, paths: string[], opts?: SeedOptions): Promise<SeedResult> {
  return seedObjects(kubeconfig, loadObjects(...paths), opts);
}

/** Server-side apply (idempotent create-or-update), sequential, with field manager tekton-posture-dev-cluster. */
export async function applyObjects(kube: Kube, objects: KObj[]): Promise<void> {
  const mapper = new Mapper(kube);
  await mapper.loadCrds();
  for (const o of objects) {
    const info = await mapper.resolve(o.apiVersion, o.kind);
    if (!info) throw new Error(`unknown kind ${o.kind} in ${o.apiVersion}`);
    const item = `${collectionPath(o.apiVersion, info, o.metadata.namespace)}/${encodeURIComponent(o.metadata.name!)}`;
    await kube.must('PATCH', `${item}?fieldManager=tekton-posture-dev-cluster&force=true`, o, 'application/apply-patch+yaml');
  }
}

/** Polls until every named CRD has condition Established=True. */
export async function waitCrdsEstablished(kube: Kube, names: string[], timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  const pending = new Set(names);
  while (pending.size) {
    for (const n of [...pending]) {
      const r = await kube.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${n}`);
      if (r.status === 200 && (r.body.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True')) pending.delete(n);
    }
    if (!pending.size) break;
    if (Date.now() > end) throw new Error(`CRDs not Established after ${timeoutMs} ms: ${[...pending].join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Installs the CRDs of crdDir (wait Established) and the read-only RBAC rendered from lib/kinds.ts. */
export async function install(kubeconfig: string, crdDir: string): Promise<void> {
  const kube = new Kube(kubeconfig);
  try {
    const crds = loadObjects(crdDir);
    await applyObjects(kube, crds);
    await waitCrdsEstablished(kube, crds.map((c) => c.metadata.name!));
    // Discovery of the new groups can lag Established by a moment: wait until each group-version is served.
    for (const gv of new Set(crds.flatMap((c: any) => c.spec.versions.map((v: any) => `${c.spec.group}/${v.name}`)))) {
      const end = Date.now() + 30_000;
      while ((await kube.request('GET', `/apis/${gv}`)).status !== 200) {
        if (Date.now() > end) throw new Error(`${gv} not served`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const { renderRbac } = await import('./render-rbac');
    await applyObjects(kube, renderRbac() as KObj[]);
    console.error(`[dev-cluster] installed ${crds.length} CRDs (Established) and read-only RBAC`);
  } finally {
    kube.close();
  }
}

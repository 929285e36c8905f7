/**
 * Integration-test helpers for the dev cluster (real etcd + kube-apiserver on 127.0.0.1, see
 * scripts/dev-cluster/dev-cluster.sh). Start it once per run, isolate tests by namespace; the cluster is left
 * running for the next run (`npm run dev-cluster -- down` stops it).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadObjects, seedObjects, type KObj, type SeedOptions, type SeedResult } from '../../scripts/dev-cluster/kube';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface DevCluster {
  server: string; // https://127.0.0.1:<port>
  stateDir: string;
  caFile: string;
  adminKubeconfig: string; // posture-admin, group system:masters
  viewerKubeconfig: string; // posture-viewer, bound to ClusterRole tekton-posture-readonly (+ ConfigMap Roles)
  probeKubeconfig: string; // posture-probe: same RBAC as the viewer, for forbidden-write probes
  auditLog: string; // JSON lines, every request at Metadata level
  etcdEndpoint: string;
}

let upPromise: Promise<DevCluster> | undefined;

function stateDir(): string {
  return process.env.DEV_CLUSTER_STATE ?? resolve(REPO_ROOT, '.dev-cluster');
}

/** The paths of the dev cluster `up` last wrote (its state dir's cluster.json), without starting anything. */
export function devClusterInfo(): DevCluster {
  return JSON.parse(readFileSync(resolve(stateDir(), 'cluster.json'), 'utf8')) as DevCluster;
}

/** Runs `dev-cluster.sh up` (idempotent; a cold first run builds the binaries: minutes) and returns the paths. */
export function ensureDevCluster(): Promise<DevCluster> {
  upPromise ??= new Promise<DevCluster>((res, rej) => {
    const p = spawn('bash', [resolve(REPO_ROOT, 'scripts/dev-cluster/dev-cluster.sh'), 'up'], {
      cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'],
    });
    p.on('error', rej);
    p.on('exit', (code) => {
      if (code !== 0) return rej(new Error(`dev-cluster up exited with ${code}`));
      res(devClusterInfo());
    });
  });
  return upPromise;
}

/** Seeds every object of every YAML/JSON file under dir (recursively) with the admin identity. */
export async function seedDir(dir: string, opts?: SeedOptions): Promise<SeedResult> {
  return seedAll(loadObjects(dir), opts);
}

/** Seeds objects with the admin identity; throws if any failed. */
export async function seedAll(objects: KObj[], opts?: SeedOptions): Promise<SeedResult> {
  const c = await ensureDevCluster();
  const r = await seedObjects(c.adminKubeconfig, objects, opts);
  if (r.failed.length) {
    throw new Error(`seeding failed for ${r.failed.length} objects:\n${r.failed.slice(0, 20).map((f) => `${f.ref}: ${f.error}`).join('\n')}`);
  }
  return r;
}

export interface AuditEvent {
  auditID: string;
  stage: string;
  verb: string;
  requestURI: string;
  user?: { username?: string; groups?: string[] };
  impersonatedUser?: { username?: string };
  objectRef?: { apiGroup?: string; apiVersion?: string; resource?: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
}

/** Parses the audit log (JSON lines); optionally only events of the given users. Tolerates a half-written last line. */
export function auditEvents(auditLog?: string, users?: Iterable<string>): AuditEvent[] {
  const file = auditLog ?? resolve(stateDir(), 'audit.log');
  if (!existsSync(file)) return [];
  const only = users ? new Set(users) : undefined;
  const out: AuditEvent[] = [];
  const needles = only ? [...only].map((u) => `"username":${JSON.stringify(u)}`) : undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line || (needles && !needles.some((n) => line.includes(n)))) continue; // cheap pre-filter on big logs
    let e: AuditEvent;
    try { e = JSON.parse(line) as AuditEvent; } catch { continue; }
    if (!only || only.has(e.user?.username ?? '')) out.push(e);
  }
  return out;
}

/** Polls the audit log until some event matches (the apiserver writes ResponseComplete as the handler finishes). */
export async function waitForAuditEvent(
  pred: (e: AuditEvent) => boolean, opts: { auditLog?: string; timeoutMs?: number; users?: Iterable<string> } = {},
): Promise<AuditEvent> {
  const end = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const hit = auditEvents(opts.auditLog, opts.users).find(pred); // `users` pre-filters big logs
    if (hit) return hit;
    if (Date.now() > end) throw new Error('expected audit event did not appear');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const READ_VERBS = new Set(['get', 'list', 'watch']);
/** Creates an app may legitimately issue: access reviews (group authorization.k8s.io). */
export const ALLOWED_CREATES = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews']);

export interface AssertReadOnlyOptions {
  /** Ignore events matching this predicate (e.g. ones before a test started). */
  exclude?: (e: AuditEvent) => boolean;
}

/**
 * Asserts from the audit log that `users` (default: posture-viewer) only read:
 *  - every verb is get/list/watch, except `create` on selfsubjectaccessreviews/selfsubjectrulesreviews;
 *  - no request at all touches resource `secrets`;
 *  - at least one list or watch exists, so the check cannot pass vacuously.
 * Returns the events checked.
 */
export function assertReadOnly(auditLog?: string, users: Iterable<string> = ['posture-viewer'], opts: AssertReadOnlyOptions = {}): AuditEvent[] {
  const events = auditEvents(auditLog, users).filter((e) => !opts.exclude?.(e));
  const describe = (e: AuditEvent) => `${e.user?.username} ${e.verb} ${e.requestURI} -> ${e.responseStatus?.code}`;
  const writes = events.filter((e) => !READ_VERBS.has(e.verb) && !(
    e.verb === 'create' && e.objectRef?.apiGroup === 'authorization.k8s.io' && ALLOWED_CREATES.has(e.objectRef.resource ?? '')));
  if (writes.length) throw new Error(`non-read requests in the audit log:\n${[...new Set(writes.map(describe))].join('\n')}`);
  const secrets = events.filter((e) => e.objectRef?.resource === 'secrets');
  if (secrets.length) throw new Error(`requests on secrets in the audit log:\n${[...new Set(secrets.map(describe))].join('\n')}`);
  if (!events.some((e) => e.verb === 'list' || e.verb === 'watch')) {
    throw new Error(`no list/watch from ${[...users].join(', ')} in the audit log: the read-only check would pass vacuously`);
  }
  return events;
}

/** Stops the cluster (apiserver, etcd) and removes its etcd data. */
export function stopDevCluster(): Promise<void> {
  upPromise = undefined;
  return new Promise((res, rej) => {
    const p = spawn('bash', [resolve(REPO_ROOT, 'scripts/dev-cluster/dev-cluster.sh'), 'down'], { cwd: REPO_ROOT, stdio: 'inherit' });
    p.on('error', rej);
    p.on('exit', (code) => (code === 0 ? res() : rej(new Error(`dev-cluster down exited with ${code}`))));
  });
}

/**
 * Checks, before any connection, that `--live` has a kubeconfig and context to use, so a mistake reads as what it
 * is ("context prod is not in ~/.kube/config") instead of a client stack trace or a silent fallback to another
 * context. Mirrors where client-node looks: --kubeconfig, else KUBECONFIG (a path list), else ~/.kube/config, else
 * the in-cluster service account.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import yaml from 'js-yaml';

export class KubeconfigError extends Error {}

interface Kubeconfig {
  contexts: string[];
  currentContext: string | null;
}

function read(file: string): Kubeconfig {
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(file, 'utf8'), { json: true });
  } catch (e) {
    throw new KubeconfigError(`kubeconfig ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const d = (doc ?? {}) as { contexts?: { name?: unknown }[]; 'current-context'?: unknown };
  return {
    contexts: (Array.isArray(d.contexts) ? d.contexts : []).map((c) => (typeof c?.name === 'string' ? c.name : '')).filter(Boolean),
    currentContext: typeof d['current-context'] === 'string' && d['current-context'] !== '' ? d['current-context'] : null,
  };
}

function inCluster(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST) && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
}

/** Throws a KubeconfigError that says what is wrong; returns the files it checked (empty when in-cluster). */
export function checkKubeconfig(opts: { kubeconfig?: string; context?: string; env: NodeJS.ProcessEnv; home?: string }): string[] {
  let files: string[];
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) throw new KubeconfigError(`kubeconfig ${opts.kubeconfig} (--kubeconfig) does not exist`);
    files = [opts.kubeconfig];
  } else if (opts.env.KUBECONFIG) {
    const listed = opts.env.KUBECONFIG.split(delimiter).filter(Boolean);
    files = listed.filter((f) => existsSync(f));
    if (files.length === 0) throw new KubeconfigError(`KUBECONFIG names ${listed.join(', ')}, which does not exist`);
  } else {
    const fallback = join(opts.home ?? homedir(), '.kube', 'config');
    if (!existsSync(fallback)) {
      if (inCluster(opts.env)) {
        if (opts.context) throw new KubeconfigError('--context needs a kubeconfig; inside a cluster the service account is used');
        return [];
      }
      throw new KubeconfigError(`no kubeconfig: set KUBECONFIG, pass --kubeconfig FILE, or run inside a cluster (${fallback} does not exist)`);
    }
    files = [fallback];
  }
  const configs = files.map(read);
  const contexts = [...new Set(configs.flatMap((c) => c.contexts))];
  const list = contexts.length > 0 ? contexts.join(', ') : 'none';
  if (opts.context) {
    if (!contexts.includes(opts.context)) throw new KubeconfigError(`context "${opts.context}" is not in ${files.join(', ')} (its contexts: ${list})`);
  } else {
    const current = configs.find((c) => c.currentContext)?.currentContext ?? null;
    if (!current) throw new KubeconfigError(`${files.join(', ')} sets no current-context: pass --context NAME (its contexts: ${list})`);
    if (!contexts.includes(current)) throw new KubeconfigError(`the current-context "${current}" of ${files.join(', ')} is not one of its contexts (${list})`);
  }
  return files;
}

import 'server-only';
import { KubeError, loadKubeConfig, ReadOnlyKubeClient } from './kube-client';

/**
 * Whether a cluster answers: a kubeconfig (or in-cluster account) loads and a one-item LIST of namespaces returns
 * within the timeout. A 403 still means a cluster is there (the source then reports the gap).
 */
export async function clusterReachable(timeoutMs = 3000): Promise<boolean> {
  let client: ReadOnlyKubeClient;
  try {
    client = new ReadOnlyKubeClient(loadKubeConfig({ kubeconfig: process.env.POSTURE_KUBECONFIG || undefined, context: process.env.POSTURE_CONTEXT || undefined }));
  } catch {
    return false;
  }
  const probe = client.listPage('/api/v1/namespaces', 1, null).then(
    () => true,
    (e: unknown) => e instanceof KubeError && e.reason === 'forbidden',
  );
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  return Promise.race([probe, timeout]);
}

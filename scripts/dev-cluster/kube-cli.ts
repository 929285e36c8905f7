/**
 * Command line of the dev cluster's admin client (scripts/dev-cluster/kube.ts), used by dev-cluster.sh:
 *   tsx kube-cli.ts install KUBECONFIG CRD_DIR | seed KUBECONFIG PATH... | apply KUBECONFIG PATH...
 * Kept apart so importing the client (tests, benchmarks, bundles) never runs a command.
 */
import { applyObjects, install, Kube, loadObjects, seedObjects } from './kube';

async function main(argv: string[]): Promise<number> {
  const [cmd, kubeconfig, ...paths] = argv;
  if (cmd === 'install' && kubeconfig && paths[0]) { await install(kubeconfig, paths[0]); return 0; }
  if (cmd === 'apply' && kubeconfig && paths.length) {
    const kube = new Kube(kubeconfig);
    await applyObjects(kube, loadObjects(...paths));
    kube.close();
    return 0;
  }
  if (cmd === 'seed' && kubeconfig && paths.length) {
    const objects = loadObjects(...paths);
    const r = await seedObjects(kubeconfig, objects, {
      concurrency: Number(process.env.SEED_CONCURRENCY ?? 16),
      onProgress: (d, t) => { if (d % 1000 === 0) console.error(`[seed] ${d}/${t}`); },
    });
    for (const f of r.failed.slice(0, 50)) console.error(`[seed] FAILED ${f.ref}: ${f.error}`);
    if (r.failed.length > 50) console.error(`[seed] ... and ${r.failed.length - 50} more failures`);
    console.error(`[seed] ${objects.length} objects: ${r.created} created, ${r.updated} already existed (applied), `
      + `${r.statusPatched} status written, ${r.failed.length} failed, in ${(r.ms / 1000).toFixed(1)} s`
      + ` (${Math.round(objects.length / Math.max(r.ms / 1000, 0.001))} obj/s)`);
    return r.failed.length ? 1 : 0;
  }
  console.error('usage: kube-cli.ts install KUBECONFIG CRD_DIR | seed KUBECONFIG PATH... | apply KUBECONFIG PATH...');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);

import type { TaskRunModel } from '../lib/model/types';

/** Step and sidecar images of a TaskRun: the image asked for (spec) and the digest the node resolved (status imageID). */
export function TaskRunSteps({ tr }: { tr: TaskRunModel }) {
  const specSteps = tr.taskSpec?.steps ?? [];
  const specSidecars = tr.taskSpec?.sidecars ?? [];
  const rows: { role: string; name: string; image: string | null; imageID: string | null }[] = [];
  const seen = new Set<string>();
  for (const s of specSteps) {
    const st = tr.steps.find((x) => x.name === s.name || x.container === `step-${s.name}`);
    rows.push({ role: 'step', name: s.name, image: s.image, imageID: st?.imageID ?? null });
    if (st) seen.add(st.name);
  }
  for (const st of tr.steps) if (!seen.has(st.name)) rows.push({ role: 'step', name: st.name, image: null, imageID: st.imageID });
  for (const s of specSidecars) {
    const st = tr.sidecars.find((x) => x.name === s.name || x.container === `sidecar-${s.name}`);
    rows.push({ role: 'sidecar', name: s.name, image: s.image, imageID: st?.imageID ?? null });
  }
  if (rows.length === 0) return <p className="text-xs text-zinc-600 dark:text-zinc-400">No steps in sight (no task spec in the TaskRun status).</p>;
  return (
    <div tabIndex={0} className="overflow-x-auto"><table className="data-table">
      <caption className="sr-only">Steps of TaskRun {tr.name}: image and resolved digest</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Image (spec)</th>
          <th scope="col">Resolved digest (status imageID)</th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, 100).map((r, i) => {
          const pinned = r.image?.includes('@sha256:');
          return (
            <tr key={i}>
              <td className="text-xs [overflow-wrap:anywhere]">
                {r.name}
                {r.role === 'sidecar' ? <span className="ml-1 text-zinc-600 dark:text-zinc-400">(sidecar)</span> : null}
              </td>
              <td className="font-mono text-xs [overflow-wrap:anywhere]">
                {r.image ?? <span className="text-zinc-500 dark:text-zinc-400">—</span>}
                {r.image ? (
                  <span className={`ml-2 font-sans text-[11px] ${pinned ? 'text-emerald-700 dark:text-emerald-300' : 'text-amber-700 dark:text-amber-300'}`}>
                    {pinned ? '✓ pinned' : '! tag only'}
                  </span>
                ) : null}
              </td>
              <td className="font-mono text-xs [overflow-wrap:anywhere]">{r.imageID ?? <span className="font-sans text-zinc-500 dark:text-zinc-400">not reported</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table></div>
  );
}

import type { CredentialReach, Evidence } from '../../model/types';
import type { PipelineCheck } from '../types';
import { allTasks, capEvidence, taskOwner, evidenceAt, gapMessage, gapsFor, notApplicable, pass, plural, unknown, unresolvedTasks, warn } from '../util';
import { isWritableBinding, laterTasks, reachOf, sameFiles } from './bindings';

const VIA: Record<CredentialReach['credentials'][number]['via'], string> = {
  workspace: 'Secret workspace',
  projected: 'projected Secret workspace',
  env: 'secretKeyRef env',
  envFrom: 'envFrom Secret',
  volume: 'Secret volume',
  'creds-init': 'creds-init Secret of its service account',
};

export const WSP_002: PipelineCheck = {
  id: 'WSP-002',
  title: 'No credential hand-off through shared volumes',
  category: 'workspaces',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'A task that holds a credential can write it, on purpose or by accident (a `.docker/config.json`, a `.git-credentials`, a debug dump), into a ' +
    'writable workspace that a later task also mounts. The later task, which may run the repository\'s code, then reads the credential without ever being given it.',
  remediation: [
    'Keep credential-holding tasks off the writable workspaces later tasks read, or give them a read-only mount or a separate subPath:',
    '```yaml',
    '# Task side: the credential task only reads the source',
    'workspaces:',
    '- name: source',
    '  readOnly: true',
    '```',
    'Where a task must write outputs, write them to a dedicated workspace (or `subPath`) that no user-code task mounts, and pass small values as results.',
  ].join('\n'),
  source: 'tekton-isolation-workspaces-rbac (adversary 2, workspace data leakage between tasks)',
  // A ServiceAccount gap hides creds-init secrets only: weighed inside (a warn still stands, a pass does not).
  needs: ['Task'],
  evaluate({ pipeline, cluster }) {
    if (!pipeline.spec) return unknown('The pipeline spec is not in sight.');
    const spec = pipeline.spec;
    const reach = reachOf(pipeline, cluster);
    const tasks = new Map(allTasks(pipeline).map((t) => [t.name, t]));
    type Task = NonNullable<ReturnType<typeof tasks.get>>;
    /** The writable workspaces of `a` that a later task mounts (same files), with those later tasks. */
    const handOffs = (a: Task, r: CredentialReach) => {
      const later = laterTasks(pipeline, a.name);
      const out: { workspace: CredentialReach['workspaces'][number]; sharers: Task[] }[] = [];
      for (const w of r.workspaces) {
        if (w.readOnly || !isWritableBinding(w.binding)) continue;
        const mountA = a.workspaces.find((m) => m.workspace === w.workspace);
        const sharers = [...later]
          .map((n) => tasks.get(n))
          .filter((b): b is Task => !!b && b.workspaces.some((m) => m.workspace === w.workspace && sameFiles(mountA?.subPath ?? null, m.subPath)));
        if (sharers.length > 0) out.push({ workspace: w, sharers });
      }
      return out;
    };
    const evidence: Evidence[] = [];
    const findings: string[] = [];
    /** Hand-offs that happen only if a Secret whose metadata is not in sight is a creds-init credential. */
    const possible: { task: string; secrets: string[]; workspace: string; readers: string[]; evidence: Evidence[] }[] = [];
    let holders = 0;
    let possibleHolders = 0;
    for (const r of reach) {
      const a = tasks.get(r.task);
      if (r.credentials.length === 0) {
        const unseen = r.possibleCredsInit ?? [];
        if (unseen.length === 0 || !a) continue;
        possibleHolders++;
        for (const { workspace: w, sharers } of handOffs(a, r)) {
          const i = a.workspaces.findIndex((m) => m.workspace === w.workspace);
          possible.push({
            task: a.name,
            secrets: unseen.map((c) => c.secretName),
            workspace: w.workspace,
            readers: sharers.map((b) => b.name),
            evidence: [
              evidenceAt(taskOwner(pipeline, a), `${a.path}.workspaces[${i}]`, `${w.workspace} (${w.binding}, writable)`),
              ...unseen.slice(0, 3).map((c) => ({ kind: 'ServiceAccount', namespace: pipeline.namespace, name: r.serviceAccountName, path: c.path, value: c.secretName }) as Evidence),
            ],
          });
        }
        continue;
      }
      holders++;
      if (!a) continue;
      const cred = r.credentials[0];
      for (const { workspace: w, sharers } of handOffs(a, r)) {
        findings.push(`task "${a.name}" holds ${cred.secretName ? `"${cred.secretName}"` : 'a credential'} (${VIA[cred.via]}) and writes to workspace "${w.workspace}", which ${sharers.map((b) => `"${b.name}"`).join(', ')} mount${sharers.length === 1 ? 's' : ''} later`);
        evidence.push(evidenceAt(taskOwner(pipeline, a), `${a.path}.workspaces[${a.workspaces.findIndex((m) => m.workspace === w.workspace)}]`, `${w.workspace} (${w.binding}, writable)`));
        for (const b of sharers) {
          const j = b.workspaces.findIndex((m) => m.workspace === w.workspace);
          evidence.push(evidenceAt(taskOwner(pipeline, b), `${b.path}.workspaces[${j}]`, `${b.workspaces[j].name} ← ${w.workspace}`));
        }
        evidence.push(credentialEvidence(pipeline.namespace, r.serviceAccountName, taskOwner(pipeline, a), a.taskSpec?.owner ?? spec.owner, cred));
      }
    }
    const unresolved = unresolvedTasks(pipeline);
    const note = unresolved.length ? ` Credentials of ${unresolved.map((t) => `"${t.name}"`).join(', ')} are unknown (spec not in sight).` : '';
    if (findings.length > 0) return warn(`Credentials can be handed off through shared volumes: ${findings.slice(0, 5).join('; ')}.${note}`, capEvidence(evidence));
    if (possible.length > 0) {
      const why = cluster.sourceKind === 'live' ? 'the live source does not read Secrets' : 'those Secrets are not in the input';
      const first = possible[0];
      const secrets = [...new Set(possible.flatMap((p) => p.secrets))];
      return unknown(
        `The service account's secrets ${secrets.slice(0, 5).map((n) => `"${n}"`).join(', ')} may be creds-init credentials (Tekton mounts tekton.dev/git-*/docker-* Secrets into every step); ${why}. ` +
          `If they are, task "${first.task}" hands them off through writable workspace "${first.workspace}" to ${first.readers.map((n) => `"${n}"`).join(', ')}${possible.length > 1 ? ` (and ${possible.length - 1} more)` : ''}.${note}`,
        capEvidence(possible.flatMap((p) => p.evidence)),
      );
    }
    if (unresolved.length > 0) return unknown(`No hand-off seen among the tasks in sight.${note}`);
    const saGaps = gapsFor(cluster, ['ServiceAccount'], pipeline.namespace);
    if (saGaps.length > 0) return unknown(`No hand-off seen, but service accounts could not be read (${gapMessage(saGaps)}): creds-init secrets are unknown.`);
    if (holders === 0) {
      if (possibleHolders > 0) return notApplicable('No task holds a credential in sight, and tasks whose service account lists Secrets not in sight share no writable workspace with a later task.');
      return notApplicable('No task of the pipeline holds a credential.');
    }
    return pass(`The ${plural(holders, 'task')} holding credentials share no writable workspace with a later task.`);
  },
};

type Owner = Parameters<typeof evidenceAt>[0];

/** Where a credential comes from: the SA's `secrets` entry, the pipeline task's workspace, or the task spec. */
function credentialEvidence(ns: string, sa: string, pipelineOwner: Owner, taskOwner: Owner, cred: CredentialReach['credentials'][number]): Evidence {
  if (cred.via === 'creds-init') return { kind: 'ServiceAccount', namespace: ns, name: sa, path: cred.path, value: cred.secretName };
  if (cred.via === 'workspace' || cred.via === 'projected') return evidenceAt(pipelineOwner, cred.path, cred.secretName);
  return evidenceAt(taskOwner, cred.path, cred.secretName);
}

import type { Evidence, PipelineModel } from '../../model/types';
import type { PipelineCheck } from '../types';
import { collectContainers, unresolvedNote, type ContainerInfo } from '../steps/containers';
import { allTasks, capEvidence, containerEvidence, evidenceAt, fail, joinPath, notApplicable, pass, unknown, warn } from '../util';
import { buildingTasks, shellCommands } from './build-detect';
import { parseImage } from './images';

/** A result that carries a vulnerability-scan report (`SCAN_OUTPUT` as the Konflux/OpenShift UIs read, `CLAIR_SCAN_RESULT`…). */
export const SCAN_RESULT = /(^|_)SCAN_(OUTPUT|RESULTS?)$/;

const SCANNER_IMAGES = ['trivy', 'grype', 'clair', 'clair-in-ci', 'snyk', 'anchore', 'roxctl', 'stackrox', 'prisma', 'twistcli', 'neuvector', 'xray'];
const SCANNER_COMMANDS: Record<string, (sub: string[]) => boolean> = {
  trivy: (s) => ['image', 'i', 'fs', 'rootfs', 'filesystem', 'sbom', 'repo', 'repository', 'k8s'].includes(s[0] ?? ''),
  grype: () => true,
  snyk: (s) => s[0] === 'container' || s[0] === 'test',
  roxctl: (s) => s[0] === 'image' && (s[1] === 'scan' || s[1] === 'check'),
  'clair-action': () => true,
  clairctl: () => true,
  twistcli: (s) => s[0] === 'images',
};

/** A scanner step: its image is a known scanner, or its script runs one. */
function scannerOf(ci: ContainerInfo): string | null {
  const c = ci.stepAction ? ci.stepAction.step : ci.container;
  if (ci.image && !ci.image.includes('$(')) {
    const p = parseImage(ci.image);
    const hit = p.valid ? p.repository.split('/').find((seg) => SCANNER_IMAGES.some((s) => seg === s || seg.startsWith(`${s}-`))) : undefined;
    if (hit) return hit;
  }
  const commands = c.script ? shellCommands(c.script) : [[...c.command, ...c.args]];
  for (const words of commands.slice(0, 2000)) {
    const w = words.filter((x) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(x));
    const tool = (w[0] ?? '').split('/').pop() ?? '';
    const positional = w.slice(1).filter((x) => !x.startsWith('-'));
    const test = SCANNER_COMMANDS[tool];
    if (test && test(positional)) return tool;
  }
  return null;
}

/** Scan results declared by the pipeline's tasks, or reported by its recent TaskRuns. */
function scanResults(pipeline: PipelineModel): { label: string; evidence: Evidence }[] {
  const out: { label: string; evidence: Evidence }[] = [];
  for (const task of allTasks(pipeline)) {
    const spec = task.taskSpec;
    if (!spec) continue;
    spec.results.forEach((r, i) => {
      if (SCAN_RESULT.test(r.name)) out.push({ label: `task "${task.name}" result ${r.name}`, evidence: evidenceAt(spec.owner, joinPath(spec.basePath, `results[${i}]`), r.name) });
    });
  }
  for (const run of pipeline.runs) {
    for (const tr of run.taskRuns) {
      tr.results.forEach((r, i) => {
        if (SCAN_RESULT.test(r.name)) out.push({ label: `TaskRun ${tr.name} result ${r.name}`, evidence: evidenceAt(tr.object, `status.results[${i}]`, r.name) });
      });
    }
  }
  return out;
}

export const SUP_009: PipelineCheck = {
  id: 'SUP-009',
  title: 'Images scanned',
  category: 'supply-chain',
  severity: 'low',
  scope: 'pipeline',
  rationale:
    'An image built with a known critical vulnerability is signed and shipped just like a clean one unless the pipeline scans it. ' +
    'A scan task that publishes its report as a result (`SCAN_OUTPUT`) puts the verdict into the run — and into Chains provenance — where admission policies and dashboards can act on it.',
  remediation: [
    'Scan every image the pipeline builds and publish the summary as a result:',
    '```yaml',
    '- name: scan',
    '  runAfter: [build]',
    '  params: [{name: image, value: "$(tasks.build.results.IMAGE_URL)@$(tasks.build.results.IMAGE_DIGEST)"}]',
    '  taskSpec:',
    '    params: [{name: image}]',
    '    results: [{name: SCAN_OUTPUT, description: vulnerability counts (JSON)}]',
    '    steps:',
    '    - name: trivy',
    '      image: aquasec/trivy@sha256:…',
    '      env: [{name: IMAGE, value: $(params.image)}]',
    '      script: |',
    '        trivy image --format json -o /tmp/r.json "$IMAGE"',
    '        jq -c \'{vulnerabilities: ([.Results[].Vulnerabilities // []] | add | group_by(.Severity) | map({(.[0].Severity): length}) | add)}\' /tmp/r.json > "$(results.SCAN_OUTPUT.path)"',
    '```',
  ].join('\n'),
  source: 'tekton-kyverno-policies policy 5 (check Task images for vulnerabilities with a scan attestation)',
  needs: ['Task'],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const builders = buildingTasks(pipeline, cluster, pc);
    const unres = unresolvedNote(pc, cluster, pipeline.namespace);
    if (builders.length === 0) {
      if (unres) return unknown(`No visible task builds an image, but not every task can be seen: ${unres.note}`, unres.evidence);
      return notApplicable('No task builds or pushes a container image.');
    }
    const names = builders.map((b) => `"${b.task.name}"`).join(', ');
    const results = scanResults(pipeline);
    if (results.length > 0) return pass(`The pipeline builds images (${names}) and publishes a scan result (${results[0].label}).`, [results[0].evidence]);
    const scanners = pc.containers.map((ci) => ({ ci, tool: scannerOf(ci) })).filter((s) => s.tool !== null);
    if (scanners.length > 0) {
      return warn(
        `The pipeline builds images (${names}) and runs a scanner (${scanners[0].ci.label}: ${scanners[0].tool}), but no task publishes its report as a *SCAN_OUTPUT result, so the verdict is not recorded in the run or its provenance.`,
        capEvidence(scanners.map((s) => containerEvidence(s.ci.spec, s.ci.container, s.ci.container.script ? 'script' : 'image', s.tool ?? undefined))),
      );
    }
    if (unres) return unknown(`The pipeline builds images (${names}) and no visible task publishes a scan result, but not every task can be seen: ${unres.note}`, unres.evidence);
    return fail(`The pipeline builds images (${names}) but no task produces a vulnerability-scan result (e.g. SCAN_OUTPUT) for them.`, capEvidence(builders.map((b) => b.evidence)));
  },
};

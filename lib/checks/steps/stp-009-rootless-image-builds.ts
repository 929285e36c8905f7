import type { PipelineCheck } from '../types';
import type { Evidence, VolumeModel } from '../../model/types';
import { allTasks, containerEvidence, evidenceAt, joinPath } from '../util';
import { parseImage } from '../supply-chain/images';
import { allPodTemplates, collectContainers, containerImages, containerSetting, summarize, type Finding } from './containers';

/** Repository path segments of image-building tools. */
const BUILD_SEGMENTS = new Set(['buildah', 'podman', 'img', 'buildkit', 'buildkitd', 'docker', 'ko', 'lifecycle', 's2i']);
const BUILD_SEGMENT_PREFIXES = ['kaniko', 'buildah', 'buildkit', 'podman'];
const BUILD_COMMAND = /(?:^|[\s;&|(/])(?:(?:buildah|podman)\s+(?:-\S*\s+)*(?:bud|build)|docker\s+(?:-\S*\s+)*(?:image\s+)?(?:build|buildx)|kaniko\/executor|buildctl(?:-daemonless\.sh)?\s+(?:-\S*\s+)*build|img\s+build)\b/m;
const DOCKERD_LINE = /^\s*(?:exec\s+|nohup\s+)?(?:\S*\/)?dockerd(?:-entrypoint\.sh)?(?:\s|$)/m;
const RUNTIME_SOCKET = /(?:docker|containerd|crio|podman)\.sock$/;

export function isBuildImage(image: string): boolean {
  const p = parseImage(image);
  if (!p.valid) return false;
  return p.repository.split('/').some((s) => BUILD_SEGMENTS.has(s) || BUILD_SEGMENT_PREFIXES.some((pre) => s.startsWith(pre)));
}

export function isDindImage(image: string): boolean {
  const p = parseImage(image);
  if (!p.valid) return false;
  return (p.tag !== null && p.tag.includes('dind')) || p.repository.split('/').some((s) => s.includes('dind'));
}

/** Whether the container's command, args or script run the Docker daemon. */
export function runsDockerd(c: { command: string[]; args: string[]; script: string | null }): boolean {
  const argv = [...c.command, ...c.args].slice(0, 50);
  if (argv.some((a) => /^(?:\S*\/)?dockerd(?:-entrypoint\.sh)?$/.test(a))) return true;
  const text = [c.script ?? '', ...argv].join('\n').slice(0, 200_000);
  return DOCKERD_LINE.test(text);
}

export function runsBuildCommand(c: { command: string[]; args: string[]; script: string | null }): boolean {
  const text = [c.script ?? '', [...c.command, ...c.args].slice(0, 50).join(' ')].join('\n').slice(0, 200_000);
  return BUILD_COMMAND.test(text);
}

export const STP_009: PipelineCheck = {
  id: 'STP-009',
  title: 'Rootless image builds',
  category: 'steps',
  severity: 'medium',
  scope: 'pipeline',
  rationale:
    'A Docker daemon sidecar (docker-in-docker) or a privileged build container runs with full control of the node, so a malicious Dockerfile or base image becomes a node compromise. ' +
    'Rootless builders (Buildah without privileges, Kaniko, ko, Buildpacks) build the same images without a daemon or privileges, and let the namespace stay on the `restricted` profile.',
  remediation: [
    'Replace the docker-in-docker sidecar or the privileged builder with a rootless build step:',
    '```yaml',
    'steps:',
    '- name: build-and-push',
    '  image: quay.io/buildah/stable@sha256:…',
    '  script: |',
    '    buildah --storage-driver=vfs bud -t "$IMAGE" .',
    '    buildah --storage-driver=vfs push "$IMAGE"',
    '  securityContext:',
    '    privileged: false',
    '    capabilities: {add: ["SETFCAP"]}   # if needed; no privileged, no dind',
    '```',
    'Never mount the node\'s container-runtime socket (`/var/run/docker.sock`) into a step.',
  ].join('\n'),
  source: 'tekton-security-guide (Pod Security: rootless build tools); tekton-chains-provenance section 7',
  // Runs supply pod templates and param values; Task/StepAction gaps leave specs unresolved (→ unknown) inside.
  needs: ['PipelineRun'],
  evaluate({ pipeline, cluster }) {
    const pc = collectContainers(pipeline, cluster);
    const failures: Finding[] = [];
    const unknowns: Finding[] = [];
    let builders = 0;
    for (const ci of pc.containers) {
      const c = ci.stepAction ? ci.stepAction.step : ci.container;
      const r = containerImages(ci, pipeline);
      const images = r.candidates.map((x) => x.value);
      const unresolved = r.unresolved;
      const privileged = containerSetting(ci, 'privileged');
      const isPriv = privileged?.value === true;
      const dindImage = images.find(isDindImage);
      const dockerd = runsDockerd(c);
      if (dindImage || dockerd) {
        builders += 1;
        const what = dindImage ? `runs a Docker daemon (image ${dindImage})` : 'runs the Docker daemon (dockerd)';
        failures.push({ label: ci.label, note: `${what}${isPriv ? ', privileged' : ''}`, evidence: [dindImage ? ci.imageEvidence : containerEvidence(ci.spec, ci.container, c.script ? 'script' : 'args'), ...(privileged && isPriv ? [privileged.evidence] : [])] });
        continue;
      }
      const buildImage = images.find(isBuildImage);
      const buildCmd = runsBuildCommand(c);
      if (buildImage || buildCmd) {
        builders += 1;
        if (isPriv && privileged) {
          failures.push({ label: ci.label, note: `builds images${buildImage ? ` with ${buildImage}` : ''} in a privileged container`, evidence: [privileged.evidence, ci.imageEvidence] });
        }
        continue;
      }
      if (unresolved && isPriv) {
        unknowns.push({ label: ci.label, note: `privileged, and its image ${ci.image ?? ''} cannot be resolved (${unresolved}), so it may be a Docker daemon`, evidence: [ci.imageEvidence] });
      }
    }
    // The node's container-runtime socket mounted into the pod: builds through the host's daemon.
    const socketMounts: { note: string; evidence: Evidence }[] = [];
    const checkVolumes = (vols: VolumeModel[], label: string, ev: (i: number, v: VolumeModel) => Evidence): void => {
      vols.forEach((v, i) => {
        if (v.type === 'hostPath' && v.hostPath && RUNTIME_SOCKET.test(v.hostPath)) socketMounts.push({ note: `${label} mounts the node's container runtime socket ${v.hostPath}`, evidence: ev(i, v) });
      });
    };
    for (const task of allTasks(pipeline)) {
      const spec = task.taskSpec;
      if (spec) checkVolumes(spec.volumes, `task "${task.name}"`, (i, v) => evidenceAt(spec.owner, joinPath(spec.basePath, `volumes[${i}].hostPath`), v.hostPath ?? undefined));
    }
    for (const t of allPodTemplates(pipeline, cluster)) checkVolumes(t.template.volumes, t.label, (i, v) => t.evidence(`volumes[${i}].hostPath`, v.hostPath ?? undefined));
    for (const s of socketMounts) {
      builders += 1;
      failures.push({ label: 'host socket', note: s.note, evidence: [s.evidence] });
    }
    return summarize({
      pipeline,
      cluster,
      pc,
      checked: builders,
      failures,
      unknowns,
      unit: ['image-building container', 'image-building containers'],
      failVerb: ['builds through a Docker daemon or with privileges', 'build through a Docker daemon or with privileges'],
      passMessage: `The pipeline builds images without a Docker daemon or privileges (${builders === 1 ? '1 build container' : `${builders} build containers`}).`,
      naMessage: 'The pipeline builds no container images (no Docker daemon, Buildah, Kaniko, Podman, BuildKit or similar step).',
    });
  },
};

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreFindings } from '../score/score';
import { DEPLOYMENT_CHECK_IDS, evaluateWorkloadHardening, parseWorkloadYaml, WORKLOAD_CHECK_IDS } from './workloads';

const manifests = fileURLToPath(new URL('../../deploy/manifests.yaml', import.meta.url));

const BAD = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: bad, namespace: web }
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: app
          image: nginx:1.27
          ports: [{ containerPort: 80, hostPort: 8080 }]
          securityContext:
            privileged: true
            runAsUser: 0
---
apiVersion: v1
kind: Secret
metadata: { name: s, namespace: web }
data: { token: c2VjcmV0 }
`;

const GOOD_JOB = `
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly, namespace: ops }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: RuntimeDefault } }
          initContainers:
            - name: init
              image: busybox:1.36
              resources: { limits: { cpu: 100m, memory: 64Mi } }
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: [ALL] } }
          containers:
            - name: main
              image: busybox:1.36
              resources: { limits: { cpu: 100m, memory: 64Mi } }
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: [ALL] } }
`;

describe('evaluateWorkloadHardening', () => {
  it('holds the shipped Deployment (deploy/manifests.yaml) to every pod-hardening check', () => {
    const { objects, issues } = parseWorkloadYaml(readFileSync(manifests, 'utf8'), 'deploy/manifests.yaml');
    expect(issues).toEqual([]);
    const results = evaluateWorkloadHardening(objects);
    const ours = results.find((r) => r.workload === 'Deployment tekton-posture/tekton-posture');
    expect(ours, `workloads found: ${results.map((r) => r.workload).join(', ')}`).toBeDefined();
    expect(ours!.findings.map((f) => f.checkId)).toEqual([...WORKLOAD_CHECK_IDS]);
    const notPassing = ours!.findings.filter((f) => f.outcome !== 'pass').map((f) => `${f.checkId} ${f.outcome}: ${f.message}`);
    expect(notPassing).toEqual([]);
  });

  it('scores the shipped install A by its own step, supply-chain and namespace checks', () => {
    const { objects } = parseWorkloadYaml(readFileSync(manifests, 'utf8'), 'deploy/manifests.yaml');
    const ours = evaluateWorkloadHardening(objects, undefined, DEPLOYMENT_CHECK_IDS).find((r) => r.workload === 'Deployment tekton-posture/tekton-posture')!;
    expect(ours.findings.map((f) => f.checkId)).toEqual([...DEPLOYMENT_CHECK_IDS]);
    expect(ours.findings.filter((f) => f.outcome !== 'pass').map((f) => `${f.checkId} ${f.outcome}: ${f.message}`)).toEqual([]);
    const card = scoreFindings(ours.findings);
    expect(card.grade).toBe('A');
    expect(card.score).toBe(100);
  });

  it('fails a bad Deployment on STP-001, 002, 005 (and 007 for host access), with evidence inside the workload', () => {
    const { objects } = parseWorkloadYaml(BAD, 'bad.yaml');
    const secret = objects.find((o) => o.kind === 'Secret');
    expect(secret?.raw.data).toBeUndefined(); // Secrets still go through the stripping loader
    const [bad] = evaluateWorkloadHardening(objects);
    expect(bad.workload).toBe('Deployment web/bad');
    const outcome = (id: string) => bad.findings.find((f) => f.checkId === id)?.outcome;
    for (const id of ['STP-001', 'STP-002', 'STP-003', 'STP-004', 'STP-005', 'STP-006', 'STP-007', 'STP-008']) expect(outcome(id), id).toBe('fail');
    const stp005 = bad.findings.find((f) => f.checkId === 'STP-005')!;
    expect(stp005.evidence[0]).toMatchObject({ kind: 'Deployment', namespace: 'web', name: 'bad', path: 'spec.template.spec.containers[0].securityContext.privileged', file: 'bad.yaml' });
    const stp007 = bad.findings.find((f) => f.checkId === 'STP-007')!;
    expect(stp007.message).toMatch(/hostNetwork/);
    expect(stp007.message).toMatch(/host port 8080/);
  });

  it('reads CronJob pod templates, init containers included', () => {
    const { objects } = parseWorkloadYaml(GOOD_JOB);
    const [job] = evaluateWorkloadHardening(objects);
    expect(job.workload).toBe('CronJob ops/nightly');
    expect(job.findings.filter((f) => f.outcome !== 'pass').map((f) => `${f.checkId}: ${f.message}`)).toEqual([]);
    const broken = parseWorkloadYaml(GOOD_JOB.replace('allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: [ALL] } }\n          containers', 'readOnlyRootFilesystem: true, capabilities: { drop: [ALL] } }\n          containers'));
    const [j2] = evaluateWorkloadHardening(broken.objects);
    const stp002 = j2.findings.find((f) => f.checkId === 'STP-002')!;
    expect(stp002.outcome).toBe('fail');
    expect(stp002.evidence[0].path).toBe('spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation');
  });

  it('ignores non-workload kinds and namesake CRDs', () => {
    const { objects } = parseWorkloadYaml('apiVersion: example.com/v1\nkind: Deployment\nmetadata: { name: x }\nspec: {}\n');
    expect(evaluateWorkloadHardening(objects)).toEqual([]);
  });
});

/**
 * The one table of Kubernetes kinds Tekton Posture reads. It drives the live watchers (server/),
 * the read-only ClusterRole shipped in the Helm chart and used by the test apiserver, the file
 * loader's kind recognition, and the UI's "Data sources" view.
 *
 * Secrets are deliberately absent: a LIST of secrets returns their data, and the product must
 * never read Secret data.
 */
export interface KindInfo {
  kind: string;
  group: string; // '' is the core group
  version: string; // the version the live source reads
  plural: string;
  namespaced: boolean;
  /** Other apiVersions accepted when loading files (e.g. v1beta1 Tekton objects). */
  alsoAccept?: string[];
  /** Only some namespaces' objects are read (ConfigMaps: Tekton and Chains config). */
  onlyNamespaces?: string[];
  /** Only these object names matter (ConfigMaps). */
  onlyNames?: string[];
  /** Optional: a missing CRD is normal and only makes some checks unknown. */
  optional?: boolean;
  /** Runs are kept as slim projections and bounded per pipeline. */
  isRun?: boolean;
  /** The checks whose verdicts depend on this kind (a 403 or missing CRD makes them unknown). */
  feeds: string[];
}

const RBAC_CHECKS = ['IDN-003', 'IDN-004', 'IDN-005', 'IDN-006', 'IDN-007', 'IDN-008', 'IDN-009', 'IDN-010'];
const STEP_CHECKS = ['STP-001', 'STP-002', 'STP-003', 'STP-004', 'STP-005', 'STP-006', 'STP-007', 'STP-008', 'STP-009'];
const TASK_CHECKS = [...STEP_CHECKS, 'SUP-001', 'SUP-002', 'SUP-003', 'SUP-007', 'SUP-009', 'INJ-001', 'INJ-002', 'WSP-001', 'WSP-002', 'WSP-005', 'WSP-006'];

export const KINDS: readonly KindInfo[] = [
  { kind: 'Pipeline', group: 'tekton.dev', version: 'v1', plural: 'pipelines', namespaced: true, alsoAccept: ['v1beta1'], feeds: ['*'] },
  { kind: 'Task', group: 'tekton.dev', version: 'v1', plural: 'tasks', namespaced: true, alsoAccept: ['v1beta1'], feeds: TASK_CHECKS },
  { kind: 'PipelineRun', group: 'tekton.dev', version: 'v1', plural: 'pipelineruns', namespaced: true, alsoAccept: ['v1beta1'], isRun: true, feeds: ['IDN-001', 'IDN-002', 'WSP-002', 'WSP-003', 'WSP-004', 'SUP-005', 'SUP-006', 'SUP-008', 'SUP-010', 'PLT-001', 'PLT-009', 'INJ-004', ...RBAC_CHECKS] },
  { kind: 'TaskRun', group: 'tekton.dev', version: 'v1', plural: 'taskruns', namespaced: true, alsoAccept: ['v1beta1'], isRun: true, feeds: ['SUP-001', 'SUP-005', 'SUP-006', 'SUP-010', 'NSG-005', 'PLT-001'] },
  { kind: 'StepAction', group: 'tekton.dev', version: 'v1beta1', plural: 'stepactions', namespaced: true, alsoAccept: ['v1alpha1'], optional: true, feeds: STEP_CHECKS },
  { kind: 'ClusterTask', group: 'tekton.dev', version: 'v1beta1', plural: 'clustertasks', namespaced: false, optional: true, feeds: TASK_CHECKS },
  { kind: 'VerificationPolicy', group: 'tekton.dev', version: 'v1alpha1', plural: 'verificationpolicies', namespaced: true, optional: true, feeds: ['SUP-008'] },
  { kind: 'TriggerBinding', group: 'triggers.tekton.dev', version: 'v1beta1', plural: 'triggerbindings', namespaced: true, alsoAccept: ['v1alpha1'], optional: true, feeds: ['INJ-003', 'INJ-004'] },
  { kind: 'ClusterTriggerBinding', group: 'triggers.tekton.dev', version: 'v1beta1', plural: 'clustertriggerbindings', namespaced: false, alsoAccept: ['v1alpha1'], optional: true, feeds: ['INJ-003', 'INJ-004'] },
  { kind: 'TriggerTemplate', group: 'triggers.tekton.dev', version: 'v1beta1', plural: 'triggertemplates', namespaced: true, alsoAccept: ['v1alpha1'], optional: true, feeds: ['INJ-003', 'INJ-004'] },
  { kind: 'Trigger', group: 'triggers.tekton.dev', version: 'v1beta1', plural: 'triggers', namespaced: true, alsoAccept: ['v1alpha1'], optional: true, feeds: ['INJ-003', 'INJ-004'] },
  { kind: 'EventListener', group: 'triggers.tekton.dev', version: 'v1beta1', plural: 'eventlisteners', namespaced: true, alsoAccept: ['v1alpha1'], optional: true, feeds: ['INJ-003', 'INJ-004'] },
  { kind: 'ServiceAccount', group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true, feeds: ['IDN-008', 'WSP-002'] },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', namespaced: true, feeds: RBAC_CHECKS },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false, feeds: RBAC_CHECKS },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', namespaced: true, feeds: RBAC_CHECKS },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', namespaced: false, feeds: RBAC_CHECKS },
  { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces', namespaced: false, feeds: ['NSG-001'] },
  { kind: 'NetworkPolicy', group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', namespaced: true, feeds: ['NSG-002'] },
  { kind: 'ResourceQuota', group: '', version: 'v1', plural: 'resourcequotas', namespaced: true, feeds: ['NSG-003'] },
  { kind: 'LimitRange', group: '', version: 'v1', plural: 'limitranges', namespaced: true, feeds: ['NSG-004', 'STP-006'] },
  { kind: 'PersistentVolumeClaim', group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true, feeds: ['WSP-004'] },
  {
    kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps', namespaced: true,
    onlyNamespaces: ['tekton-pipelines', 'tekton-pipelines-resolvers', 'tekton-chains'],
    onlyNames: ['feature-flags', 'chains-config', 'resolvers-feature-flags', 'cluster-resolver-config', 'config-defaults'],
    // Also every check that reads config-defaults' default-pod-template, a feature flag (disable-creds-init) or chains-config.
    feeds: ['PLT-001', 'PLT-002', 'PLT-003', 'PLT-004', 'PLT-005', 'PLT-006', 'PLT-007', 'PLT-008', 'STP-001', 'STP-007', 'STP-008', 'STP-009', 'IDN-008', 'WSP-002', 'SUP-005', 'SUP-006'],
  },
];

export const READ_VERBS = ['get', 'list', 'watch'] as const;

export function kindInfo(kind: string): KindInfo | undefined {
  return KINDS.find((k) => k.kind === kind);
}

export function apiVersionOf(info: KindInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** The ClusterRole rules the dashboard needs: get/list/watch on exactly the kinds above, never Secrets. */
export function readOnlyRules(): { apiGroups: string[]; resources: string[]; verbs: string[] }[] {
  const byGroup = new Map<string, string[]>();
  for (const k of KINDS) {
    if (k.onlyNamespaces) continue; // ConfigMaps are granted by namespaced Roles only
    byGroup.set(k.group, [...(byGroup.get(k.group) ?? []), k.plural]);
  }
  return [...byGroup.entries()].map(([group, resources]) => ({ apiGroups: [group], resources, verbs: [...READ_VERBS] }));
}

import { arr, asText, bool, isObj, num, obj, objArr, str, strArr, strMap, type Obj } from './access';
import type {
  EnvFromModel,
  EnvVarModel,
  ObjectRef,
  ParamSpecModel,
  PodSecurityContextModel,
  PodTemplateModel,
  RefModel,
  ResourcesModel,
  SecurityContextModel,
  StepModel,
  ContainerRole,
  TaskSpecModel,
  VolumeModel,
  WorkspaceBindingModel,
  WorkspaceBindingType,
} from './types';

type Owner = ObjectRef & { file?: string; line?: number };

export function normalizeSecurityContext(v: unknown): SecurityContextModel | null {
  if (!isObj(v)) return null;
  const caps = obj(v.capabilities);
  return {
    runAsNonRoot: bool(v.runAsNonRoot),
    runAsUser: num(v.runAsUser),
    allowPrivilegeEscalation: bool(v.allowPrivilegeEscalation),
    privileged: bool(v.privileged),
    readOnlyRootFilesystem: bool(v.readOnlyRootFilesystem),
    capabilitiesAdd: strArr(caps.add),
    capabilitiesDrop: strArr(caps.drop),
    seccompProfileType: str(obj(v.seccompProfile).type) ?? undefined,
  };
}

function normalizePodSecurityContext(v: unknown): PodSecurityContextModel | null {
  if (!isObj(v)) return null;
  return {
    runAsNonRoot: bool(v.runAsNonRoot),
    runAsUser: num(v.runAsUser),
    seccompProfileType: str(obj(v.seccompProfile).type) ?? undefined,
  };
}

function normalizeResources(v: unknown): ResourcesModel | null {
  if (!isObj(v)) return null;
  return { limits: strMap(v.limits), requests: strMap(v.requests) };
}

function normalizeEnv(v: unknown): EnvVarModel[] {
  return objArr(v).map((e) => {
    const from = obj(e.valueFrom);
    const sk = isObj(from.secretKeyRef) ? from.secretKeyRef : null;
    const ck = isObj(from.configMapKeyRef) ? from.configMapKeyRef : null;
    return {
      name: str(e.name) ?? '',
      value: e.value === undefined || e.value === null ? null : asText(e.value),
      secretKeyRef: sk ? { name: str(sk.name) ?? '', key: str(sk.key) ?? '' } : null,
      configMapKeyRef: ck ? { name: str(ck.name) ?? '', key: str(ck.key) ?? '' } : null,
      fieldRef: isObj(from.fieldRef) ? str(from.fieldRef.fieldPath) : null,
    };
  });
}

function normalizeEnvFrom(v: unknown): EnvFromModel[] {
  return objArr(v).map((e) => ({
    secretRef: isObj(e.secretRef) ? (str(e.secretRef.name) ?? '') : null,
    configMapRef: isObj(e.configMapRef) ? (str(e.configMapRef.name) ?? '') : null,
  }));
}

export function normalizeRef(v: unknown, path: string): RefModel | null {
  if (typeof v === 'string') return { name: v, kind: null, apiVersion: null, resolver: null, params: {}, bundle: null, path };
  if (!isObj(v)) return null;
  const params: Record<string, string> = {};
  if (Array.isArray(v.params)) {
    for (const p of objArr(v.params)) {
      const n = str(p.name);
      if (n) params[n] = asText(p.value);
    }
  } else if (isObj(v.params)) {
    for (const [k, val] of Object.entries(v.params)) params[k] = asText(val);
  }
  return {
    name: str(v.name),
    kind: str(v.kind),
    apiVersion: str(v.apiVersion),
    resolver: str(v.resolver),
    params,
    bundle: str(v.bundle),
    path,
  };
}

export function normalizeContainer(v: unknown, role: ContainerRole, index: number, path: string): StepModel {
  const c = obj(v);
  return {
    role,
    name: str(c.name) ?? (role === 'stepTemplate' ? 'stepTemplate' : `unnamed-${index}`),
    index,
    image: str(c.image),
    script: str(c.script),
    command: arr(c.command).map(asText),
    args: arr(c.args).map(asText),
    env: normalizeEnv(c.env),
    envFrom: normalizeEnvFrom(c.envFrom),
    securityContext: normalizeSecurityContext(c.securityContext),
    resources: normalizeResources(c.computeResources ?? c.resources),
    volumeMounts: objArr(c.volumeMounts).map((m) => ({ name: str(m.name) ?? '', mountPath: str(m.mountPath) ?? '' })),
    ref: role === 'step' && c.ref !== undefined ? normalizeRef(c.ref, `${path}.ref`) : null,
    path,
  };
}

export function normalizeParamSpecs(v: unknown, basePath: string): ParamSpecModel[] {
  return arr(v).flatMap((p, i) => {
    if (!isObj(p)) return [];
    return [
      {
        name: str(p.name) ?? '',
        type: str(p.type) ?? 'string',
        default: p.default,
        enum: Array.isArray(p.enum) ? strArr(p.enum) : null,
        description: str(p.description),
        path: `${basePath}[${i}]`,
      },
    ];
  });
}

export function normalizeVolumes(v: unknown): VolumeModel[] {
  return objArr(v).map((vol) => {
    const known = ['hostPath', 'secret', 'configMap', 'emptyDir', 'persistentVolumeClaim', 'csi', 'projected'];
    const type = known.find((k) => vol[k] !== undefined) ?? 'other';
    return {
      name: str(vol.name) ?? '',
      type,
      secretName: isObj(vol.secret) ? str(vol.secret.secretName) : null,
      hostPath: isObj(vol.hostPath) ? str(vol.hostPath.path) : null,
    };
  });
}

/** Normalizes a task spec found at `basePath` inside `owner`. */
export function normalizeTaskSpec(v: unknown, owner: Owner, basePath: string): TaskSpecModel {
  const s = obj(v);
  return {
    params: normalizeParamSpecs(s.params, 'params'),
    steps: arr(s.steps).map((c, i) => normalizeContainer(c, 'step', i, `steps[${i}]`)),
    sidecars: arr(s.sidecars).map((c, i) => normalizeContainer(c, 'sidecar', i, `sidecars[${i}]`)),
    stepTemplate: isObj(s.stepTemplate) ? normalizeContainer(s.stepTemplate, 'stepTemplate', 0, 'stepTemplate') : null,
    volumes: normalizeVolumes(s.volumes),
    workspaces: objArr(s.workspaces).map((w) => ({
      name: str(w.name) ?? '',
      readOnly: bool(w.readOnly) ?? false,
      optional: bool(w.optional) ?? false,
      mountPath: str(w.mountPath),
    })),
    results: objArr(s.results).map((r) => ({ name: str(r.name) ?? '', type: str(r.type) ?? 'string' })),
    owner,
    basePath,
    description: str(s.description),
  };
}

export function normalizePodTemplate(v: unknown, path: string): PodTemplateModel | null {
  if (!isObj(v)) return null;
  return {
    securityContext: normalizePodSecurityContext(v.securityContext),
    hostNetwork: bool(v.hostNetwork) ?? false,
    hostPID: bool(v.hostPID) ?? false,
    hostIPC: bool(v.hostIPC) ?? false,
    volumes: normalizeVolumes(v.volumes),
    automountServiceAccountToken: bool(v.automountServiceAccountToken) ?? null,
    path,
  };
}

function bindingType(w: Obj): WorkspaceBindingType {
  if (w.secret !== undefined) return 'secret';
  if (w.configMap !== undefined) return 'configMap';
  if (w.volumeClaimTemplate !== undefined) return 'volumeClaimTemplate';
  if (w.persistentVolumeClaim !== undefined) return 'persistentVolumeClaim';
  if (w.emptyDir !== undefined) return 'emptyDir';
  if (w.csi !== undefined) return 'csi';
  if (w.projected !== undefined) return 'projected';
  return 'unknown';
}

/** Workspace bindings of a run; PVC access modes are filled later from the PVC objects. */
export function normalizeWorkspaceBindings(v: unknown, basePath: string): WorkspaceBindingModel[] {
  return arr(v).flatMap((raw, i) => {
    if (!isObj(raw)) return [];
    const type = bindingType(raw);
    const vct = obj(raw.volumeClaimTemplate);
    const projected = objArr(obj(raw.projected).sources).flatMap((src) => {
      if (isObj(src.secret)) return [`secret ${str(src.secret.name) ?? ''}`];
      if (isObj(src.serviceAccountToken)) return ['serviceAccountToken'];
      return [];
    });
    return [
      {
        name: str(raw.name) ?? '',
        type,
        secretName: isObj(raw.secret) ? str(raw.secret.secretName) : null,
        configMapName: isObj(raw.configMap) ? str(raw.configMap.name) : null,
        claimName: isObj(raw.persistentVolumeClaim) ? str(raw.persistentVolumeClaim.claimName) : null,
        accessModes: type === 'volumeClaimTemplate' ? strArr(obj(vct.spec).accessModes) : null,
        pvcMissing: false,
        projectedCredentials: projected,
        path: `${basePath}[${i}]`,
      },
    ];
  });
}

/** Named params of a run or pipeline task, values as strings. */
export function normalizeParamValues(v: unknown, basePath: string): { name: string; value: string; path: string }[] {
  if (isObj(v)) {
    return Object.entries(v).map(([name, value]) => ({ name, value: asText(value), path: `${basePath}.${name}` }));
  }
  return arr(v).flatMap((p, i) => (isObj(p) ? [{ name: str(p.name) ?? '', value: asText(p.value), path: `${basePath}[${i}]` }] : []));
}

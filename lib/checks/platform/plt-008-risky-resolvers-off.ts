import type { Evidence } from '../../model/types';
import type { PlatformCheck } from '../types';
import { fail, pass, unknown } from '../util';
import { configEvidence, configValue, configView, parseGoBool, unreadable } from './config';

export const PLT_008: PlatformCheck = {
  id: 'PLT-008',
  title: 'Risky resolvers off',
  category: 'platform',
  severity: 'medium',
  scope: 'platform',
  rationale:
    'The `http` resolver runs whatever YAML a URL serves at run time — unpinned unless a digest is given, outside any VerificationPolicy, and with a history of advisories (unbounded reads). ' +
    'The `cluster` resolver with no `allowed-namespaces` lets any run pull Tasks from every namespace, so a Task planted in one team\'s namespace can be run under another team\'s identity.',
  remediation: [
    'Turn the http resolver off and restrict the cluster resolver to the namespaces that publish shared Tasks:',
    '```yaml',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: resolvers-feature-flags, namespace: tekton-pipelines-resolvers}',
    'data:',
    '  enable-http-resolver: "false"',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: cluster-resolver-config, namespace: tekton-pipelines-resolvers}',
    'data:',
    '  allowed-namespaces: tekton-catalog',
    '```',
  ].join('\n'),
  source: 'tekton-chains-provenance section 2 (resolvers and pinning); TEKTON-FACTS §8 (resolver flags and advisories)',
  needs: [],
  evaluate({ cluster }) {
    const flags = configView(cluster, 'resolverFlags');
    const flagsBad = unreadable(flags, 'the http and cluster resolvers are enabled by default');
    if (flagsBad) return flagsBad;
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    const http = configValue(flags, 'enable-http-resolver', 'true');
    if (parseGoBool(http.value) !== false) {
      problems.push(`the http resolver is enabled${http.isDefault ? ' (by default)' : ''}`);
      evidence.push(configEvidence(flags, 'enable-http-resolver', http.value, http.isDefault));
    }
    const clusterOn = configValue(flags, 'enable-cluster-resolver', 'true');
    let unknownNote: string | null = null;
    if (parseGoBool(clusterOn.value) !== false) {
      const crc = configView(cluster, 'clusterResolverConfig');
      const crcBad = unreadable(crc, 'every namespace is allowed by default');
      if (crcBad) unknownNote = crcBad.message;
      else {
        const allowed = configValue(crc, 'allowed-namespaces', '');
        const list = allowed.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
        if (list.length === 0) {
          problems.push('the cluster resolver is enabled and `allowed-namespaces` is empty, so runs can fetch Tasks from every namespace');
          evidence.push(configEvidence(flags, 'enable-cluster-resolver', clusterOn.value, clusterOn.isDefault), configEvidence(crc, 'allowed-namespaces', allowed.value, allowed.isDefault));
        }
      }
    }
    if (problems.length > 0) return fail(`Risky resolvers are on: ${problems.join('; ')}.`, evidence);
    if (unknownNote) return unknown(`The http resolver is off, but the cluster resolver is on and its namespace allowlist is not known: ${unknownNote}`);
    return pass('The http resolver is off and the cluster resolver is off or limited to listed namespaces.');
  },
};

import type { ChainsInfo, K8sObject } from '../lib/model/types';
import { chainsAnnotations, decodePayloads } from '../lib/view/chains';
import { safeExternalUrl } from '../lib/view/links';
import { ChainsBadge, Stat } from './ui';

/** Chains annotations of a run, decoded: state, transparency entry (linked only when http/https), payloads. */
export function ChainsPanel({ chains, object }: { chains: ChainsInfo; object: K8sObject }) {
  const rawTransparency = object.annotations['chains.tekton.dev/transparency'];
  const link = safeExternalUrl(chains.transparencyUrl);
  const payloads = decodePayloads(object);
  const annotations = chainsAnnotations(object);
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="State">
          <ChainsBadge state={chains.state} />
        </Stat>
        <Stat label="signed annotation">{chains.signed ?? <span className="font-normal text-zinc-600 dark:text-zinc-400">absent</span>}</Stat>
        <Stat label="Payload present">{chains.payloadKeys.length > 0 ? `✓ yes (${chains.payloadKeys.length})` : '✕ no'}</Stat>
        <Stat label="Signature present">{chains.signatureKeys.length > 0 ? `✓ yes (${chains.signatureKeys.length})` : '✕ no'}</Stat>
        <Stat label="Retries">{chains.retries ?? <span className="font-normal text-zinc-600 dark:text-zinc-400">none</span>}</Stat>
        <Stat label="Chains finalizer">{chains.hasChainsFinalizer ? '✓ present' : '– absent'}</Stat>
        <Stat label="Transparency log entry" className="col-span-2">
            {link ? (
              <a href={link} target="_blank" rel="noopener noreferrer" className="font-mono text-xs [overflow-wrap:anywhere] text-sky-700 hover:underline dark:text-sky-400" data-testid="transparency-link">
                {link}
              </a>
            ) : rawTransparency ? (
              <span className="text-xs font-normal [overflow-wrap:anywhere] text-red-700 dark:text-red-300">
                ✕ not an http(s) URL, not linked: <span className="font-mono">{rawTransparency.slice(0, 200)}</span>
              </span>
            ) : (
              <span className="font-normal text-zinc-600 dark:text-zinc-400">none</span>
            )}
        </Stat>
      </dl>
      {payloads.length > 0 ? (
        <div>
          <h3 className="mb-1 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">Decoded payloads</h3>
          <ul className="space-y-2 text-xs">
            {payloads.map((p) => (
              <li key={p.key} className="rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
                <div className="font-mono [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-400">{p.key}</div>
                {p.ok ? (
                  <div className="mt-1 space-y-0.5">
                    <div>
                      Statement <span className="font-mono">{p.type ?? '—'}</span> · predicate <span className="font-mono [overflow-wrap:anywhere]">{p.predicateType ?? '—'}</span>
                    </div>
                    <div>
                      Subjects:{' '}
                      {p.subjects.length === 0 ? (
                        <span className="text-amber-800 dark:text-amber-200">none: attestation only, no artifact is signed</span>
                      ) : (
                        p.subjects.map((s, i) => (
                          <span key={i} className="mr-2 font-mono [overflow-wrap:anywhere]">
                            {s.name} {s.digest}
                          </span>
                        ))
                      )}
                    </div>
                  </div>
                ) : p.notKept ? (
                  <div className="mt-1 text-zinc-600 dark:text-zinc-400">✓ Present on the run; its content is not kept by the live source (read it with kubectl to inspect the statement).</div>
                ) : (
                  <div className="mt-1 text-red-700 dark:text-red-300">✕ Could not decode: {p.error}</div>
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {annotations.length > 0 ? (
        <details className="text-xs">
          <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">All Chains annotations ({annotations.length})</summary>
          <ul className="mt-2 space-y-0.5 font-mono">
            {annotations.map((a) => (
              <li key={a.key} className="[overflow-wrap:anywhere]">
                {a.key} = {a.value ?? <span className="font-sans text-zinc-600 dark:text-zinc-400">({a.length} characters)</span>}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

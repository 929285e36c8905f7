/**
 * Decodes what a run's Chains annotations say, for the run page. Annotation values are hostile: sizes are
 * bounded, base64 and JSON parsing failures are reported as such, and nothing decoded is ever used as HTML or a link.
 */
import { BLOB_NOT_KEPT } from '../model/projection';
import type { ChainsInfo, K8sObject } from '../model/types';

const PREFIX = 'chains.tekton.dev/';
const MAX_DECODE = 256 * 1024;

export interface DecodedPayload {
  key: string;
  bytes: number;
  ok: boolean;
  /** The live source keeps only the payload's presence (memory): there is nothing to decode, and nothing wrong. */
  notKept?: boolean;
  error?: string;
  type?: string;
  predicateType?: string;
  subjects: { name: string; digest: string }[];
}

export interface ChainsAnnotation {
  key: string;
  /** Short values shown as is; long ones summarised by length. */
  value: string | null;
  length: number;
}

export function chainsAnnotations(o: K8sObject): ChainsAnnotation[] {
  return Object.entries(o.annotations)
    .filter(([k]) => k.startsWith(PREFIX))
    .slice(0, 100)
    .map(([key, v]) => {
      const s = typeof v === 'string' ? v : String(v);
      return { key, value: s.length <= 200 ? s : null, length: s.length };
    });
}

function decodeBase64(s: string): string | null {
  const t = s.trim();
  if (t.length === 0 || t.length > MAX_DECODE || !/^[A-Za-z0-9+/_-]+=*$/.test(t)) return null;
  try {
    return Buffer.from(t, 'base64').toString('utf8');
  } catch {
    return null;
  }
}

function str(v: unknown, max = 300): string | undefined {
  return typeof v === 'string' ? v.slice(0, max) : undefined;
}

/** Payload annotations (`payload-*`): base64 of an in-toto statement (or a DSSE envelope around one). */
export function decodePayloads(o: K8sObject): DecodedPayload[] {
  const out: DecodedPayload[] = [];
  for (const [key, v] of Object.entries(o.annotations)) {
    if (!key.startsWith(`${PREFIX}payload-`) || out.length >= 20) continue;
    const raw = typeof v === 'string' ? v : '';
    if (raw === BLOB_NOT_KEPT) {
      out.push({ key, bytes: 0, ok: false, notKept: true, subjects: [] });
      continue;
    }
    const text = decodeBase64(raw);
    if (text === null) {
      out.push({ key, bytes: raw.length, ok: false, error: 'not valid base64', subjects: [] });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      out.push({ key, bytes: raw.length, ok: false, error: 'not JSON', subjects: [] });
      continue;
    }
    let stmt = json as Record<string, unknown>;
    if (stmt && typeof stmt === 'object' && typeof stmt.payload === 'string') {
      const inner = decodeBase64(stmt.payload);
      try {
        stmt = inner ? (JSON.parse(inner) as Record<string, unknown>) : stmt;
      } catch {
        /* keep the envelope */
      }
    }
    if (!stmt || typeof stmt !== 'object') {
      out.push({ key, bytes: raw.length, ok: false, error: 'not an object', subjects: [] });
      continue;
    }
    const subjects = Array.isArray(stmt.subject)
      ? stmt.subject.slice(0, 20).map((s: unknown) => {
          const o = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>;
          const d = (o.digest && typeof o.digest === 'object' ? o.digest : {}) as Record<string, unknown>;
          const [alg, val] = Object.entries(d)[0] ?? [];
          return { name: str(o.name) ?? '', digest: alg ? `${alg}:${String(val).slice(0, 80)}` : '' };
        })
      : [];
    out.push({ key, bytes: raw.length, ok: true, type: str(stmt._type), predicateType: str(stmt.predicateType), subjects });
  }
  return out;
}

/** Whole days (or hours, under two days) between two times, `17 d` / `5 h` / `12 min`; null when either is unusable. */
function ageText(from: string | null, to: string | null): string | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return null;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/**
 * The signing state in the words a reviewer needs: a statement with no subjects signs nothing but itself
 * ("attestation only"), and a finished run Chains never annotated says for how long, measured against the report
 * time (never the viewer's clock). Falls back to the plain state label when nothing more is known.
 */
export function signingLabel(
  run: { chains: ChainsInfo; object: K8sObject; completionTime: string | null },
  reportTime: string | null,
  stateLabel: string,
): string {
  const { state } = run.chains;
  if (state === 'signed-with-evidence' && run.chains.transparencyUrl === null) {
    const decoded = decodePayloads(run.object).filter((p) => p.ok);
    if (decoded.length > 0 && decoded.every((p) => p.subjects.length === 0)) return 'Signed: attestation only (no subjects)';
  }
  if (state === 'pending') {
    const age = ageText(run.completionTime, reportTime);
    // Chains signs within seconds to minutes of completion: under an hour it may still come.
    const fresh = run.completionTime && reportTime && Date.parse(reportTime) - Date.parse(run.completionTime) < 3_600_000;
    if (age && fresh) return `Not yet seen by Chains (${age})`;
    return age ? `Never seen by Chains (${age})` : 'Never seen by Chains';
  }
  return stateLabel;
}

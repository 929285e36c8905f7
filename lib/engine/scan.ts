import { CHECKS } from '../checks/registry';
import type { Check } from '../checks/types';
import { buildClusterModel } from '../model/build';
import type { ClusterModel, DataGap, K8sObject, LoadIssue, PipelineModel, PipelineRunModel } from '../model/types';
import type { Policy } from '../policy/types';
import type { PipelineReport, Report, SourceInfo } from '../report/types';
import { INCOMPLETE_BELOW, rollUp, scoreFindings } from '../score/score';
import { pinReportTime } from './clock';
import { evaluatePipeline, evaluatePlatform } from './evaluate';
import { fillEvidenceLines } from './evidence-lines';

export interface ScanInput {
  objects: K8sObject[];
  policy: Policy;
  source: SourceInfo;
  gaps?: DataGap[];
  loadIssues?: LoadIssue[];
  checks?: readonly Check[];
  /** Report time every time-based verdict is measured against (defaults to policy.now, then the clock). */
  now?: string;
}

export interface ScanResult {
  model: ClusterModel;
  report: Report;
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

function signingRate(runs: PipelineRunModel[]): number | null {
  const finished = runs.filter((r) => FINISHED.has(r.status));
  if (finished.length === 0) return null;
  return finished.filter((r) => r.chains.state === 'signed-with-evidence' || r.chains.state === 'signed-verified').length / finished.length;
}

export function pipelineReport(p: PipelineModel, cluster: ClusterModel, policy: Policy, checks: readonly Check[]): PipelineReport {
  const findings = evaluatePipeline(p, cluster, policy, checks);
  const card = scoreFindings(findings);
  const newest = p.runs[0];
  // Where the subject is written (files): where a consumer such as SARIF can put findings whose evidence has no file.
  const where = p.object?.source.file ? p.object.source : p.location?.file ? p.location : null;
  return {
    id: p.id,
    namespace: p.namespace,
    name: p.name,
    team: p.team,
    identitySource: p.identitySource,
    ...(p.subjectKind && p.subjectKind !== 'pipeline' ? { subjectKind: p.subjectKind } : {}),
    score: card.score,
    grade: card.grade,
    coverage: card.coverage,
    incomplete: card.incomplete,
    cap: card.cap,
    outcomes: card.outcomes,
    failsBySeverity: card.failsBySeverity,
    totalRuns: p.totalRuns,
    lastRun: newest ? { name: newest.name, status: newest.status, startTime: newest.startTime ?? newest.object.creationTimestamp, chains: newest.chains.state } : null,
    signingRate: signingRate(p.runs),
    serviceAccounts: p.serviceAccounts,
    issues: p.issues,
    ...(where?.file ? { source: { file: where.file, ...(where.line ? { line: where.line } : {}) } } : {}),
    findings,
  };
}

/** Assembles a report from already-scored pipelines (the live source re-scores only what changed). */
export function assembleReport(model: ClusterModel, pipelines: PipelineReport[], unpinned: Policy, source: SourceInfo, checks: readonly Check[], now?: string): Report {
  const policy = pinReportTime(unpinned, now);
  const platformFindings = evaluatePlatform(model, policy, checks);
  const platformCard = scoreFindings(platformFindings);
  const roll = rollUp(pipelines);
  return {
    schemaVersion: 1,
    generatedAt: policy.now as string,
    source,
    summary: {
      score: roll.score,
      grade: roll.grade,
      coverage: Math.round(roll.coverage * 1000) / 1000,
      // Data that could not be read makes the report incomplete whatever the coverage: losing data must show.
      incomplete: roll.coverage < INCOMPLETE_BELOW || model.gaps.length > 0,
      pipelines: pipelines.length,
      worstPipeline: roll.worst?.id ?? null,
    },
    platform: {
      score: platformCard.score,
      grade: platformCard.grade,
      coverage: platformCard.coverage,
      incomplete: platformCard.incomplete,
      cap: platformCard.cap,
      findings: platformFindings,
    },
    pipelines,
    gaps: model.gaps,
    loadIssues: model.loadIssues,
  };
}

/** The engine: objects → model → checks → score → report. Pure; every adapter (CLI, pages, API) calls this. */
export function scan(input: ScanInput): ScanResult {
  const checks = input.checks ?? CHECKS;
  const policy = pinReportTime(input.policy, input.now);
  const model = buildClusterModel(input.objects, {
    sourceKind: input.source.kind,
    policy,
    gaps: input.gaps,
    loadIssues: input.loadIssues,
  });
  const pipelines = model.pipelines.map((p) => pipelineReport(p, model, policy, checks));
  const report = assembleReport(model, pipelines, policy, input.source, checks);
  fillEvidenceLines(report, input.objects);
  return { model, report };
}

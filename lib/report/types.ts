import type { Finding, Outcome, Severity } from '../checks/types';
import type { DataGap, LoadIssue, PipelineIdentitySource, RunStatus, ChainsState, SubjectKind } from '../model/types';
import type { Grade } from '../score/score';

export interface SourceInfo {
  kind: 'live' | 'files' | 'demo';
  /** files: the paths scanned; live: the context/server; demo: the snapshot name. */
  detail?: string;
  /** Live: when the last watch event arrived. */
  lastEventAt?: string | null;
}

export interface PipelineReport {
  id: string;
  namespace: string;
  name: string;
  team: string | null;
  identitySource: PipelineIdentitySource;
  /** Absent for pipelines; `task` / `stepaction` for a Task or StepAction from files that no pipeline uses. */
  subjectKind?: SubjectKind;
  score: number | null;
  grade: Grade | null;
  coverage: number;
  incomplete: boolean;
  cap: string | null;
  outcomes: Record<Outcome, number>;
  failsBySeverity: Record<Severity, number>;
  totalRuns: number;
  lastRun: { name: string; status: RunStatus; startTime: string | null; chains: ChainsState } | null;
  /** Share of recent finished runs signed with evidence; null when no run finished. */
  signingRate: number | null;
  serviceAccounts: string[];
  issues: string[];
  /** The file (and line) that defines the subject, for a files scan. */
  source?: { file: string; line?: number };
  findings: Finding[];
}

export interface Report {
  schemaVersion: 1;
  generatedAt: string;
  source: SourceInfo;
  summary: {
    score: number | null;
    grade: Grade | null;
    coverage: number;
    incomplete: boolean;
    pipelines: number;
    worstPipeline: string | null;
  };
  platform: {
    score: number | null;
    grade: Grade | null;
    coverage: number;
    incomplete: boolean;
    cap: string | null;
    findings: Finding[];
  };
  pipelines: PipelineReport[];
  gaps: DataGap[];
  loadIssues: LoadIssue[];
}

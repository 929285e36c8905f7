import type { Check } from '../checks/types';
import { toCodeQuality } from './formats/codequality';
import { toCsv } from './formats/csv';
import { toJunit } from './formats/junit';
import { toSarif, type SarifOptions } from './formats/sarif';
import { toTable } from './formats/table';
import type { Report } from './types';

export const FORMATS = ['json', 'table', 'sarif', 'csv', 'junit', 'codequality'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json',
  table: 'text/plain; charset=utf-8',
  sarif: 'application/sarif+json',
  csv: 'text/csv; charset=utf-8',
  junit: 'application/xml',
  codequality: 'application/json',
};

export interface RenderOptions {
  sarif?: SarifOptions;
}

export function renderReport(report: Report, format: Format, checks: readonly Check[], opts: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(report, checks, opts.sarif), null, 2)}\n`;
    case 'codequality':
      return `${JSON.stringify(toCodeQuality(report, checks, opts.sarif), null, 2)}\n`;
    case 'csv':
      return toCsv(report);
    case 'junit':
      return toJunit(report, checks);
    case 'table':
      return toTable(report);
  }
}

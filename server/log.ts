/**
 * The server's structured logger: pino, JSON lines on stdout (what Kubernetes log collectors expect).
 *
 *   import { log } from '@/server/log';
 *   log.info({ pipelines: 42, ms: 180 }, 'rescored');
 *   log.child({ component: 'live' }).warn({ kind: 'TaskRun', err }, 'watch restarted');
 *
 * `LOG_LEVEL` = fatal | error | warn | info (default) | debug | trace | silent. Every line carries
 * `app: "tekton-posture"`; token-like keys are replaced by `[redacted]` (lib/ops/log-config.ts).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_BASE, REDACT_CENSOR, REDACT_PATHS, logLevelFrom } from '../lib/ops/log-config';

export type { Logger };

/** A logger with the project's settings; `destination` is for tests (default: stdout). */
export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const options = {
    level: logLevelFrom(opts.level ?? process.env.LOG_LEVEL),
    base: { ...LOG_BASE },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

// One logger per process, shared across Next's module graphs (route handlers, instrumentation).
const g = globalThis as typeof globalThis & { __tektonPostureLog?: Logger };

export const log: Logger = (g.__tektonPostureLog ??= createLogger());

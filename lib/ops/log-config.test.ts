import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import { logLevelFrom } from './log-config';

function capture(level?: string) {
  const lines: Record<string, unknown>[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { log: createLogger({ level, destination: dest as unknown as NodeJS.WritableStream & { write(s: string): boolean } }), lines };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('server/log', () => {
  it('writes JSON with app, level name, time and message', async () => {
    const { log, lines } = capture('info');
    log.info({ pipelines: 3 }, 'rescored');
    log.debug('hidden at info');
    await tick();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ app: 'tekton-posture', level: 'info', pipelines: 3, msg: 'rescored' });
    expect(typeof lines[0].time).toBe('string');
  });

  it('redacts token-like keys at any of the first three levels and in headers', async () => {
    const { log, lines } = capture('debug');
    log.warn(
      {
        token: 't0p',
        password: 'pw',
        err: { config: { bearerToken: 'b3arer', keep: 'visible' } },
        cluster: { user: { 'client-key-data': 'LS0t', clientSecret: 'cs' } },
        req: { headers: { authorization: 'Bearer abc', cookie: 'c=1', accept: 'text/html' } },
        kubeconfig: 'apiVersion: v1',
      },
      'watch failed',
    );
    await tick();
    const text = JSON.stringify(lines[0]);
    for (const secret of ['t0p', '"pw"', 'b3arer', 'LS0t', '"cs"', 'Bearer abc', 'c=1', 'apiVersion: v1']) expect(text).not.toContain(secret);
    expect(text).toContain('visible');
    expect(text).toContain('text/html');
    expect(text).toContain('[redacted]');
  });

  it('LOG_LEVEL: case-insensitive, unknown values fall back to info', () => {
    expect(logLevelFrom('DEBUG')).toBe('debug');
    expect(logLevelFrom(' warn ')).toBe('warn');
    expect(logLevelFrom('verbose')).toBe('info');
    expect(logLevelFrom(undefined)).toBe('info');
    expect(createLogger({ level: 'error', destination: new Writable({ write: (_c, _e, cb) => cb() }) as never }).level).toBe('error');
  });
});

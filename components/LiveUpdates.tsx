'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

type Status = 'connecting' | 'live' | 'offline';

function hms(d: Date): string {
  return d.toTimeString().slice(0, 8);
}

/**
 * The one place server-sent events are applied: on a new engine version, refresh the server components of the
 * open page (router.refresh keeps client state and scroll) and invalidate every react-query query.
 */
export function LiveUpdates({ initialVersion }: { initialVersion: number }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const version = useRef(initialVersion);
  const [status, setStatus] = useState<Status>('connecting');
  const [updated, setUpdated] = useState<string | null>(null);

  useEffect(() => {
    const es = new EventSource('/api/events');
    es.onopen = () => setStatus('live');
    es.onerror = () => setStatus(es.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    es.addEventListener('update', (ev) => {
      let v = NaN;
      try {
        v = Number((JSON.parse((ev as MessageEvent<string>).data) as { version?: unknown }).version);
      } catch {
        return;
      }
      setStatus('live');
      if (!Number.isFinite(v)) return;
      if (v !== version.current) {
        version.current = v;
        setUpdated(hms(new Date()));
        router.refresh();
        void queryClient.invalidateQueries();
      }
    });
    return () => es.close();
  }, [router, queryClient]);

  const dot = status === 'live' ? 'bg-emerald-500' : status === 'connecting' ? 'bg-amber-400' : 'bg-zinc-400';
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-zinc-300" data-testid="live-indicator" data-status={status}>
      <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${dot}`} />
      <span>
        {status === 'live' ? 'live' : status === 'connecting' ? 'connecting' : 'offline'}
        {updated ? ` · updated ${updated}` : ''}
      </span>
    </span>
  );
}

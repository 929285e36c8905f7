import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LiveUpdates } from '../components/LiveUpdates';
import { NavDrawer } from '../components/NavDrawer';
import { NavLinks } from '../components/NavLinks';
import { Providers } from '../components/Providers';
import { waitForRenderTurn } from '../server/render-turn';
import { getState, policyError } from '../server/state';
import { formatTime } from '../lib/view/format';
import './globals.css';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Tekton Posture', template: '%s · Tekton Posture' },
  description: 'How well the Tekton pipelines on this cluster are hardened.',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f4f4f5' },
    { media: '(prefers-color-scheme: dark)', color: '#09090b' },
  ],
};

async function stateOrNull() {
  try {
    return await getState();
  } catch {
    return null;
  }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Pages render in turns (server/render-gate.ts): under a burst, clients are served in order instead of all slowly.
  await waitForRenderTurn();
  const state = await stateOrNull();
  const source = state?.report.source;
  const configProblem = policyError();
  return (
    <html lang="en">
      <body>
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-semibold text-zinc-900 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <Providers>
          <div className="min-h-screen md:flex">
            <NavDrawer>
            <nav aria-label="Main" className="sticky top-0 flex h-screen flex-col px-3 py-4 text-zinc-100">
              <Link href="/" className="mb-6 flex items-center gap-2 px-2.5">
                <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-sky-700 text-sm font-bold text-white">
                  TP
                </span>
                <span className="leading-tight">
                  <span className="block text-sm font-semibold">Tekton Posture</span>
                  <span className="block text-[11px] text-zinc-300">pipeline hardening</span>
                </span>
              </Link>
              <NavLinks />
              <div className="mt-auto space-y-2 px-2.5 text-[11px] text-zinc-300">
                {source ? (
                  <div>
                    Source: <span className="font-medium text-zinc-200">{source.kind}</span>
                    {state ? <div>Data of {formatTime(state.updatedAt)}</div> : null}
                  </div>
                ) : null}
                <LiveUpdates initialVersion={state?.version ?? 0} />
              </div>
            </nav>
            </NavDrawer>
            <div className="min-w-0 flex-1">
              {source?.kind === 'demo' ? (
                <div role="status" className="no-print border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm md:px-8 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200">
                  <strong className="font-semibold">Demo data — no cluster configured.</strong> The built-in Northwind snapshot is shown. Set{' '}
                  <code className="font-mono text-xs">KUBECONFIG</code> or <code className="font-mono text-xs">POSTURE_SOURCE</code> to analyse a real cluster.
                </div>
              ) : null}
              {configProblem ? (
                <div role="alert" className="no-print border-b border-red-300 bg-red-50 px-4 py-2 text-sm md:px-8 text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200">
                  <strong className="font-semibold">Configuration rejected</strong> — the findings below use the default policy (no waivers,
                  overrides or allowlists) until it is fixed: {configProblem}
                </div>
              ) : null}
              {state?.stale ? (
                <div role="alert" className="no-print border-b border-red-300 bg-red-50 px-4 py-2 text-sm md:px-8 text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200">
                  <strong className="font-semibold">Stale data</strong> since {formatTime(state.stale.since)}: {state.stale.reason}
                </div>
              ) : null}
              <main id="main" tabIndex={-1} className="mx-auto max-w-[1440px] px-3 py-4 outline-none sm:px-5 md:px-8 md:py-6">
                {children}
              </main>
            </div>
          </div>
        </Providers>
      </body>
    </html>
  );
}

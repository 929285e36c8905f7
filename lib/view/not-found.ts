/**
 * What a 404 names: the thing the URL looked for, in words, and where to look instead. Pure over the path, so the
 * not-found page (which Next renders without the route's params) can say it from the address alone.
 */
import { routeParam } from './params';

export interface Missing {
  /** e.g. `pipeline build (namespace ci)`. */
  what: string;
  hint: string;
  back: { href: string; label: string };
}

const decode = (s: string | undefined) => routeParam(s ?? '');
const nsText = (seg: string) => (seg === '_' ? 'the unspecified namespace' : `namespace ${seg}`);

export function describeMissing(pathname: string | null | undefined): Missing {
  const parts = (pathname ?? '/').split('?')[0].split('/').filter(Boolean).map(decode);
  const [section, a, b] = parts;
  const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);
  switch (section) {
    case 'pipelines':
      if (a !== undefined && b !== undefined)
        return {
          what: `pipeline ${clip(b)} in ${nsText(clip(a))}`,
          hint: 'No scored pipeline or Task has that namespace and name in the current data: it may have been deleted or renamed, or its kind was not readable (see Data sources).',
          back: { href: '/pipelines', label: 'All pipelines' },
        };
      break;
    case 'runs':
      if (a !== undefined && b !== undefined)
        return {
          what: `run ${clip(b)} in ${nsText(clip(a))}`,
          hint: 'Only recent PipelineRuns and TaskRuns are kept; an older or deleted run has no page. Open its pipeline to see the runs in sight.',
          back: { href: '/pipelines', label: 'All pipelines' },
        };
      break;
    case 'service-accounts':
      if (a !== undefined && b !== undefined)
        return {
          what: `service account ${clip(b)} in ${nsText(clip(a))}`,
          hint: 'No ServiceAccount object of that name was read and no pipeline runs as it.',
          back: { href: '/service-accounts', label: 'All service accounts' },
        };
      break;
    case 'namespaces':
      if (a !== undefined)
        return {
          what: `namespace ${clip(a)}`,
          hint: 'No namespace of that name was read and no pipeline sits in it.',
          back: { href: '/namespaces', label: 'All namespaces' },
        };
      break;
    case 'checks':
      if (a !== undefined)
        return {
          what: `check ${clip(a)}`,
          hint: 'Check IDs look like SEC-001; the checks page lists every one in the catalog.',
          back: { href: '/checks', label: 'All checks' },
        };
      break;
    case 'teams':
      if (a !== undefined)
        return {
          what: `team ${clip(a)}`,
          hint: 'A team exists when at least one pipeline belongs to it (the policy teams or the team label).',
          back: { href: '/teams', label: 'All teams' },
        };
      break;
  }
  return {
    what: `page ${clip(pathname ?? '/')}`,
    hint: 'This address is not a page of Tekton Posture.',
    back: { href: '/', label: 'Overview' },
  };
}

/** The tab title of a missing thing: `Not found: pipeline build in namespace ci`. */
export function notFoundTitle(pathname: string): string {
  return `Not found: ${describeMissing(pathname).what}`;
}

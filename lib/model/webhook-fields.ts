/**
 * What a webhook sender controls, field by field, and which events a trigger lets through.
 *
 * Shape rule (INJ-003): a `$(body.…)` / `$(header.…)` field is **fixed-shape** when the forge generates it in a
 * form no contributor can turn into shell code; everything else the sender controls is **free text**.
 * - Fixed-shape body fields, by their last path segment: commit SHAs (`sha`, `after`, `before`, `checkout_sha`,
 *   `head_sha`, `merge_commit_sha`, `commit_sha`, `id` — GitHub's `head_commit.id` and GitLab's commit ids are
 *   SHAs, every other `id` a number; Bitbucket's `hash`, `toHash`, `fromHash`, `latestCommit`, Azure's `commitId`),
 *   numbers and ids (`number`, `iid`, `*_id`, `node_id`, camelCase `…Id` but not Bitbucket's `displayId`), enums and booleans
 *   (`action`, `state`, `object_kind`, `event_name`, `event_type`, `created`, `deleted`, `forced`, `merged`,
 *   `draft`, `private`), timestamps, URLs (`url`, `*_url`, `…Url`, `homepage`), and names the forge restricts to
 *   `[A-Za-z0-9._-]` and `/`: `full_name`, `path_with_namespace`, a repository's or project's `name`,
 *   `namespace`, user `login` / `username` / `user_username`.
 * - Free text: titles, bodies, descriptions, commit messages, comment and note bodies, refs and branch or tag
 *   names (`ref`, `base_ref`, `head.ref`, `*_branch`, `label`, labels), display names and e-mails of authors,
 *   file lists, whole objects (`$(body)`, `$(body.pull_request)`), and any field not listed above (when unsure,
 *   the sender controls it).
 * - Headers: the forge's own event and delivery headers (`X-GitHub-Event`, `X-GitHub-Delivery`,
 *   `X-Gitlab-Event`, `X-Gitlab-Event-UUID`, `X-Event-Key`, `X-Request-Id`, `X-Hub-Signature*`,
 *   `Content-Type`) are fixed-shape; any other header is free text.
 * - `$(extensions.X)`: the shape of the CEL overlay expression that defines X (free text when it reads any
 *   free-text field; a method call such as `.truncate(7)` or `.split('/')` keeps the field it is called on);
 *   GitHub's `changed_files` (file names) is free text; any other extension no overlay in sight defines is of
 *   unknown shape (its interceptor is out of sight), which makes INJ-003 unknown rather than fail.
 */

const FIXED_LEAVES = new Set([
  'sha', 'after', 'before', 'checkout_sha', 'head_sha', 'merge_commit_sha', 'commit_sha', 'id', 'number', 'iid', 'node_id',
  'action', 'state', 'object_kind', 'event_name', 'event_type', 'created', 'deleted', 'forced', 'merged', 'draft', 'private',
  'created_at', 'updated_at', 'pushed_at', 'merged_at', 'closed_at', 'timestamp', 'url', 'homepage', 'full_name',
  'path_with_namespace', 'login', 'username', 'user_username', 'size', 'additions', 'deletions', 'changed_files_count', 'fork',
  'hash', 'toHash', 'fromHash', 'latestCommit', 'commitId',
]);
const REPO_PARENTS = new Set(['repository', 'project', 'repo', 'head_repository', 'target_project', 'source_project']);
const FIXED_HEADERS = new Set([
  'x-github-event', 'x-github-delivery', 'x-gitlab-event', 'x-gitlab-event-uuid', 'x-event-key', 'x-request-id',
  'x-hub-signature', 'x-hub-signature-256', 'content-type', 'x-github-hook-id', 'x-github-hook-installation-target-id',
  'x-github-hook-installation-target-type', 'x-gitlab-instance', 'x-gitlab-webhook-uuid',
]);

/** A webhook field as a dotted path without array indices: `body.commits.id`, `header.x-github-event`. */
export type WebhookField = string;

function segments(path: string): string[] {
  return path.split('.').filter(Boolean);
}

/** Whether a body or header field (`body.…`, `header.…`) has a shape the sender cannot use for shell code. */
export function isFixedShapeField(field: WebhookField): boolean {
  const parts = segments(field);
  const root = parts[0];
  if (root === 'header') return parts.length === 2 && FIXED_HEADERS.has(parts[1].toLowerCase());
  if (root !== 'body' || parts.length < 2) return false;
  const leaf = parts[parts.length - 1];
  const parent = parts[parts.length - 2];
  if (FIXED_LEAVES.has(leaf) || leaf.endsWith('_id') || leaf.endsWith('_url')) return true;
  // camelCase payloads (Bitbucket Server, Azure DevOps): pullRequestId, remoteUrl, latestCommitHash.
  // Bitbucket's `displayId` is a branch name, not an id.
  if (leaf !== 'displayId' && /[a-z](Id|Url|Hash|Sha)$/.test(leaf)) return true;
  return (leaf === 'name' || leaf === 'namespace') && REPO_PARENTS.has(parent);
}

// `body.a.b[0]["c"]` → body.a.b.c; bounded, linear.
const FIELD_REF = /\b(body|header|extensions)((?:\.[A-Za-z0-9_-]{1,100}|\[[^\]\n]{0,100}\]){0,30})(\s*\()?/g;

function cleanPath(root: string, rest: string): string {
  const parts = [root];
  for (const m of rest.matchAll(/\.([A-Za-z0-9_-]+)|\[\s*(["'])([^"'\]]*)\2\s*\]|\[[^\]]*\]/g)) {
    const name = m[1] ?? m[3];
    if (name) parts.push(name);
  }
  return parts.join('.');
}

/** The webhook fields a Triggers substitution text reads: `$(body.x)`, `$(header.X)`, `$(extensions.y)`. */
export function substitutionFields(text: string): WebhookField[] {
  if (!text.includes('$(')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(/\$\(\s*(body|header|extensions)\b([^()\n]{0,300})\)/g)) out.push(cleanPath(m[1], m[2]));
  return out;
}

/**
 * The fields a CEL expression reads. A segment followed by `(` is a method (`.truncate(7)`, `.split('/')`) and
 * ends the path; `header.canonical('X-Foo')` and `header.match('X-Foo', …)` read header X-Foo.
 */
export function celFields(expr: string): WebhookField[] {
  const out: string[] = [];
  for (const m of expr.slice(0, 20_000).matchAll(FIELD_REF)) {
    let path = cleanPath(m[1], m[2]);
    if (m[3]) {
      const parts = segments(path);
      const method = parts.pop();
      path = parts.join('.');
      if (m[1] === 'header' && parts.length === 1 && (method === 'canonical' || method === 'match')) {
        const arg = /^\s*\(\s*(["'])([^"']{1,100})\1/.exec(expr.slice((m.index ?? 0) + m[0].length - 1));
        if (arg) path = `header.${arg[2]}`;
      }
    }
    out.push(path);
  }
  return out;
}

// ------------------------------------------------------------------ events

/** Whether a forge event name is a pull/merge request event (GitHub, GitLab, Bitbucket Cloud and Server). */
export function isPullRequestEvent(event: string): boolean {
  const e = event.toLowerCase();
  return e.startsWith('pull_request') || e === 'merge request hook' || e === 'merge_request' || e.startsWith('pr:') || e.startsWith('pullrequest:');
}

const GITHUB_EVENTS = new Set([
  'push', 'pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'issue_comment', 'create',
  'delete', 'release', 'workflow_dispatch', 'check_run', 'check_suite', 'status', 'issues', 'tag', 'ping', 'merge_group', 'deployment',
]);

/** An event name as one of the forges spells it (`pull_request`, `Merge Request Hook`, `pr:opened`), else null. */
function asEventName(literal: string): string | null {
  if (GITHUB_EVENTS.has(literal)) return literal;
  if (/^[A-Z][A-Za-z ]{2,40} Hook$/.test(literal)) return literal;
  if (/^(pr|repo|pullrequest|issue):[a-z_:]{2,40}$/.test(literal)) return literal;
  return null;
}

const EVENT_HEADERS = /x-github-event|x-gitlab-event|x-event-key/i;

/**
 * The events a CEL filter lets through, when it tests an event header (`header.match('X-GitHub-Event',
 * 'pull_request')`, `header.canonical('X-Gitlab-Event') == 'Merge Request Hook'`) or a payload marker of one
 * event (`body.object_kind == 'merge_request'`, `has(body.pull_request)`). null when it says nothing about the
 * event, or negates (`!=`, `!`) so that the set cannot be read off.
 */
export function filterEvents(filter: string): string[] | null {
  const text = filter.slice(0, 20_000);
  const events = new Set<string>();
  if (EVENT_HEADERS.test(text)) {
    if (/!=|!\s*header|!\s*\(/.test(text)) return null;
    for (const m of text.matchAll(/(["'])([^"'\n]{1,60})\1/g)) {
      const e = asEventName(m[2]);
      if (e) events.add(e);
    }
  }
  const kind = /body\.object_kind\s*==\s*(["'])([a-z_]{1,40})\1/.exec(text);
  if (kind && !/!=/.test(text)) events.add(kind[2] === 'merge_request' ? 'Merge Request Hook' : kind[2] === 'push' ? 'Push Hook' : kind[2]);
  if (/\bhas\(\s*body\.pull_request\s*\)/.test(text) && !/!\s*has\(\s*body\.pull_request/.test(text)) events.add('pull_request');
  // `synchronize` is an action only pull_request events have (opened/closed are shared with issues).
  if (/body\.action\s*(?:==|in)[^&|]{0,200}["']synchronize["']/.test(text) && !/!=/.test(text)) events.add('pull_request');
  return events.size > 0 ? [...events] : null;
}

/**
 * The event family a binding field can only come from: Triggers rejects an event whose payload lacks a field a
 * binding reads, so `$(body.pull_request.head.sha)` fires only on pull request events and `$(body.head_commit.id)`
 * only on pushes. null: the field exists in several events.
 */
export function eventFamilyOfField(field: WebhookField): 'pull_request' | 'push' | null {
  const parts = segments(field);
  if (parts[0] !== 'body' || parts.length < 2) return null;
  if (parts[1] === 'pull_request' || parts[1] === 'pullrequest' || parts[1] === 'pullRequest') return 'pull_request';
  if (parts[1] === 'head_commit' || parts[1] === 'pusher' || parts[1] === 'checkout_sha') return 'push';
  return null;
}

/** Pipelines-as-Code: the annotation/label forms that make a PipelineRun (or Pipeline) run on pull requests. */
export function pacPullRequestTrigger(annotations: Record<string, string>, labels: Record<string, string>): { key: string; value: string } | null {
  const onEvent = annotations['pipelinesascode.tekton.dev/on-event'];
  if (onEvent !== undefined) {
    const events = onEvent.replace(/[[\]"']/g, ' ').split(/[\s,]+/).filter(Boolean);
    if (events.some((e) => e === 'pull_request' || e === 'pull_request_target')) return { key: 'pipelinesascode.tekton.dev/on-event', value: onEvent };
  }
  const cel = annotations['pipelinesascode.tekton.dev/on-cel-expression'];
  if (cel !== undefined && /\bevent(?:_type)?\s*(?:==\s*["']pull_request["']|in\s*\[[^\]]{0,300}["']pull_request["'])/.test(cel)) {
    return { key: 'pipelinesascode.tekton.dev/on-cel-expression', value: cel };
  }
  for (const key of ['pipelinesascode.tekton.dev/on-comment', 'pipelinesascode.tekton.dev/on-label']) {
    // Comment and label triggers act on pull requests: the run checks out the PR's head.
    if (annotations[key] !== undefined) return { key, value: annotations[key] };
  }
  const eventType = labels['pipelinesascode.tekton.dev/event-type'] ?? annotations['pipelinesascode.tekton.dev/event-type'];
  if (eventType !== undefined && /pull_request|comment/.test(eventType)) return { key: 'pipelinesascode.tekton.dev/event-type', value: eventType };
  return null;
}

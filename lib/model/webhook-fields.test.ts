import { describe, expect, it } from 'vitest';
import { celFields, eventFamilyOfField, filterEvents, isFixedShapeField, isPullRequestEvent, pacPullRequestTrigger, substitutionFields } from './webhook-fields';

describe('webhook field shapes', () => {
  it('treats SHAs, numbers, ids, URLs and repository names as fixed-shape', () => {
    for (const f of [
      'body.head_commit.id', 'body.after', 'body.pull_request.head.sha', 'body.pull_request.number', 'body.repository.clone_url',
      'body.repository.full_name', 'body.repository.name', 'body.project.path_with_namespace', 'body.object_attributes.iid',
      'body.sender.login', 'body.checkout_sha', 'body.project_id', 'header.X-GitHub-Event', 'header.Content-Type', 'body.commits.id',
      'body.changes.toHash', 'body.resource.pullRequestId', 'body.resource.repository.remoteUrl', 'body.push.changes.new.target.hash',
    ]) expect(isFixedShapeField(f), f).toBe(true);
  });
  it('treats titles, bodies, refs, messages, labels, names of people and whole objects as free text', () => {
    for (const f of [
      'body.pull_request.title', 'body.pull_request.body', 'body.ref', 'body.pull_request.head.ref', 'body.head_commit.message',
      'body.comment.body', 'body.pull_request.labels.name', 'body.pusher.name', 'body.head_commit.author.email', 'body',
      'body.pull_request', 'body.object_attributes.source_branch', 'header.X-Custom', 'header', 'body.pull_request.head.label',
      'body.changes.ref.displayId', 'body.user_name', 'body.resource.sourceRefName',
    ]) expect(isFixedShapeField(f), f).toBe(false);
  });
  it('reads the fields of a Triggers substitution, indices dropped', () => {
    expect(substitutionFields('$(body.commits[0].message) at $(header.X-GitHub-Event)')).toEqual(['body.commits.message', 'header.X-GitHub-Event']);
    expect(substitutionFields("$(body['pull_request'].title)")).toEqual(['body.pull_request.title']);
    expect(substitutionFields('main')).toEqual([]);
  });
  it('reads CEL fields, a method call keeping the field it is called on', () => {
    expect(celFields('body.head_commit.id.truncate(7)')).toEqual(['body.head_commit.id']);
    expect(celFields("body.ref.split('/')[2]")).toEqual(['body.ref']);
    expect(celFields("header.canonical('X-GitHub-Event') + body.pull_request.title")).toEqual(['header.X-GitHub-Event', 'body.pull_request.title']);
  });
});

describe('events', () => {
  it('reads the events a CEL filter lets through', () => {
    expect(filterEvents("header.match('X-GitHub-Event', 'pull_request')")).toEqual(['pull_request']);
    expect(filterEvents("header.canonical('X-Gitlab-Event') == 'Merge Request Hook'")).toEqual(['Merge Request Hook']);
    expect(filterEvents("header.match('X-GitHub-Event', 'push') && body.ref == 'refs/heads/main'")).toEqual(['push']);
    expect(filterEvents("body.action in ['opened', 'synchronize', 'reopened']")).toEqual(['pull_request']);
    expect(filterEvents("header.canonical('X-GitHub-Event') != 'push'")).toBeNull();
    expect(filterEvents("body.repository.full_name == 'org/repo'")).toBeNull();
  });
  it('knows the pull request events of each forge', () => {
    for (const e of ['pull_request', 'pull_request_target', 'Merge Request Hook', 'pr:opened', 'pullrequest:created']) expect(isPullRequestEvent(e), e).toBe(true);
    for (const e of ['push', 'Push Hook', 'issue_comment', 'repo:refs_changed', 'Note Hook']) expect(isPullRequestEvent(e), e).toBe(false);
  });
  it('narrows events by the fields a binding needs', () => {
    expect(eventFamilyOfField('body.pull_request.head.sha')).toBe('pull_request');
    expect(eventFamilyOfField('body.head_commit.id')).toBe('push');
    expect(eventFamilyOfField('body.repository.clone_url')).toBeNull();
  });
  it('reads Pipelines-as-Code pull request triggers in their annotation forms', () => {
    const on = (v: string) => pacPullRequestTrigger({ 'pipelinesascode.tekton.dev/on-event': v }, {});
    expect(on('[pull_request]')).not.toBeNull();
    expect(on('[pull_request, push]')).not.toBeNull();
    expect(on('pull_request')).not.toBeNull();
    expect(on('["push"]')).toBeNull();
    const cel = (v: string) => pacPullRequestTrigger({ 'pipelinesascode.tekton.dev/on-cel-expression': v }, {});
    expect(cel('event == "pull_request" && target_branch == "main"')).not.toBeNull();
    expect(cel('event in ["push", "pull_request"]')).not.toBeNull();
    expect(cel('event == "push" && target_branch == "main"')).toBeNull();
    expect(cel('event != "pull_request"')).toBeNull();
    expect(pacPullRequestTrigger({}, { 'pipelinesascode.tekton.dev/event-type': 'pull_request' })).not.toBeNull();
    expect(pacPullRequestTrigger({}, { 'pipelinesascode.tekton.dev/event-type': 'push' })).toBeNull();
  });
});

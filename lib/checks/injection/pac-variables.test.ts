import { describe, expect, it } from 'vitest';
import { classifyPacExpression, pacVariablesIn, pacVariablesInValue } from './pac-variables';

describe('pacVariablesIn', () => {
  it.each([
    '{{ source_branch }}',
    '{{source_branch}}',
    '{{ trigger_comment }}',
    '{{ body.pull_request.title }}',
    '{{ body.pull_request.body }}',
    '{{ body.head_commit.message }}',
    '{{ body.commits[0].message }}',
    "{{ body['pull_request']['head']['ref'] }}",
    '{{ body.changes[0].ref.id }}',
    '{{ body.pull_request.user.email }}',
    '{{ body }}',
    '{{ headers }}',
    "{{ headers['X-Custom-Note'] }}",
    '{{ files.all }}',
    '{{ files.modified }}',
    '{{ cel: pac.source_branch }}',
    '{{ cel: body.pull_request.title.lowerAscii() }}',
    '{{ cel: body.action == "opened" ? body.pull_request.title : "x" }}',
  ])('%s is attacker-controlled', (text) => {
    expect(pacVariablesIn(text)).toEqual([expect.objectContaining({ attackerControlled: true })]);
  });
  it.each([
    '{{ revision }}',
    '{{ pull_request_number }}',
    '{{ repo_owner }}/{{ repo_name }}',
    '{{ repo_url }}',
    '{{ source_url }}',
    '{{ git_auth_secret }}',
    '{{ event_type }}',
    '{{ target_namespace }}',
    '{{ target_branch }}',
    '{{ git_tag }}',
    '{{ pull_request_labels }}',
    '{{ sender }}',
    '{{ my_custom_param }}',
    '{{ body.pull_request.number }}',
    '{{ body.pull_request.head.sha }}',
    '{{ body.pull_request.user.login }}',
    '{{ body.pull_request.html_url }}',
    '{{ body.pull_request.user.email.startsWith("pac@") }}',
    '{{ body.pull_request.state == "open" }}',
    "{{ headers['X-Github-Event'] }}",
    "{{ headers['X-Gitea-Event-Type'] }}",
    '{{ cel: files.all.size() > 0 ? "has-files" : "no-files" }}',
    '{{ cel: has(body.pull_request) ? "has-pr" : "no-pr" }}',
    '{{ cel: pac.target_branch.replace("release-", "").replace(".x", ".0") }}',
    '{{ cel: "Build on " + pac.target_branch }}',
    '{{ cel: headers["X-Gitlab-Event"] }}',
  ])('%s is fixed-shape', (text) => {
    const vars = pacVariablesIn(text);
    expect(vars.length).toBeGreaterThan(0);
    expect(vars.every((v) => !v.attackerControlled)).toBe(true);
  });
  it.each([
    "docker inspect -f '{{ .Id }}' app",
    "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}'",
    "{{ index .RepoDigests 0 }} {{ if ne .Tag \"<none>\" }}x{{ else }}y{{ end }}",
    '{{- .Values.x -}} {{/* comment */}}',
    '{ source_branch } {{x}} $(params.x) ${{ github.head_ref }}',
  ])('%j holds no PaC variable', (text) => {
    expect(pacVariablesIn(text).filter((v) => v.name !== 'github.head_ref')).toEqual([]);
  });
  it('reads the flow-mapping form of an unquoted value and stays linear on hostile input', () => {
    expect(pacVariablesInValue('{"{ source_branch }":null}')).toEqual([{ name: 'source_branch', attackerControlled: true }]);
    expect(pacVariablesInValue('x-{{ revision }}')).toEqual([{ name: 'revision', attackerControlled: false }]);
    expect(classifyPacExpression('  ')).toBeNull();
    const t0 = performance.now();
    pacVariablesIn('{{'.repeat(200_000));
    pacVariablesIn(`{{ body${'.a'.repeat(100_000)} }}`);
    pacVariablesIn(`{{ cel: ${'"'.repeat(250)} }}`);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

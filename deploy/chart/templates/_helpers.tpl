{{/* Chart name, truncated to the DNS label limit. */}}
{{- define "tekton-posture.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full object name: <release>-<chart>, or <release> when it already contains the chart name. */}}
{{- define "tekton-posture.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tekton-posture.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tekton-posture.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tekton-posture.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "tekton-posture.labels" -}}
helm.sh/chart: {{ include "tekton-posture.chart" . }}
{{ include "tekton-posture.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: dashboard
app.kubernetes.io/part-of: tekton-posture
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "tekton-posture.serviceAccountName" -}}
{{- default (include "tekton-posture.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{/* image reference: repository@digest when a digest is set, else repository:tag (tag defaults to appVersion). */}}
{{- define "tekton-posture.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/*
The generated RBAC rules (files/rbac-rules.json, written by `npx tsx deploy/render.ts` from readOnlyRules() and
KINDS in lib/kinds.ts). Returned as JSON; use with fromJson.
*/}}
{{- define "tekton-posture.rbacRules" -}}
{{- $raw := .Files.Get "files/rbac-rules.json" }}
{{- if not $raw }}{{ fail "files/rbac-rules.json is missing: run `npx tsx deploy/render.ts`" }}{{ end }}
{{- $raw }}
{{- end }}

{{/* The scope checks shared by the templates. */}}
{{- define "tekton-posture.validate" -}}
{{- if and (eq .Values.scope "namespaces") (not .Values.namespaces) }}
{{- fail "scope: namespaces needs at least one entry in namespaces" }}
{{- end }}
{{- if and (eq .Values.scope "cluster") .Values.namespaces }}
{{- fail "namespaces is only used with scope: namespaces" }}
{{- end }}
{{- end }}

{{/* Host names the dashboard answers to (DNS-rebinding defence): localhost for port-forwards, the Service's DNS
names, the Ingress hosts and any extra names from values. IP literals are always accepted by the app. */}}
{{- define "tekton-posture.allowedHosts" -}}
{{- $svc := include "tekton-posture.fullname" . -}}
{{- $hosts := list "localhost" $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) -}}
{{- if .Values.ingress.enabled -}}
{{- range .Values.ingress.hosts }}{{- $hosts = append $hosts .host -}}{{- end -}}
{{- end -}}
{{- range .Values.allowedHosts }}{{- $hosts = append $hosts . -}}{{- end -}}
{{- join "," $hosts -}}
{{- end -}}

{{/*
NetworkPolicy building blocks. Every Engram pod is selected by a policy with both directions, so
everything not listed is denied: user pods are reachable only from the broker, services only from
the suite, and each pod reaches only DNS and the infrastructure it needs.
*/}}

{{/* A peer: the pods of one component of this release (the user pods by their pool labels). */}}
{{- define "engram.netpol.peer" -}}
- podSelector:
    matchLabels:
      {{- include "engram.netpol.selectorLabels" . | nindent 6 }}
{{- end }}

{{- define "engram.netpol.selectorLabels" -}}
{{- if eq .component "orchestrator-service" }}
{{- include "engram.orchestrator.podSelectorLabels" .root }}
{{- else }}
{{- include "engram.componentSelectorLabels" . }}
{{- end }}
{{- end }}

{{/* Peers that call the services: the other services, the broker, the user pods, helm test. */}}
{{- define "engram.netpol.suitePeers" -}}
- podSelector:
    matchLabels:
      {{- include "engram.selectorLabels" .root | nindent 6 }}
    matchExpressions:
      - key: app.kubernetes.io/component
        operator: In
        values: [container-broker, session-service, memory-service, test]
{{ include "engram.netpol.peer" (dict "root" .root "component" "orchestrator-service") }}
{{- end }}

{{- define "engram.netpol.ingressFrom" -}}
{{- with .root.Values.networkPolicy.ingressFrom }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/* Egress to DNS, the infrastructure the component needs (its pods when in-cluster, its port
otherwise) and the trace collector. */}}
{{- define "engram.netpol.baseEgress" -}}
{{- $root := .root -}}
{{- $needs := include "engram.needs" . | fromJsonArray -}}
- ports:
    - {port: 53, protocol: UDP}
    - {port: 53, protocol: TCP}
{{- range $infra := list "postgresql" "redis" "kafka" }}
{{- if has $infra $needs }}
{{- $v := index $root.Values $infra }}
- ports:
  {{- if eq $infra "kafka" }}
  {{- range $server := splitList "," (include "engram.kafka.bootstrapServers" $root) | uniq }}
    - {port: {{ regexFind "[0-9]+$" $server }}, protocol: TCP}
  {{- end }}
  {{- else }}
    - {port: {{ $v.port }}, protocol: TCP}
  {{- end }}
  {{- if $v.inCluster.enabled }}
  to:
    {{- include "engram.netpol.peer" (dict "root" $root "component" $infra) | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
{{- if $root.Values.tracing.enabled }}
- ports:
    - {port: {{ regexFind "[0-9]+$" (trimSuffix "/" $root.Values.tracing.endpoint) | default "4317" }}, protocol: TCP}
{{- end }}
{{- end }}

{{/* Egress to session-service and memory-service. */}}
{{- define "engram.netpol.servicesEgress" -}}
{{- range $c := list "session-service" "memory-service" }}
{{- $ctx := dict "root" $.root "component" $c }}
- ports:
    - {port: {{ include "engram.port" $ctx }}, protocol: TCP}
  to:
    {{- include "engram.netpol.peer" $ctx | nindent 4 }}
{{- end }}
{{- end }}

{{/* Head of the NetworkPolicy of one component, up to its (Ingress, Egress) policy types. */}}
{{- define "engram.netpol.head" -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "engram.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "engram.netpol.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
{{- end }}

{{/*
Names, labels and the small lookups every template shares.
Component helpers take a dict: (dict "root" $ "component" "session-service").
*/}}

{{- define "engram.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* <release>-<chart>, or just <release> when it already contains the chart name. */}}
{{- define "engram.fullname" -}}
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

{{- define "engram.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "engram.selectorLabels" -}}
app.kubernetes.io/name: {{ include "engram.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "engram.labels" -}}
helm.sh/chart: {{ include "engram.chart" . }}
{{ include "engram.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: engram
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* What each component is: its values key, HTTP port and tier (engram.dev/tier). */}}
{{- define "engram.components" -}}
session-service: {key: sessionService, port: 8081, tier: service}
memory-service: {key: memoryService, port: 8082, tier: service}
container-broker: {key: containerBroker, port: 8080, tier: gateway}
orchestrator-service: {key: orchestrator, port: 8090, tier: runtime}
postgresql: {port: 5432, tier: infrastructure}
redis: {port: 6379, tier: infrastructure}
kafka: {port: 9092, tier: infrastructure}
test: {port: 0, tier: test}
{{- end }}

{{- define "engram.component" -}}
{{- $all := include "engram.components" . | fromYaml }}
{{- index $all .component | toYaml }}
{{- end }}

{{- define "engram.componentName" -}}
{{- printf "%s-%s" (include "engram.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "engram.componentSelectorLabels" -}}
{{ include "engram.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "engram.componentLabels" -}}
{{ include "engram.labels" .root }}
app.kubernetes.io/component: {{ .component }}
engram.dev/tier: {{ (include "engram.component" . | fromYaml).tier }}
{{- end }}

{{- define "engram.port" -}}
{{- (include "engram.component" . | fromYaml).port }}
{{- end }}

{{/* The values block of a component (sessionService, memoryService, ...). */}}
{{- define "engram.values" -}}
{{- index .root.Values (include "engram.component" . | fromYaml).key | toYaml }}
{{- end }}

{{- define "engram.image" -}}
{{- $v := include "engram.values" . | fromYaml }}
{{- $img := .root.Values.image }}
{{- printf "%s/%s:%s" $img.registry $v.image.repository (default .root.Chart.AppVersion $img.tag) }}
{{- end }}

{{/* The port of a component's Service: its `service.port` value if it has one, else its own port. */}}
{{- define "engram.servicePort" -}}
{{- dig "service" "port" (include "engram.port" . | int) (include "engram.values" . | fromYaml) }}
{{- end }}

{{- define "engram.serviceUrl" -}}
{{- printf "http://%s:%v" (include "engram.componentName" .) (include "engram.servicePort" .) }}
{{- end }}

{{- define "engram.serviceAccountName" -}}
{{- include "engram.componentName" . }}
{{- end }}

{{/* Infrastructure endpoints: the in-cluster StatefulSet's Service when enabled, else the external host. */}}
{{- define "engram.postgresql.host" -}}
{{- if .Values.postgresql.inCluster.enabled }}{{ include "engram.componentName" (dict "root" . "component" "postgresql") }}{{ else }}{{ .Values.postgresql.host }}{{ end }}
{{- end }}

{{- define "engram.redis.host" -}}
{{- if .Values.redis.inCluster.enabled }}{{ include "engram.componentName" (dict "root" . "component" "redis") }}{{ else }}{{ .Values.redis.host }}{{ end }}
{{- end }}

{{- define "engram.kafka.bootstrapServers" -}}
{{- if .Values.kafka.inCluster.enabled }}{{ printf "%s:9092" (include "engram.componentName" (dict "root" . "component" "kafka")) }}{{ else }}{{ .Values.kafka.bootstrapServers }}{{ end }}
{{- end }}

{{- define "engram.postgresql.secretName" -}}
{{- default (include "engram.componentName" (dict "root" . "component" "postgresql")) .Values.postgresql.existingSecret }}
{{- end }}

{{- define "engram.redis.secretName" -}}
{{- default (include "engram.componentName" (dict "root" . "component" "redis")) .Values.redis.existingSecret }}
{{- end }}

{{- define "engram.jwt.secretName" -}}
{{- default (printf "%s-jwt" (include "engram.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{- define "engram.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The broker's pool of user pods (ENGRAM_BROKER_KUBERNETES_POOL). The broker labels every pod it
creates with engram.dev/pool and app.kubernetes.io/instance set to it; the network policies
select the user pods by these two labels.
*/}}
{{- define "engram.orchestrator.pool" -}}
{{- .Release.Name }}
{{- end }}

{{- define "engram.orchestrator.podSelectorLabels" -}}
app.kubernetes.io/instance: {{ include "engram.orchestrator.pool" . }}
engram.dev/pool: {{ include "engram.orchestrator.pool" . }}
{{- end }}

{{/*
The ConfigMap holding the orchestrator pod template: the broker reads the template from its mount
and makes the ConfigMap the owner of every pod, so deleting it (helm uninstall) collects them.
*/}}
{{- define "engram.orchestrator.podTemplateName" -}}
{{- printf "%s-pod-template" (include "engram.componentName" (dict "root" . "component" "orchestrator-service")) }}
{{- end }}

{{/* The Lease the broker replicas elect the pool controller's leader with. */}}
{{- define "engram.broker.leaseName" -}}
{{- printf "%s-pool-controller" (include "engram.fullname" .) }}
{{- end }}

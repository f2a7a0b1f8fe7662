{{/*
Helpers of the optional in-cluster PostgreSQL, Redis and Kafka (StatefulSets meant for trying the
chart on a bare cluster, not for production).
*/}}

{{/*
The chart's own password Secret of postgresql or redis: the password from values, else (in-cluster
only) a generated one that `lookup` keeps across upgrades, else empty (no authentication).
*/}}
{{- define "engram.infra.passwordSecret" -}}
{{- $root := .root -}}
{{- $v := index $root.Values .component -}}
{{- if not $v.existingSecret }}
{{- $name := include "engram.componentName" . -}}
{{- $password := $v.password -}}
{{- if and (not $password) $v.inCluster.enabled }}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace $name -}}
{{- $password = $existing | dig "data" $v.existingSecretKey "" | b64dec | default (randAlphaNum 32) -}}
{{- end }}
apiVersion: v1
kind: Secret
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
  {{- if and (not $v.password) $v.inCluster.enabled }}
  annotations:
    engram.dev/generated: "true"
  {{- end }}
type: Opaque
data:
  {{ $v.existingSecretKey }}: {{ $password | b64enc | quote }}
{{- end }}
{{- end }}

{{- define "engram.infra.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "engram.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
spec:
  clusterIP: None
  publishNotReadyAddresses: false
  selector:
    {{- include "engram.componentSelectorLabels" . | nindent 4 }}
  ports:
    - name: {{ .component }}
      port: {{ include "engram.port" . }}
      targetPort: {{ .component }}
      protocol: TCP
{{- end }}

{{/*
A single-replica StatefulSet with one volume at .dataPath; .container holds the container's
image, command, env, probes and extra mounts. Non-root, read-only root filesystem, emptyDir /tmp.
*/}}
{{- define "engram.infra.statefulSet" -}}
{{- $root := .root -}}
{{- $v := index $root.Values .component -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ include "engram.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
spec:
  serviceName: {{ include "engram.componentName" . }}
  replicas: 1
  selector:
    matchLabels:
      {{- include "engram.componentSelectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "engram.componentLabels" . | nindent 8 }}
    spec:
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        runAsNonRoot: true
        runAsUser: {{ .uid }}
        runAsGroup: {{ .uid }}
        fsGroup: {{ .uid }}
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {{ .component }}
          image: {{ $v.inCluster.image }}
          imagePullPolicy: IfNotPresent
          ports:
            - name: {{ .component }}
              containerPort: {{ include "engram.port" . }}
              protocol: TCP
          {{- toYaml .container | nindent 10 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          resources:
            {{- toYaml $v.inCluster.resources | nindent 12 }}
          volumeMounts:
            - name: data
              mountPath: {{ .dataPath }}
            - name: tmp
              mountPath: /tmp
            {{- with .mounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- with .volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumeClaimTemplates:
    - metadata:
        name: data
        labels:
          {{- include "engram.componentSelectorLabels" . | nindent 10 }}
      spec:
        accessModes: ["ReadWriteOnce"]
        {{- with $v.inCluster.storageClass }}
        storageClassName: {{ . }}
        {{- end }}
        resources:
          requests:
            storage: {{ $v.inCluster.storage }}
{{- end }}
{{/* Policy of an in-cluster infrastructure pod: ingress on its port from .clients, egress to DNS
and .egressTo (its own peers) only. */}}
{{- define "engram.infra.networkPolicy" -}}
{{- $root := .root -}}
{{ include "engram.netpol.head" . }}
  ingress:
    - ports:
        - {port: {{ include "engram.port" . }}, protocol: TCP}
      from:
        {{- range .clients }}
        {{- include "engram.netpol.peer" (dict "root" $root "component" .) | nindent 8 }}
        {{- end }}
  egress:
    - ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
    {{- if .self }}
    - ports:
        - {port: {{ include "engram.port" . }}, protocol: TCP}
      to:
        {{- include "engram.netpol.peer" . | nindent 8 }}
    {{- end }}
{{- end }}

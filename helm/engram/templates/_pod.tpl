{{/*
The pod every Engram service runs in: non-root, read-only root filesystem with an emptyDir /tmp,
no service-account token unless the component talks to the Kubernetes API (only the broker),
probes on the Quarkus health endpoints, the token-verification key mounted read-only.
The orchestrator pod template the broker uses is built from the same pieces.
*/}}

{{- define "engram.pod" -}}
{{- $root := .root -}}
{{- $v := include "engram.values" . | fromYaml -}}
{{- $broker := eq .component "container-broker" -}}
serviceAccountName: {{ include "engram.serviceAccountName" . }}
automountServiceAccountToken: {{ $broker }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- include "engram.imagePullSecrets" $root }}
terminationGracePeriodSeconds: 30
containers:
  - name: {{ .component }}
    image: {{ include "engram.image" . }}
    imagePullPolicy: {{ $root.Values.image.pullPolicy }}
    ports:
      - name: http
        containerPort: {{ include "engram.port" . }}
        protocol: TCP
    envFrom:
      - configMapRef:
          name: {{ include "engram.componentName" . }}
    {{- with include "engram.secretEnv" . | trim }}
    env:
      {{- . | nindent 6 }}
    {{- end }}
    securityContext:
      {{- toYaml $root.Values.containerSecurityContext | nindent 6 }}
    resources:
      {{- toYaml $v.resources | nindent 6 }}
    startupProbe:
      httpGet: {path: /q/health/started, port: http}
      periodSeconds: 2
      failureThreshold: 60
    livenessProbe:
      httpGet: {path: /q/health/live, port: http}
      periodSeconds: 10
      timeoutSeconds: 3
      failureThreshold: 3
    readinessProbe:
      httpGet: {path: /q/health/ready, port: http}
      periodSeconds: 5
      timeoutSeconds: 3
      failureThreshold: 3
    volumeMounts:
      - name: tmp
        mountPath: /tmp
      - name: jwt
        mountPath: {{ include "engram.jwtDir" . }}
        readOnly: true
      {{- if $broker }}
      - name: orchestrator-pod
        mountPath: /etc/engram/broker
        readOnly: true
      {{- end }}
      {{- if $root.Values.kafka.tls.caSecret }}
      - name: kafka-tls
        mountPath: {{ include "engram.kafka.tlsDir" . }}
        readOnly: true
      {{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 256Mi
  - name: jwt
    secret:
      secretName: {{ include "engram.jwt.secretName" $root }}
      defaultMode: 0440
      {{- if not $broker }}
      items:
        - key: public.pem
          path: public.pem
      {{- end }}
  {{- if $root.Values.kafka.tls.caSecret }}
  - name: kafka-tls
    secret:
      secretName: {{ $root.Values.kafka.tls.caSecret }}
      defaultMode: 0444
      items:
        - key: {{ $root.Values.kafka.tls.caKey }}
          path: {{ $root.Values.kafka.tls.caKey }}
  {{- end }}
  {{- if $broker }}
  - name: orchestrator-pod
    configMap:
      name: {{ include "engram.orchestrator.podTemplateName" $root }}
  {{- end }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Deployment of a stateless service (session-service, memory-service, container-broker). */}}
{{- define "engram.deployment" -}}
{{- $root := .root -}}
{{- $v := include "engram.values" . | fromYaml -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "engram.componentName" . }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  selector:
    matchLabels:
      {{- include "engram.componentSelectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "engram.componentLabels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include "engram.config" . | sha256sum }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- include "engram.pod" . | nindent 6 }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "engram.componentSelectorLabels" . | nindent 14 }}
{{- end }}

{{- define "engram.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "engram.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
data:
  {{- include "engram.config" . | nindent 2 }}
{{- end }}

{{- define "engram.service" -}}
{{- $v := include "engram.values" . | fromYaml -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "engram.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
spec:
  type: {{ dig "service" "type" "ClusterIP" $v }}
  selector:
    {{- include "engram.componentSelectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ include "engram.servicePort" . }}
      targetPort: http
      protocol: TCP
{{- end }}

{{- define "engram.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "engram.serviceAccountName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
automountServiceAccountToken: {{ eq .component "container-broker" }}
{{- end }}

{{- define "engram.hpa" -}}
{{- $v := include "engram.values" . | fromYaml -}}
{{- if $v.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "engram.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "engram.componentName" . }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end }}

{{- define "engram.pdb" -}}
{{- $v := include "engram.values" . | fromYaml -}}
{{- if $v.podDisruptionBudget.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "engram.componentName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "engram.componentLabels" . | nindent 4 }}
spec:
  minAvailable: {{ $v.podDisruptionBudget.minAvailable }}
  selector:
    matchLabels:
      {{- include "engram.componentSelectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

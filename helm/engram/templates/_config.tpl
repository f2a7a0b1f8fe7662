{{/*
Configuration of the services as environment variables (Quarkus maps engram.session.max-x to
ENGRAM_SESSION_MAX_X). Rendered into each component's ConfigMap; secrets go through
"engram.secretEnv" as secretKeyRefs instead.
*/}}

{{- define "engram.jwtDir" -}}/etc/engram/jwt{{- end }}

{{/*
Keys every service shares: logging, JVM (the global javaOpts, then the component's own javaOpts
when it has the key: the broker), token verification, Kafka, tracing.
*/}}
{{- define "engram.config.common" -}}
{{- $root := .root -}}
{{- $own := (include "engram.values" . | fromYaml).javaOpts | default "" -}}
QUARKUS_LOG_LEVEL: {{ $root.Values.logLevel | quote }}
JAVA_OPTS_APPEND: {{ printf "%s %s" $root.Values.javaOpts $own | trim | quote }}
MP_JWT_VERIFY_ISSUER: {{ $root.Values.auth.issuer | quote }}
MP_JWT_VERIFY_PUBLICKEY_LOCATION: {{ default (printf "%s/public.pem" (include "engram.jwtDir" .)) $root.Values.auth.publicKeyLocation | quote }}
KAFKA_BOOTSTRAP_SERVERS: {{ include "engram.kafka.bootstrapServers" $root | quote }}
{{- include "engram.config.kafkaSecurity" $root }}
QUARKUS_OTEL_SDK_DISABLED: {{ not $root.Values.tracing.enabled | quote }}
{{- if $root.Values.tracing.enabled }}
QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT: {{ $root.Values.tracing.endpoint | quote }}
{{- /* the traces endpoint too: a service may set quarkus.otel.exporter.otlp.traces.endpoint */}}
QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {{ $root.Values.tracing.endpoint | quote }}
{{- end }}
{{- end }}

{{- define "engram.kafka.tlsDir" -}}/etc/engram/kafka-tls{{- end }}

{{/*
How the Kafka clients authenticate and what they trust (nothing when PLAINTEXT, the default). The
SASL credentials themselves are secretKeyRefs ("engram.secretEnv"); Quarkus hands every KAFKA_*
variable to every Kafka client (KAFKA_SASL_MECHANISM becomes sasl.mechanism).
*/}}
{{- define "engram.config.kafkaSecurity" -}}
{{- $kafka := .Values.kafka -}}
{{- if and $kafka.inCluster.enabled (ne $kafka.securityProtocol "PLAINTEXT") }}
{{- fail "kafka.inCluster speaks PLAINTEXT only: leave kafka.securityProtocol at PLAINTEXT, or use an external Kafka" }}
{{- end }}
{{- if and (hasPrefix "SASL_" $kafka.securityProtocol) (not $kafka.sasl.existingSecret) }}
{{- fail (printf "kafka.securityProtocol %s needs kafka.sasl.existingSecret (a Secret with the username and password)" $kafka.securityProtocol) }}
{{- end }}
{{- if and $kafka.tls.caSecret (not (hasSuffix "SSL" $kafka.securityProtocol)) }}
{{- fail "kafka.tls.caSecret is for kafka.securityProtocol SSL or SASL_SSL" }}
{{- end }}
{{- if ne $kafka.securityProtocol "PLAINTEXT" }}
KAFKA_SECURITY_PROTOCOL: {{ $kafka.securityProtocol | quote }}
{{- end }}
{{- if hasPrefix "SASL_" $kafka.securityProtocol }}
KAFKA_SASL_MECHANISM: {{ $kafka.sasl.mechanism | quote }}
{{- end }}
{{- if $kafka.tls.caSecret }}
KAFKA_SSL_TRUSTSTORE_TYPE: "PEM"
KAFKA_SSL_TRUSTSTORE_LOCATION: {{ printf "%s/%s" (include "engram.kafka.tlsDir" .) $kafka.tls.caKey | quote }}
{{- end }}
{{- end }}

{{- define "engram.config.postgresql" -}}
{{- $root := .root -}}
{{- $db := (include "engram.values" . | fromYaml).database -}}
{{- $address := printf "%s:%v/%s" (include "engram.postgresql.host" $root) $root.Values.postgresql.port $db -}}
QUARKUS_DATASOURCE_REACTIVE_URL: {{ printf "postgresql://%s" $address | quote }}
QUARKUS_DATASOURCE_JDBC_URL: {{ printf "jdbc:postgresql://%s" $address | quote }}
QUARKUS_DATASOURCE_USERNAME: {{ $root.Values.postgresql.username | quote }}
{{- end }}

{{- define "engram.config.redis" -}}
QUARKUS_REDIS_HOSTS: {{ printf "redis://%s:%v" (include "engram.redis.host" .root) .root.Values.redis.port | quote }}
{{- end }}

{{- define "engram.config.session-service" -}}
{{ include "engram.config.common" . }}
{{ include "engram.config.postgresql" . }}
{{- if .root.Values.tracing.enabled }}
{{- /* session-service discards its spans unless told to export them */}}
ENGRAM_SESSION_TRACING_EXPORT: "true"
{{- end }}
{{- end }}

{{- define "engram.config.memory-service" -}}
{{ include "engram.config.common" . }}
{{ include "engram.config.postgresql" . }}
{{ include "engram.config.redis" . }}
{{- end }}

{{- define "engram.config.container-broker" -}}
{{- $root := .root -}}
{{- $pool := $root.Values.orchestrator.pool -}}
{{- $orchestrator := dict "root" $root "component" "orchestrator-service" -}}
{{- $resources := $root.Values.orchestrator.resources -}}
{{- $rateLimit := $root.Values.containerBroker.rateLimit -}}
{{ include "engram.config.common" . }}
{{ include "engram.config.redis" . }}
SMALLRYE_JWT_SIGN_KEY_LOCATION: {{ printf "%s/private.pem" (include "engram.jwtDir" .) | quote }}
SMALLRYE_JWT_NEW_TOKEN_ISSUER: {{ $root.Values.auth.issuer | quote }}
ENGRAM_BROKER_RUNTIME: "kubernetes"
ENGRAM_BROKER_POOL_TARGET_WARM: {{ $pool.warm | quote }}
ENGRAM_BROKER_POOL_MAX_TOTAL: {{ $pool.max | quote }}
ENGRAM_BROKER_POOL_IDLE_TIMEOUT: {{ $pool.idleTimeout | quote }}
ENGRAM_BROKER_POOL_MAX_LIFETIME: {{ $pool.maxLifetime | quote }}
ENGRAM_BROKER_KUBERNETES_NAMESPACE: {{ $root.Release.Namespace | quote }}
ENGRAM_BROKER_KUBERNETES_POOL: {{ include "engram.orchestrator.pool" $root | quote }}
ENGRAM_BROKER_KUBERNETES_LEASE_NAME: {{ include "engram.broker.leaseName" $root | quote }}
ENGRAM_BROKER_KUBERNETES_OWNER_CONFIG_MAP: {{ include "engram.orchestrator.podTemplateName" $root | quote }}
ENGRAM_BROKER_KUBERNETES_IMAGE: {{ include "engram.image" $orchestrator | quote }}
ENGRAM_BROKER_KUBERNETES_IMAGE_PULL_POLICY: {{ $root.Values.image.pullPolicy | quote }}
ENGRAM_BROKER_KUBERNETES_PORT: {{ include "engram.port" $orchestrator | quote }}
ENGRAM_BROKER_KUBERNETES_SERVICE_ACCOUNT: {{ include "engram.serviceAccountName" $orchestrator | quote }}
ENGRAM_BROKER_KUBERNETES_ENV_CONFIG_MAP: {{ include "engram.componentName" $orchestrator | quote }}
ENGRAM_BROKER_KUBERNETES_RUN_AS_USER: {{ $root.Values.podSecurityContext.runAsUser | quote }}
ENGRAM_BROKER_KUBERNETES_RESOURCES_REQUESTS_CPU: {{ $resources.requests.cpu | quote }}
ENGRAM_BROKER_KUBERNETES_RESOURCES_REQUESTS_MEMORY: {{ $resources.requests.memory | quote }}
ENGRAM_BROKER_KUBERNETES_RESOURCES_LIMITS_CPU: {{ $resources.limits.cpu | quote }}
ENGRAM_BROKER_KUBERNETES_RESOURCES_LIMITS_MEMORY: {{ $resources.limits.memory | quote }}
ENGRAM_BROKER_KUBERNETES_POD_TEMPLATE: "/etc/engram/broker/orchestrator-pod.yaml"
ENGRAM_BROKER_GATEWAY_SESSION_SERVICE_URL: {{ include "engram.serviceUrl" (dict "root" $root "component" "session-service") | quote }}
ENGRAM_BROKER_GATEWAY_MEMORY_SERVICE_URL: {{ include "engram.serviceUrl" (dict "root" $root "component" "memory-service") | quote }}
ENGRAM_BROKER_GATEWAY_RATE_LIMIT_CAPACITY: {{ $rateLimit.capacity | quote }}
ENGRAM_BROKER_GATEWAY_RATE_LIMIT_REFILL_PER_SECOND: {{ $rateLimit.refillPerSecond | quote }}
ENGRAM_BROKER_GATEWAY_DEV_TOKENS: {{ $root.Values.auth.devTokens | quote }}
{{- end }}

{{- define "engram.config.orchestrator-service" -}}
{{- $root := .root -}}
{{- $llm := $root.Values.orchestrator.llm -}}
{{ include "engram.config.common" . }}
{{ include "engram.config.redis" . }}
ENGRAM_ORCHESTRATOR_SERVICES_SESSION_URL: {{ include "engram.serviceUrl" (dict "root" $root "component" "session-service") | quote }}
ENGRAM_ORCHESTRATOR_SERVICES_MEMORY_URL: {{ include "engram.serviceUrl" (dict "root" $root "component" "memory-service") | quote }}
{{- with $llm.baseUrl }}
ENGRAM_ORCHESTRATOR_PROVIDER_BASE_URL: {{ . | quote }}
{{- end }}
{{- with $llm.model }}
ENGRAM_ORCHESTRATOR_PROVIDER_MODEL: {{ . | quote }}
{{- end }}
{{- end }}

{{/* The whole ConfigMap data of a component: its keys, then the user's `env` map. */}}
{{- define "engram.config" -}}
{{- $data := include (printf "engram.config.%s" .component) . | fromYaml -}}
{{- range $name, $value := (include "engram.values" . | fromYaml).env }}
{{- $_ := set $data $name (toString $value) }}
{{- end }}
{{- toYaml $data }}
{{- end }}

{{/* Which infrastructure each component talks to (drives secret env and egress rules). */}}
{{- define "engram.needs" -}}
{{- $needs := dict
  "session-service" (list "postgresql" "kafka")
  "memory-service" (list "postgresql" "redis" "kafka")
  "container-broker" (list "redis" "kafka")
  "orchestrator-service" (list "redis" "kafka") -}}
{{- index $needs .component | toJson }}
{{- end }}

{{/* Secret-backed environment variables of a component, as EnvVar objects. */}}
{{- define "engram.secretEnv" -}}
{{- $root := .root -}}
{{- $needs := include "engram.needs" . | fromJsonArray -}}
{{- if has "postgresql" $needs }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "engram.postgresql.secretName" $root }}
      key: {{ $root.Values.postgresql.existingSecretKey }}
{{- end }}
{{- if has "redis" $needs }}
- name: QUARKUS_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "engram.redis.secretName" $root }}
      key: {{ $root.Values.redis.existingSecretKey }}
{{- end }}
{{- if and (has "kafka" $needs) (hasPrefix "SASL_" $root.Values.kafka.securityProtocol) }}
{{- $sasl := $root.Values.kafka.sasl }}
{{- $module := ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq $sasl.mechanism "PLAIN") }}
- name: ENGRAM_KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $sasl.existingSecret }}
      key: {{ $sasl.usernameKey }}
- name: ENGRAM_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $sasl.existingSecret }}
      key: {{ $sasl.passwordKey }}
{{- /* the kubelet substitutes $(NAME) with the two variables above */}}
- name: KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "%s required username=\"$(ENGRAM_KAFKA_SASL_USERNAME)\" password=\"$(ENGRAM_KAFKA_SASL_PASSWORD)\";" $module | quote }}
{{- end }}
{{- if and (eq .component "orchestrator-service") $root.Values.orchestrator.llm.existingSecret }}
- name: ENGRAM_ORCHESTRATOR_PROVIDER_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.orchestrator.llm.existingSecret }}
      key: {{ $root.Values.orchestrator.llm.existingSecretKey }}
{{- end }}
{{- with $root.Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

/** Warm pool of per-user runtimes (Kubernetes or local processes) and the public gateway. */
package dev.engram.broker;

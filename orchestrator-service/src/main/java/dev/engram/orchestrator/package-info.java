/**
 * The per-user runtime: web UI and WebSocket, short-term memory, context assembly, LLM providers,
 * hooks.
 */
package dev.engram.orchestrator;

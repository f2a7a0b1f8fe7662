package dev.engram.orchestrator.service.llm;

/** One message of a chat-completions prompt. */
public record ChatMessage(String role, String content) {}

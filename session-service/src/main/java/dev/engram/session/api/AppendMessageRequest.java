package dev.engram.session.api;

import dev.engram.events.MessageRole;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.Map;

/**
 * Body of {@code POST /sessions/{id}/messages}. Content longer than the configured bound answers
 * 413.
 */
public record AppendMessageRequest(
    @NotNull MessageRole role, @NotBlank String content, Map<String, Object> metadata) {}

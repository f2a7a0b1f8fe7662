package dev.engram.session.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Body of {@code POST /sessions}. */
public record CreateSessionRequest(
    @NotBlank @Size(max = ApiLimits.TITLE) String title,
    @Size(max = ApiLimits.TAGS) List<@NotBlank @Size(max = ApiLimits.TAG) String> tags,
    Map<String, Object> metadata,
    UUID parentSessionId) {}

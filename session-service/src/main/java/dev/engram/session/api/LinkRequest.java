package dev.engram.session.api;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** Body of {@code POST /sessions/{id}/link}: the session this one continues. */
public record LinkRequest(@NotNull UUID parentSessionId) {}

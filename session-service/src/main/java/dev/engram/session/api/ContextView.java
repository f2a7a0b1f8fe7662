package dev.engram.session.api;

import dev.engram.events.SessionStatus;
import java.util.List;
import java.util.UUID;

/** The immediate context of a session for a prompt: its last messages, oldest first. */
public record ContextView(
    UUID sessionId, String title, SessionStatus status, List<MessageView> messages) {}

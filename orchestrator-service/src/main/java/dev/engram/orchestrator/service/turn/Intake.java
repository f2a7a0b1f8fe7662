package dev.engram.orchestrator.service.turn;

import dev.engram.orchestrator.client.MessageView;
import dev.engram.orchestrator.client.SessionView;
import dev.engram.orchestrator.service.hooks.TurnInfo;

/** A turn after its user message was stored. */
public record Intake(TurnInfo turn, SessionView session, MessageView message) {}

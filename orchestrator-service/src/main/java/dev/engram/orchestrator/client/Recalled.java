package dev.engram.orchestrator.client;

import java.util.List;

/** What {@code POST /api/v1/recall} answered: memory hits and procedures, each best first. */
public record Recalled(List<MemoryHit> hits, List<ProcedureView> procedures) {}

package dev.engram.memory.facts;

import java.util.List;

/** A task and its ordered steps, found in a message. */
public record ExtractedProcedure(String task, List<String> steps) {}

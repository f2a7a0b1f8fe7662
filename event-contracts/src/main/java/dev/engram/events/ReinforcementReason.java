package dev.engram.events;

/** Why a memory's strength changed. */
public enum ReinforcementReason {
  RETRIEVAL,
  REPETITION,
  EXPLICIT,
  REHEARSAL,
  PROCEDURE_SUCCESS,
  PROCEDURE_FAILURE
}

/**
 * Long-term memory: episodic, semantic and procedural memories, hybrid search, reinforcement,
 * decay, consolidation, clusters.
 */
package dev.engram.memory;

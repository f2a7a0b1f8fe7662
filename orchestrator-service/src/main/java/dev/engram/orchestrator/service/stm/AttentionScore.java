package dev.engram.orchestrator.service.stm;

/**
 * How much attention an item deserves, and why.
 *
 * @param relevance similarity to the current topic, 0..1
 * @param novelty share of its content not already held, 0..1
 * @param salience importance cues, 0..1
 * @param recency how recent what it refers to is, 0..1
 * @param total the weighted combination, 0..1
 */
public record AttentionScore(
    double relevance, double novelty, double salience, double recency, double total) {}

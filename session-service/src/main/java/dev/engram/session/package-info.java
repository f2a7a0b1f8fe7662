/**
 * Sessions and messages: lifecycle, linked sessions, export and erasure; transactional outbox to
 * Kafka.
 */
package dev.engram.session;

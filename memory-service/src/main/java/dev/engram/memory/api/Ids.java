package dev.engram.memory.api;

import java.util.UUID;

/** Path ids: anything that is not a UUID names nothing, so it is a 404 like an unknown id. */
final class Ids {

  private Ids() {}

  static UUID parse(String id, String what) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound(what);
    }
  }
}

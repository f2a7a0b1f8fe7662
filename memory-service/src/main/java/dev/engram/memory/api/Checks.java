package dev.engram.memory.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every invalid field of a request, then fails once with all of them. */
final class Checks {

  private final List<Problem.FieldError> errors = new ArrayList<>();

  Checks require(boolean ok, String field, String message) {
    if (!ok) {
      errors.add(new Problem.FieldError(field, message));
    }
    return this;
  }

  void throwIfAny() {
    if (!errors.isEmpty()) {
      String detail =
          String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList());
      throw new ApiException(400, "validation", "Invalid request", detail, List.copyOf(errors));
    }
  }
}

package dev.engram.session.api;

/** Size limits of request fields (content and metadata limits are configurable, see config). */
final class ApiLimits {

  /** Longest session title, in characters. */
  static final int TITLE = 500;

  /** Most tags on one session. */
  static final int TAGS = 50;

  /** Longest tag, in characters. */
  static final int TAG = 100;

  private ApiLimits() {}
}

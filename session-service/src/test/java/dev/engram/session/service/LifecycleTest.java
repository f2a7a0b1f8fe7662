package dev.engram.session.service;

import static dev.engram.events.SessionStatus.ACTIVE;
import static dev.engram.events.SessionStatus.ARCHIVED;
import static dev.engram.events.SessionStatus.COMPLETED;
import static dev.engram.events.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.events.SessionStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  @Test
  void eachTransitionIsAllowedFromExactlyItsSourceStates() {
    Map<Lifecycle, Set<SessionStatus>> allowed =
        Map.of(
            Lifecycle.PAUSE, EnumSet.of(ACTIVE),
            Lifecycle.RESUME, EnumSet.of(PAUSED),
            Lifecycle.COMPLETE, EnumSet.of(ACTIVE, PAUSED),
            Lifecycle.ARCHIVE, EnumSet.of(COMPLETED));
    for (Lifecycle transition : Lifecycle.values()) {
      for (SessionStatus status : SessionStatus.values()) {
        assertThat(transition.allowedFrom(status))
            .as("%s from %s", transition, status)
            .isEqualTo(allowed.get(transition).contains(status));
      }
    }
  }

  @Test
  void nothingLeavesArchived() {
    for (Lifecycle transition : Lifecycle.values()) {
      assertThat(transition.allowedFrom(ARCHIVED)).isFalse();
    }
  }

  @Test
  void transitionsLeadWhereTheirVerbSays() {
    assertThat(Lifecycle.PAUSE.target()).isEqualTo(PAUSED);
    assertThat(Lifecycle.RESUME.target()).isEqualTo(ACTIVE);
    assertThat(Lifecycle.COMPLETE.target()).isEqualTo(COMPLETED);
    assertThat(Lifecycle.ARCHIVE.target()).isEqualTo(ARCHIVED);
    assertThat(Lifecycle.ARCHIVE.verb()).isEqualTo("archive");
  }
}

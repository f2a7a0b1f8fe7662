package dev.engram.session.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.session.config.SessionConfig;
import dev.engram.session.model.MessageEntity;
import dev.engram.session.model.SessionEntity;
import dev.engram.session.repository.MessageRepository;
import dev.engram.session.repository.SessionRepository;
import dev.engram.session.repository.SessionRepository.Position;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/** The export of all of a user's data as one JSON document, streamed. */
@ApplicationScoped
public class ExportService {

  private final SessionRepository sessions;
  private final MessageRepository messages;
  private final ObjectMapper mapper;
  private final int pageSize;

  public ExportService(
      SessionRepository sessions,
      MessageRepository messages,
      ObjectMapper mapper,
      SessionConfig config) {
    this.sessions = sessions;
    this.messages = messages;
    this.mapper = mapper;
    this.pageSize = config.paging().exportPageSize();
  }

  /**
   * All of the user's sessions (newest first) with their messages (in order), as one JSON document
   * produced in chunks, page by page. {@code sessionView} and {@code messageView} give the JSON
   * shape of each row.
   */
  public Multi<Buffer> export(
      String userId,
      Function<SessionEntity, ?> sessionView,
      Function<MessageEntity, ?> messageView) {
    ExportWriter writer = new ExportWriter(mapper);
    Multi<Buffer> sessionsWithMessages =
        pages(sessionPages(userId))
            .onItem()
            .transformToIterable(page -> page)
            .onItem()
            .transformToMultiAndConcatenate(
                session -> exportSession(writer, session, sessionView, messageView));
    return Multi.createBy()
        .concatenating()
        .streams(
            Multi.createFrom().item(() -> writer.begin(userId, Clock.now())),
            sessionsWithMessages,
            Multi.createFrom().item(writer::end));
  }

  private Multi<Buffer> exportSession(
      ExportWriter writer,
      SessionEntity session,
      Function<SessionEntity, ?> sessionView,
      Function<MessageEntity, ?> messageView) {
    AtomicLong after = new AtomicLong();
    Multi<List<MessageEntity>> messagePages =
        pages(
            () ->
                messages
                    .after(session.id, after.get(), pageSize)
                    .invoke(page -> page.forEach(m -> after.set(m.sequence))));
    return Multi.createBy()
        .concatenating()
        .streams(
            Multi.createFrom().item(() -> writer.beginSession(sessionView.apply(session))),
            messagePages.map(page -> writer.messages(page.stream().map(messageView).toList())),
            Multi.createFrom().item(writer::endSession));
  }

  private Supplier<Uni<List<SessionEntity>>> sessionPages(String userId) {
    AtomicReference<Position> after = new AtomicReference<>();
    return () ->
        sessions
            .page(userId, null, null, after.get(), pageSize)
            .invoke(
                page -> {
                  if (!page.isEmpty()) {
                    SessionEntity last = page.getLast();
                    after.set(new Position(last.createdAt, last.id));
                  }
                });
  }

  /** Reads page after page, each in a session of its own, until a page comes back empty. */
  private static <T> Multi<List<T>> pages(Supplier<Uni<List<T>>> nextPage) {
    return Multi.createBy()
        .repeating()
        .uni(() -> Panache.withSession(nextPage))
        .until(List::isEmpty);
  }
}

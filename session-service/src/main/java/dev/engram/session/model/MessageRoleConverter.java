package dev.engram.session.model;

import dev.engram.events.MessageRole;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link MessageRole} by its lower-case wire name, as the API and the events spell it. */
@Converter
public class MessageRoleConverter implements AttributeConverter<MessageRole, String> {

  @Override
  public String convertToDatabaseColumn(MessageRole role) {
    return role == null ? null : role.wireName();
  }

  @Override
  public MessageRole convertToEntityAttribute(String value) {
    return value == null ? null : MessageRole.fromWire(value);
  }
}

package dev.engram.session.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** Body of {@code PATCH /sessions/{id}}: the fields present replace the session's. */
public record UpdateSessionRequest(
    @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @Size(max = ApiLimits.TITLE)
        String title,
    @Size(max = ApiLimits.TAGS) List<@NotBlank @Size(max = ApiLimits.TAG) String> tags,
    Map<String, Object> metadata) {}

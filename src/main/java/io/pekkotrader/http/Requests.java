package io.pekkotrader.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/** Reading and checking request bodies and parameters, shared by the route classes. */
final class Requests {
  /** Largest accepted request body. */
  static final long MAX_BODY_BYTES = 16 * 1024;
  static final int MAX_REASON_LENGTH = 200;
  static final int MAX_PAGE = 500;
  static final ObjectMapper BODIES =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final AllDirectives DIRECTIVES = new AllDirectives() {};

  private Requests() {}

  /** The request body as text, at most {@link #MAX_BODY_BYTES}. */
  static Route body(Function<String, CompletionStage<HttpResponse>> handler) {
    return DIRECTIVES.withSizeLimit(
        MAX_BODY_BYTES,
        () -> DIRECTIVES.entity(Unmarshaller.entityToString(), text -> DIRECTIVES.completeWithFuture(handler.apply(text))));
  }

  /** Thrown while reading a body or parameter that is not acceptable; carries the 4xx. */
  static final class BadInput extends Exception {
    private final transient HttpResponse response;

    BadInput(HttpResponse response) {
      super(null, null, false, false);
      this.response = response;
    }

    HttpResponse response() {
      return response;
    }
  }

  /** The body as a JSON object;. */
  static JsonNode object(String text) throws BadInput {
    JsonNode body;
    try {
      body = BODIES.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadInput(badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage(), null));
    }
    if (body == null || !body.isObject()) {
      throw new BadInput(badRequest("invalid_json", "the body must be a JSON object", null));
    }
    return body;
  }

  /** Refuses any field of {@code body} not in {@code allowed}. */
  static void onlyFields(JsonNode body, Set<String> allowed, String what) throws BadInput {
    var names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new BadInput(badRequest("unknown_field", name + " is not a field of " + what + " " + allowed, name));
      }
    }
  }

  /** A required, non-blank, short, printable reason. */
  static String reason(JsonNode body) throws BadInput {
    JsonNode reason = body.get("reason");
    if (reason == null || !reason.isTextual() || reason.textValue().isBlank()) {
      throw new BadInput(badRequest(reason == null ? "missing_field" : "invalid_field", "reason must be a non-empty string", "reason"));
    }
    String why = reason.textValue().strip();
    if (why.length() > MAX_REASON_LENGTH || why.chars().anyMatch(Character::isISOControl)) {
      throw new BadInput(
          badRequest("invalid_field", "reason must be at most " + MAX_REASON_LENGTH + " characters without control characters", "reason"));
    }
    return why;
  }

  /** Refuses any query parameter not in {@code allowed}. */
  static void onlyParameters(Map<String, String> params, Set<String> allowed, String path) throws BadInput {
    for (String name : params.keySet()) {
      if (!allowed.contains(name)) {
        throw new BadInput(badRequest("unknown_parameter", name + " is not a parameter of " + path + " " + allowed, name));
      }
    }
  }

  /** The page size: {@code limit} in 1..{@link #MAX_PAGE}, default {@code fallback}. */
  static int limit(Map<String, String> params, int fallback) throws BadInput {
    return limit(params, fallback, MAX_PAGE);
  }

  /** The page size: {@code limit} in 1..{@code max}, default {@code fallback}. */
  static int limit(Map<String, String> params, int fallback, int max) throws BadInput {
    try {
      int limit = Integer.parseInt(params.getOrDefault("limit", String.valueOf(fallback)));
      if (limit < 1 || limit > max) {
        throw new NumberFormatException();
      }
      return limit;
    } catch (NumberFormatException e) {
      throw new BadInput(badRequest("invalid_parameter", "limit must be an integer in 1.." + max, "limit"));
    }
  }

  /** The paging cursor: a positive number, {@link Long#MAX_VALUE} when absent. */
  static long before(Map<String, String> params) throws BadInput {
    try {
      long before = params.containsKey("before") ? Long.parseLong(params.get("before")) : Long.MAX_VALUE;
      if (before < 1) {
        throw new NumberFormatException();
      }
      return before;
    } catch (NumberFormatException e) {
      throw new BadInput(badRequest("invalid_parameter", "before must be a positive number (nextBefore of the previous page)", "before"));
    }
  }

  /** A decimal from a JSON string or number; null when it is neither or not a valid decimal. */
  static java.math.BigDecimal decimal(JsonNode node) {
    try {
      if (node.isTextual()) {
        String text = node.textValue().strip();
        if (text.length() > 40) {
          return null;
        }
        return new java.math.BigDecimal(text);
      }
      if (node.isNumber()) {
        return node.decimalValue();
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }

  static HttpResponse badRequest(String code, String message, String field) {
    return ControlRoutes.error(StatusCodes.BAD_REQUEST, code, message, field);
  }

  static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}

package io.pekkotrader.streams.venue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * JSON reading and writing shared by the dialects. The hot path (decoding market data) uses one
 * shared {@link JsonFactory} and a streaming {@link JsonParser} per frame: one pass, no tree,
 * decimals from the token's characters. The cold path (the few frames a client sends to the
 * simulator) reads a tree through {@link #MAPPER}.
 */
final class JsonWire {
  /** Frames longer than this are refused before parsing (venue trade frames are far smaller). */
  static final int MAX_FRAME_CHARS = 1 << 20;

  /**
   * Shared and thread-safe. Field names are canonicalised but not {@code String.intern}ed, so
   * garbage frames full of random keys cannot grow the JVM's string table; nesting is capped.
   */
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(100).maxStringLength(MAX_FRAME_CHARS).build())
          .build();

  /** For client frames only; floats become {@link BigDecimal}, never {@code double}. */
  static final ObjectMapper MAPPER =
      new ObjectMapper(FACTORY.copy()).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Marks "no valid integer" in {@link #longValue}. */
  static final long NO_LONG = Long.MIN_VALUE;

  private JsonWire() {}

  /** Reads the root value of a frame; the parser stands on its first token. */
  @FunctionalInterface
  interface RootReader {
    /**
     * Reads the whole root value (so that trailing content can be checked) and classifies it,
     * or returns {@link Decoded.Malformed} early without reading further.
     */
    Decoded read(JsonParser parser, JsonToken root) throws IOException;
  }

  private static final Decoded NULL_FRAME = new Decoded.Malformed("null frame");
  private static final Decoded EMPTY_FRAME = new Decoded.Malformed("empty frame");
  private static final Decoded TRAILING = new Decoded.Malformed("content after the JSON value");

  /**
   * Decodes one frame with {@code reader}; never throws. Null, empty, oversized, invalid or
   * truncated JSON, and content after the root value are {@link Decoded.Malformed}.
   */
  static Decoded decode(String frame, RootReader reader) {
    if (frame == null) {
      return NULL_FRAME;
    }
    if (frame.length() > MAX_FRAME_CHARS) {
      return new Decoded.Malformed("frame of " + frame.length() + " chars exceeds " + MAX_FRAME_CHARS);
    }
    try (JsonParser parser = FACTORY.createParser(frame)) {
      return read(parser, reader);
    } catch (IOException | RuntimeException e) {
      return new Decoded.Malformed(reason(e));
    }
  }

  /**
   * {@link #decode(String, RootReader)} of a frame's UTF-8 bytes {@code utf8[offset, offset + length)},
   * parsed straight from the bytes; invalid UTF-8 is {@link Decoded.Malformed}.
   */
  static Decoded decode(byte[] utf8, int offset, int length, RootReader reader) {
    if (utf8 == null) {
      return NULL_FRAME;
    }
    if (length > MAX_FRAME_CHARS) {
      return new Decoded.Malformed("frame of " + length + " bytes exceeds " + MAX_FRAME_CHARS);
    }
    try (JsonParser parser = FACTORY.createParser(utf8, offset, length)) {
      return read(parser, reader);
    } catch (IOException | RuntimeException e) {
      return new Decoded.Malformed(reason(e));
    }
  }

  private static Decoded read(JsonParser parser, RootReader reader) throws IOException {
    JsonToken root = parser.nextToken();
    if (root == null) {
      return EMPTY_FRAME;
    }
    Decoded decoded = reader.read(parser, root);
    if (decoded instanceof Decoded.Malformed) {
      return decoded;
    }
    return parser.nextToken() == null ? decoded : TRAILING;
  }

  /** A parser over one frame. */
  static JsonParser parser(String frame) throws IOException {
    return FACTORY.createParser(frame);
  }

  /** The next token; a {@code null} (end of input inside a structure) is an error, not a loop. */
  static JsonToken next(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new IOException("unexpected end of input");
    }
    return token;
  }

  /** Ends a loop over an object's fields: anything but the object's end is malformed. */
  static void expectObjectEnd(JsonToken token) throws IOException {
    if (token != JsonToken.END_OBJECT) {
      throw new IOException("expected a field name, got " + token);
    }
  }

  /** Skips the value the parser stands on (a no-op for scalars). */
  static void skip(JsonParser parser) throws IOException {
    parser.skipChildren();
  }

  /** Whether the current string token's characters equal {@code expected}, without allocating. */
  static boolean textIs(JsonParser parser, JsonToken token, String expected) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      return false;
    }
    int length = parser.getTextLength();
    if (length != expected.length()) {
      return false;
    }
    char[] text = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    for (int i = 0; i < length; i++) {
      if (text[offset + i] != expected.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the current string token starts with {@code prefix}. */
  static boolean textStartsWith(JsonParser parser, JsonToken token, String prefix) throws IOException {
    if (token != JsonToken.VALUE_STRING || parser.getTextLength() < prefix.length()) {
      return false;
    }
    char[] text = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    for (int i = 0; i < prefix.length(); i++) {
      if (text[offset + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The string value, or {@code null} when the token is not a string. */
  static String string(JsonParser parser, JsonToken token) throws IOException {
    return token == JsonToken.VALUE_STRING ? parser.getText() : null;
  }

  /**
   * An id as text: a non-negative JSON integer or a non-empty string; {@code null} for anything
   * else (a negative number, a float, an object).
   */
  static String id(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT) {
      String text = parser.getText();
      return text.charAt(0) == '-' ? null : text;
    }
    if (token == JsonToken.VALUE_STRING && parser.getTextLength() > 0) {
      return parser.getText();
    }
    return null;
  }

  /**
   * An integer sent as a JSON integer or as a string of digits; {@link #NO_LONG} for anything
   * else, including values that do not fit a {@code long}.
   */
  static long longValue(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT) {
      try {
        return parser.getLongValue();
      } catch (InputCoercionException e) {
        return NO_LONG;
      }
    }
    if (token == JsonToken.VALUE_STRING) {
      return digits(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }
    return NO_LONG;
  }

  /** The value of a string of 1 to 18 decimal digits, or {@link #NO_LONG}. */
  static long digits(char[] text, int offset, int length) {
    if (length == 0 || length > 18) {
      return NO_LONG;
    }
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      char c = text[i];
      if (c < '0' || c > '9') {
        return NO_LONG;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * An exact decimal sent as a JSON string or a JSON number, read from the token's characters;
   * {@code null} for anything else or a value out of range (see {@link WireDecimals}).
   */
  static BigDecimal decimal(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return WireDecimals.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }
    return null;
  }

  /** Whether the token is a JSON boolean. */
  static boolean isBoolean(JsonToken token) {
    return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
  }

  /**
   * Epoch milliseconds of an RFC 3339 / ISO-8601 date-time with an offset
   * ({@code 2023-09-25T07:49:37.708706Z}); sub-millisecond digits are truncated. {@link #NO_LONG}
   * when the text is not such a date-time.
   */
  static long rfc3339Millis(String text) {
    if (text == null) {
      return NO_LONG;
    }
    long fast = utcMillis(text);
    if (fast != NO_LONG) {
      return fast;
    }
    try {
      OffsetDateTime time = OffsetDateTime.parse(text);
      return Math.addExact(Math.multiplyExact(time.toEpochSecond(), 1000L), time.getNano() / 1_000_000);
    } catch (DateTimeParseException | ArithmeticException e) {
      return NO_LONG;
    }
  }

  /**
   * The fast path of {@link #rfc3339Millis} for the form venues send,
   * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}; {@link #NO_LONG} for anything else (which then goes
   * through {@link OffsetDateTime#parse}, and is refused there if it is not a date-time).
   */
  private static long utcMillis(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
        || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return NO_LONG;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 28 && day > daysInMonth(year, month)
        || hour > 23 || minute > 59 || second > 59) {
      return NO_LONG;
    }
    int millis = 0;
    if (n > 20) {
      int digits = n - 21;
      if (text.charAt(19) != '.' || digits < 1 || digits > 9 || number(text, 20, digits) < 0) {
        return NO_LONG;
      }
      for (int i = 0; i < 3; i++) {
        millis = millis * 10 + (i < digits ? text.charAt(20 + i) - '0' : 0);
      }
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  private static int daysInMonth(int year, int month) {
    return java.time.YearMonth.of(year, month).lengthOfMonth();
  }

  /** The value of {@code length} decimal digits at {@code offset}, or -1. */
  private static int number(String text, int offset, int length) {
    int value = 0;
    for (int i = offset; i < offset + length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** A JSON string literal (with quotes) for {@code text}, escaped as JSON requires. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, out);
    return out.append('"').toString();
  }

  /** Reads one client frame as a tree, or {@code null} when it is not a JSON object. */
  static JsonNode tree(String frame) {
    if (frame == null || frame.length() > MAX_FRAME_CHARS) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(frame);
      return node != null && node.isObject() ? node : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A short reason for a parser failure: its message without location details. */
  static String reason(Exception e) {
    String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    message = message.replace('\n', ' ');
    return "invalid JSON: " + (message.length() > 160 ? message.substring(0, 160) + "..." : message);
  }
}

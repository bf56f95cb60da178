package io.pekkotrader.streams.venue;

import static io.pekkotrader.streams.venue.DecodedAssertions.assertMalformed;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whatever arrives, every dialect answers {@link Decoded.Malformed} and never throws. */
class MalformedFramesTest {

  static Stream<VenueDialect> dialects() {
    return VenueDialects.venues().stream().map(VenueDialects::forVenue);
  }

  /** A valid trade frame of the dialect, as its encoder writes it. */
  private static String validTrade(VenueDialect dialect) {
    return dialect.encodeTrade("BTCUSDT", new Trade("123456", 1_700_000_000_123L, new BigDecimal("43210.50"), new BigDecimal("0.0125"), Side.BUY));
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void nullEmptyAndBlankFramesAreMalformed(VenueDialect dialect) {
    assertMalformed("null frame", dialect.decode(null));
    assertMalformed("empty frame", dialect.decode(""));
    assertMalformed("empty frame", dialect.decode(" \n\t "));
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void jsonThatIsNotAnObjectOrArrayIsMalformed(VenueDialect dialect) {
    for (String scalar : new String[] {"42", "\"trade\"", "null", "true", "-1.5e3"}) {
      assertMalformed("", dialect.decode(scalar));
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void everyTruncationOfATradeFrameIsMalformed(VenueDialect dialect) {
    String frame = validTrade(dialect);

    for (int length = 0; length < frame.length(); length++) {
      String truncated = frame.substring(0, length);
      Decoded decoded = assertDoesNotThrow(() -> dialect.decode(truncated), truncated);
      assertInstanceOf(Decoded.Malformed.class, decoded, truncated);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void everyTruncationOfATradeFrameIsMalformedFromItsBytesToo(VenueDialect dialect) {
    byte[] frame = validTrade(dialect).getBytes(StandardCharsets.UTF_8);

    for (int length = 0; length < frame.length; length++) {
      int end = length;
      Decoded decoded = assertDoesNotThrow(() -> dialect.decode(frame, 0, end), "first " + end + " bytes");
      assertInstanceOf(Decoded.Malformed.class, decoded, "first " + end + " bytes");
    }
    assertInstanceOf(Decoded.Trades.class, dialect.decode(frame, 0, frame.length), "the whole frame");
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void invalidUtf8InThePriceIsMalformed(VenueDialect dialect) {
    byte[] frame = validTrade(dialect).getBytes(StandardCharsets.UTF_8);
    int price = validTrade(dialect).indexOf("43210");
    frame[price] = (byte) 0xC3; // a lead byte whose continuation is missing
    frame[price + 1] = (byte) 0x28;

    assertInstanceOf(Decoded.Malformed.class, dialect.decode(frame, 0, frame.length));
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void contentAfterTheJsonValueIsMalformed(VenueDialect dialect) {
    String frame = validTrade(dialect);

    assertMalformed("", dialect.decode(frame + "x"));
    assertMalformed("content after the JSON value", dialect.decode(frame + " {}"));
    assertMalformed("", dialect.decode(frame + "}"));
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void invalidJsonIsMalformed(VenueDialect dialect) {
    for (String garbage :
        new String[] {"{", "}", "[", "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "{\"a\":1,}", "[1,,2]", "{\"p\":01}",
            "{\"p\":NaN}", "\u0000", "\uFFFF\uD800", "<html>502 Bad Gateway</html>"}) {
      Decoded decoded = assertDoesNotThrow(() -> dialect.decode(garbage), garbage);
      assertInstanceOf(Decoded.Malformed.class, decoded, garbage);
    }
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void deeplyNestedJsonIsMalformedWithoutExhaustingTheStack(VenueDialect dialect) {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);

    assertMalformed("", dialect.decode(deep));
    assertMalformed("", dialect.decode(deepObject));
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void hugeFramesAreRefusedBeforeParsing(VenueDialect dialect) {
    String huge = "{\"pad\":\"" + "x".repeat(JsonWire.MAX_FRAME_CHARS) + "\"}";

    assertMalformed("exceeds", dialect.decode(huge));
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void hugeNumbersAreMalformed(VenueDialect dialect) {
    String frame = validTrade(dialect);
    String hugeNumber = "9".repeat(5_000);

    Decoded decoded = dialect.decode(frame.replace("43210.50", hugeNumber));

    assertInstanceOf(Decoded.Malformed.class, decoded);
  }

  @ParameterizedTest
  @MethodSource("dialects")
  void randomBytesAreMalformed(VenueDialect dialect) {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = new byte[random.nextInt(300)];
      random.nextBytes(bytes);
      String text = new String(bytes, i % 2 == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      Decoded decoded = assertDoesNotThrow(() -> dialect.decode(text));
      Decoded fromBytes = assertDoesNotThrow(() -> dialect.decode(bytes, 0, bytes.length));
      if (fromBytes instanceof Decoded.Trades) {
        throw new AssertionError("random bytes decoded as trades: " + text);
      }
      // a random byte string is almost never JSON; when it is (e.g. "7"), it is still not a trade
      assertInstanceOf(Decoded.class, decoded);
      if (decoded instanceof Decoded.Trades) {
        throw new AssertionError("random bytes decoded as trades: " + text);
      }
    }
  }
}

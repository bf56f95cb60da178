package io.pekkotrader.streams.venue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The exact-decimal and time parsing under the decoders, against the JDK's own parsers. */
class WireDecimalsTest {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  @Property(tries = 3000)
  void parsesPlainDecimalsExactlyLikeBigDecimalDoes(@ForAll("plainDecimals") String text) {
    BigDecimal expected = new BigDecimal(text);

    assertEquals(expected, WireDecimals.parse(text), text);
  }

  @Test
  void keepsTheScaleAsSent() {
    assertEquals("0.00035600", WireDecimals.parse("0.00035600").toPlainString());
    assertEquals("58942.01000000", WireDecimals.parse("58942.01000000").toPlainString());
    assertEquals("7", WireDecimals.parse("7.").toPlainString());
    assertEquals("0.5", WireDecimals.parse(".5").toPlainString());
    assertEquals("1000", WireDecimals.parse("1E+3").toPlainString());
    assertEquals("0.0012", WireDecimals.parse("1.2e-3").toPlainString());
    assertEquals("-3.5", WireDecimals.parse("-3.5").toPlainString());
  }

  @Test
  void refusesTextThatIsNotADecimalOrOutOfRange() {
    for (String bad : new String[] {"", ".", "-", "1.2.3", "1,5", " 1", "0x10", "1e999999999", "1e-30", "1" + "0".repeat(18),
        "0." + "0".repeat(18) + "1", "9".repeat(70)}) {
      assertNull(WireDecimals.parse(bad), bad);
    }
    assertNull(WireDecimals.parse((String) null));
  }

  @Property(tries = 2000)
  void readsRfc3339TimesLikeTheJdkTruncatingToMilliseconds(
      @ForAll @LongRange(min = 0, max = 4_102_444_800_000_000L) long micros, @ForAll @IntRange(min = 0, max = 9) int digits) {
    Instant instant = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    String text = SECONDS.format(instant)
        + (digits == 0 ? "" : "." + String.format("%09d", instant.getNano()).substring(0, digits)) + "Z";
    long expected = OffsetDateTime.parse(text).toInstant().toEpochMilli();

    assertEquals(expected, JsonWire.rfc3339Millis(text), text);
  }

  @Test
  void refusesTimesThatAreNotRfc3339() {
    for (String bad : new String[] {"", "2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-01-01T24:00:00Z",
        "2023-01-01 00:00:00Z", "2023-01-01T00:00:00", "2023-01-01T00:00:00.1234567890Z", "1700000000000"}) {
      assertEquals(JsonWire.NO_LONG, JsonWire.rfc3339Millis(bad), bad);
    }
    assertEquals(JsonWire.NO_LONG, JsonWire.rfc3339Millis(null));
  }

  @Provide
  Arbitrary<String> plainDecimals() {
    Arbitrary<String> integer = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(18);
    Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(18);
    return net.jqwik.api.Combinators.combine(integer, fraction, Arbitraries.of(true, false))
        .as((i, f, dot) -> dot && !f.isEmpty() ? i + "." + f : i)
        .filter(s -> s.replace(".", "").length() <= 18 || s.indexOf('.') < 0 && s.length() <= 18);
  }
}

package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.BTCUSDT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClientOrderIdsTest {
  /** Binance's rule for newClientOrderId. */
  private static final Pattern BINANCE = Pattern.compile("^[.A-Z:/a-z0-9_-]{1,36}$");

  @Test
  void writesSymbolAndSequenceNumber() {
    String id = ClientOrderIds.of(BTCUSDT, 42);

    assertEquals("BTCUSDT-42", id);
    assertTrue(BINANCE.matcher(id).matches());
  }

  @Test
  void staysWithinThirtySixCharactersForTheLongestSymbolAtAFifteenDigitSequence() {
    SymbolId longest = new SymbolId("longestvenue", "ABCDEFGHIJKLMNOPQRST");

    String id = ClientOrderIds.of(longest, 999_999_999_999_999L);

    assertEquals("ABCDEFGHIJKLMNOPQRST-999999999999999", id);
    assertEquals(36, id.length());
    assertTrue(BINANCE.matcher(id).matches(), id);
  }

  @Test
  void rejectsASequenceNumberThatIsNotPositive() {
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> ClientOrderIds.of(BTCUSDT, 0));
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> ClientOrderIds.of(BTCUSDT, -3));

    assertTrue(zero.getMessage().contains("got 0"), zero.getMessage());
    assertTrue(negative.getMessage().contains("got -3"), negative.getMessage());
  }
}

package io.pekkotrader.streams.venue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The recorded exchange messages copied under {@code src/test/resources/fixtures/exchange-messages}. */
final class Fixtures {
  private Fixtures() {}

  /** Every line of {@code <venue>.jsonl}, in order. */
  static List<String> lines(String venue) {
    String resource = "/fixtures/exchange-messages/" + venue + ".jsonl";
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.pekkotrader.streams.venue;

import java.math.BigDecimal;

/**
 * Exact decimals from the characters of a JSON token, never through {@code double}. Plain
 * decimals of up to 18 digits ({@code 58942.01000000}) take a fast path that builds the
 * {@link BigDecimal} from a {@code long} and a scale; anything else (exponents, more digits)
 * goes through {@link BigDecimal#BigDecimal(char[], int, int)}. The scale is kept as sent, so
 * {@code "0.00035600"} stays {@code 0.00035600}.
 *
 * <p>Values outside the range a price or quantity can take (more than {@value #MAX_INTEGER_DIGITS}
 * integer digits or more than {@value #MAX_SCALE} decimals) are refused, which also keeps
 * {@code 1e999999999} from ever being expanded.
 */
final class WireDecimals {
  /** Most integer digits accepted: values stay below 10^18. */
  static final int MAX_INTEGER_DIGITS = 18;
  /** Most decimals accepted (an 18-decimal token is the finest unit seen on a venue). */
  static final int MAX_SCALE = 18;
  private static final int MAX_TEXT = 64;

  private WireDecimals() {}

  /** The exact value of the text, or {@code null} when it is not a decimal in range. */
  static BigDecimal parse(char[] text, int offset, int length) {
    if (length <= 0 || length > MAX_TEXT) {
      return null;
    }
    long unscaled = 0;
    int digits = 0;
    int scale = -1;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      char c = text[i];
      if (c >= '0' && c <= '9') {
        if (++digits > 18) {
          return slowParse(text, offset, length);
        }
        unscaled = unscaled * 10 + (c - '0');
        if (scale >= 0) {
          scale++;
        }
      } else if (c == '.' && scale < 0) {
        scale = 0;
      } else {
        return slowParse(text, offset, length);
      }
    }
    if (digits == 0) {
      return null;
    }
    return BigDecimal.valueOf(unscaled, Math.max(scale, 0));
  }

  /** {@link #parse(char[], int, int)} for a string. */
  static BigDecimal parse(String text) {
    return text == null ? null : parse(text.toCharArray(), 0, text.length());
  }

  private static BigDecimal slowParse(char[] text, int offset, int length) {
    BigDecimal value;
    try {
      value = new BigDecimal(text, offset, length);
    } catch (NumberFormatException e) {
      return null;
    }
    if (value.precision() - value.scale() > MAX_INTEGER_DIGITS || value.scale() > MAX_SCALE) {
      return null;
    }
    return value.scale() < 0 ? value.setScale(0) : value;
  }
}

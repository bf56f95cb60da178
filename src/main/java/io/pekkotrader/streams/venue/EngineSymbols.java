package io.pekkotrader.streams.venue;

/**
 * The engine's symbol form ({@code [A-Z0-9]{2,20}}, e.g. {@code BTCUSDT}): validation, and a
 * small cache that turns the characters of a JSON token into the same {@link String} instance
 * frame after frame, so decoding a trade does not allocate a new symbol string each time.
 *
 * <p>The cache is a fixed array written without locks. That is safe because a {@code String} is
 * immutable with final fields: a reader sees either {@code null}, an older entry or the newest
 * one, compares its characters, and on a mismatch builds its own string.
 */
final class EngineSymbols {
  static final int MIN_LENGTH = 2;
  static final int MAX_LENGTH = 20;
  /** Pass as {@code skip} to keep every character. */
  static final int KEEP_ALL = -1;
  private static final int SLOTS = 4096;
  private static final String[] CACHE = new String[SLOTS];

  private EngineSymbols() {}

  /** Whether {@code symbol} is in the engine's form. */
  static boolean isEngineSymbol(String symbol) {
    if (symbol == null || symbol.length() < MIN_LENGTH || symbol.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < symbol.length(); i++) {
      if (!isSymbolChar(symbol.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Returns {@code symbol} when it is in the engine's form; throws naming the rule otherwise. */
  static String require(String symbol) {
    if (!isEngineSymbol(symbol)) {
      throw new IllegalArgumentException(
          "symbol must match [A-Z0-9]{2,20} (like BTCUSDT), got " + (symbol == null ? "null" : "'" + symbol + "'"));
    }
    return symbol;
  }

  /**
   * The engine symbol spelled by {@code text[offset, offset + length)} without the characters
   * equal to {@code skip} (Kraken's slash), or {@code null} when the rest is not in the engine's
   * form.
   */
  static String fromChars(char[] text, int offset, int length, int skip) {
    int kept = 0;
    int hash = 0;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      char c = text[i];
      if (c == skip) {
        continue;
      }
      if (!isSymbolChar(c) || ++kept > MAX_LENGTH) {
        return null;
      }
      hash = 31 * hash + c;
    }
    if (kept < MIN_LENGTH) {
      return null;
    }
    int slot = slot(hash);
    String cached = CACHE[slot];
    if (cached != null && sameChars(cached, text, offset, end, skip, kept)) {
      return cached;
    }
    char[] chars = new char[kept];
    int j = 0;
    for (int i = offset; i < end; i++) {
      if (text[i] != skip) {
        chars[j++] = text[i];
      }
    }
    String symbol = new String(chars);
    CACHE[slot] = symbol;
    return symbol;
  }

  /**
   * {@link #fromChars} of ASCII bytes {@code bytes[offset, offset + length)}, keeping every byte:
   * the same cache, so a symbol read from bytes is the same instance as one read from characters.
   */
  static String fromAscii(byte[] bytes, int offset, int length) {
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      return null;
    }
    int hash = 0;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      char c = (char) bytes[i];
      if (!isSymbolChar(c)) {
        return null;
      }
      hash = 31 * hash + c;
    }
    int slot = slot(hash);
    String cached = CACHE[slot];
    if (cached != null && sameAscii(cached, bytes, offset, length)) {
      return cached;
    }
    String symbol = new String(bytes, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    CACHE[slot] = symbol;
    return symbol;
  }

  /** Whether the characters contain {@code c} (a {@code _} marks a futures or options symbol). */
  static boolean contains(char[] text, int offset, int length, char c) {
    for (int i = offset; i < offset + length; i++) {
      if (text[i] == c) {
        return true;
      }
    }
    return false;
  }

  /** The cache slot of a symbol whose characters hash (as {@link String#hashCode}) to {@code hash}. */
  private static int slot(int hash) {
    return (hash ^ (hash >>> 12)) & (SLOTS - 1);
  }

  private static boolean sameAscii(String cached, byte[] bytes, int offset, int length) {
    if (cached.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (cached.charAt(i) != bytes[offset + i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameChars(String cached, char[] text, int offset, int end, int skip, int kept) {
    if (cached.length() != kept) {
      return false;
    }
    int j = 0;
    for (int i = offset; i < end; i++) {
      char c = text[i];
      if (c != skip && cached.charAt(j++) != c) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSymbolChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}

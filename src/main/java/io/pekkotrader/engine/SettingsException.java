package io.pekkotrader.engine;

import java.util.List;

/** Configuration that cannot be used; the message lists every problem, one per line. */
public final class SettingsException extends RuntimeException {
  private final List<String> problems;

  public SettingsException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

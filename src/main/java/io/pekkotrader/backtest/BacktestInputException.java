package io.pekkotrader.backtest;

import java.nio.file.Path;

/**
 * Input a backtest cannot use: a trades file that is empty, unsorted, has a bad number or unknown
 * columns, or a flag that names nothing. The message names the file and line where there is one
 * ({@code trades.csv:17: price 'abc' is not a decimal}).
 */
public final class BacktestInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BacktestInputException(String message) {
    super(message);
  }

  /** A problem on {@code line} (1-based) of {@code file}. */
  public static BacktestInputException at(Path file, long line, String problem) {
    return new BacktestInputException(file + ":" + line + ": " + problem);
  }

  /** A problem with {@code file} as a whole. */
  public static BacktestInputException in(Path file, String problem) {
    return new BacktestInputException(file + ": " + problem);
  }
}

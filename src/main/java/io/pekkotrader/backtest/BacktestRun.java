package io.pekkotrader.backtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A backtest into an output directory, all or nothing: every file is written into a fresh
 * directory beside the output directory and moved into its place at the end, so a failure (bad
 * input, a full disk) leaves the output directory as it was. An existing output directory is
 * replaced only when it holds nothing but a backtest's files.
 */
public final class BacktestRun {
  /** The summary file name. */
  public static final String REPORT_JSON = "report.json";
  /** The HTML report file name. */
  public static final String REPORT_HTML = "report.html";

  /** Every file a backtest writes. */
  public static final Set<String> OUTPUT_FILES =
      Set.of(Backtest.CANDLES, Backtest.FILLS, Backtest.EQUITY, REPORT_JSON, REPORT_HTML);

  private BacktestRun() {}

  /**
   * Runs the backtest and writes its files into {@code out}.
   *
   * @param strategy the strategy's name, for the report
   * @param params the strategy's parameters as given, for the report
   * @throws BacktestInputException bad input, or an output directory that holds other files; {@code out} is unchanged
   */
  public static Backtest.Result run(
      Backtest.Setup setup, List<Backtest.Feed> feeds, Path out, String strategy, Map<String, String> params, Backtest.Progress progress)
      throws IOException {
    Path target = out.toAbsolutePath().normalize();
    checkReplaceable(target);
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
    try {
      Backtest.Result result = Backtest.run(setup, feeds, staging, progress);
      Files.writeString(staging.resolve(REPORT_JSON), BacktestReport.json(result, strategy, params), StandardCharsets.UTF_8);
      Files.writeString(staging.resolve(REPORT_HTML), HtmlReport.html(result, strategy, params, staging), StandardCharsets.UTF_8);
      moveIntoPlace(staging, target);
      return result;
    } catch (IOException | RuntimeException | Error e) {
      deleteTree(staging);
      throw e;
    }
  }

  /** Refuses an output path that is a file, or a directory holding anything but a backtest's files. */
  static void checkReplaceable(Path target) throws IOException {
    checkReplaceable(target, OUTPUT_FILES, "backtest");
  }

  /** Refuses an output path that is a file, or a directory holding anything but {@code files} (the files a {@code what} writes). */
  static void checkReplaceable(Path target, Set<String> files, String what) throws IOException {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new BacktestInputException(target + ": the output is a file, not a directory");
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
      for (Path entry : entries) {
        if (!files.contains(entry.getFileName().toString()) || Files.isDirectory(entry)) {
          throw new BacktestInputException(
              target + ": the output directory holds " + entry.getFileName() + ", which is no " + what + " file; choose an empty or new directory");
        }
      }
    }
  }

  static void moveIntoPlace(Path staging, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
      Files.delete(old);
      move(target, old);
    }
    try {
      move(staging, target);
    } catch (IOException e) {
      if (old != null) {
        move(old, target);
      }
      throw e;
    }
    if (old != null) {
      deleteTree(old);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // best effort: the error that led here is the one reported
    }
  }
}

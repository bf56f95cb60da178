package io.pekkotrader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkotrader.domain.risk.RiskCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Conventions of the main sources that the compiler cannot check: a code that an enum defines is
 * written through the enum, not spelt again as a string, and each Javadoc comment sits on what it
 * describes (two in a row means one of them lost its declaration).
 */
class SourceConventionsTest {
  private static final Path MAIN = Path.of("src", "main", "java");

  private static Map<Path, String> sources() {
    try (Stream<Path> files = Files.walk(MAIN)) {
      Map<Path, String> sources = new java.util.TreeMap<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        sources.put(file, Files.readString(file));
      }
      return sources;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int lineOf(String text, int offset) {
    return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
  }

  @Test
  void noSourceSpellsARiskCheckCodeAsAString() {
    List<String> found = new ArrayList<>();
    sources().forEach(
        (file, text) -> {
          if (file.endsWith("RiskCheck.java")) {
            return;
          }
          for (RiskCheck check : RiskCheck.values()) {
            int at = text.indexOf('"' + check.code() + '"');
            if (at >= 0) {
              found.add(file + ":" + lineOf(text, at) + " \"" + check.code() + "\" (RiskCheck." + check.name() + ".code())");
            }
          }
        });

    assertEquals(List.of(), found);
  }

  @Test
  void noAlertIsRaisedWithASeverityName() {
    Pattern name = Pattern.compile("\"(INFO|WARN|CRITICAL)\"");
    List<String> found = new ArrayList<>();
    sources().forEach(
        (file, text) -> {
          if (!text.contains("Notifier.Alert(")) {
            return;
          }
          Matcher m = name.matcher(text);
          while (m.find()) {
            found.add(file + ":" + lineOf(text, m.start()) + " " + m.group() + " (Notifier.Severity." + m.group(1) + ")");
          }
        });

    assertEquals(List.of(), found);
  }

  @Test
  void noJavadocCommentIsFollowedByAnother() {
    Pattern twoInARow = Pattern.compile("\\*/\\s*/\\*\\*");
    List<String> found = new ArrayList<>();
    sources().forEach(
        (file, text) -> {
          Matcher m = twoInARow.matcher(text);
          while (m.find()) {
            found.add(file + ":" + lineOf(text, m.start()));
          }
        });

    assertEquals(List.of(), found, "a Javadoc comment directly followed by another describes nothing");
  }
}

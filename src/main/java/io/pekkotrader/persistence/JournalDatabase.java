package io.pekkotrader.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's database: its JDBC URL and the creation of the journal and snapshot tables
 * when missing. Runs once at start-up on the main thread, before the actor system exists, so a
 * database that cannot be reached stops the engine with a clear message instead of failing
 * inside the persistence plugin later. Unlike the plugin's own schema helper, a DDL error is
 * reported, not swallowed.
 */
public final class JournalDatabase {
  private JournalDatabase() {}

  /**
   * The H2 URL for a data directory. {@code WRITE_DELAY=0}: every commit reaches the file before
   * the persist is acknowledged, so a completed persist survives {@code kill -9}; it also leaves
   * H2 without its background writer, so {@link JournalCompaction} runs H2's chunk compaction.
   * The one place this URL is built: {@code run}, {@code check-journal} and {@code bench heap}
   * all open the journal with it.
   */
  public static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("journal").resolve("pekko-trader")
        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /** Creates the tables when missing (idempotent). Throws with the failing statement named. */
  public static void createTablesIfMissing(String kind, String url, String user, String password) {
    List<String> statements = statements("schema/" + kind + ".sql");
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        try {
          statement.execute(sql);
        } catch (SQLException e) {
          throw new IllegalStateException(
              "cannot create the journal tables (" + e.getMessage() + ") in statement: " + firstLine(sql), e);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the journal database: " + e.getMessage(), e);
    }
  }

  static List<String> statements(String resource) {
    String script;
    try (InputStream in = JournalDatabase.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema script " + resource + " is missing from the jar");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema script " + resource, e);
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.strip().endsWith(";")) {
        String sql = current.toString().strip();
        statements.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    return statements;
  }

  private static String firstLine(String sql) {
    int newline = sql.indexOf('\n');
    return newline < 0 ? sql : sql.substring(0, newline);
  }
}

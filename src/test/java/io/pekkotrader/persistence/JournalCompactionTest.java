package io.pekkotrader.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded journal's H2 URL and its compaction: a commit is in the file when it returns
 * (it survives a stop without any clean-up), and compaction keeps the number of chunks H2
 * tracks on the heap bounded while the journal only grows.
 */
class JournalCompactionTest {
  private static final int SYMBOLS = 50;
  @TempDir Path tmp;

  private static void appendEvents(Connection connection, long[] sequence, Random random, int events) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO PUBLIC.\"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\", \"write_timestamp\","
                + " \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\") VALUES (?, ?, 'test', 0, '', ?, 33, 'e')")) {
      for (int i = 0; i < events; i++) {
        int symbol = random.nextInt(SYMBOLS);
        byte[] payload = new byte[150 + random.nextInt(300)];
        random.nextBytes(payload);
        insert.setString(1, "SymbolTrader|sim:S" + symbol);
        insert.setLong(2, ++sequence[symbol]);
        insert.setBytes(3, payload);
        insert.executeUpdate(); // auto-commit: one commit, one H2 chunk, per event, as the journal writes them
      }
    }
  }

  private static long info(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
      query.setString(1, name);
      try (ResultSet result = query.executeQuery()) {
        assertTrue(result.next(), name);
        return Long.parseLong(result.getString(1));
      }
    }
  }

  private static long events(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM PUBLIC.\"event_journal\"")) {
      result.next();
      return result.getLong(1);
    }
  }

  /** Chunks held after {@code rounds} x 100 single-event commits, with or without a compaction pass after each 100. */
  private long chunksAfter(Path dataDir, int rounds, boolean compacting) throws SQLException {
    String url = JournalDatabase.h2Url(dataDir);
    JournalDatabase.createTablesIfMissing("h2", url, "", "");
    long[] sequence = new long[SYMBOLS];
    Random random = new Random(7);
    try (JournalCompaction compaction = JournalCompaction.open(url, "", "");
        Connection connection = DriverManager.getConnection(url, "", "")) {
      try (Statement statement = connection.createStatement()) {
        // chunks become rewritable and droppable at once instead of after H2's 45 s
        statement.execute("SET RETENTION_TIME 0");
      }
      for (int round = 0; round < rounds; round++) {
        appendEvents(connection, sequence, random, 100);
        if (compacting) {
          compaction.compactOnce();
        }
      }
      appendEvents(connection, sequence, random, 1); // commits what the last pass rewrote
      assertEquals(rounds * 100L + 1, events(connection));
      return info(connection, "info.CHUNK_COUNT");
    }
  }

  @Test
  void compactionKeepsTheChunkCountOfAGrowingJournalBounded() throws SQLException {
    long without = chunksAfter(tmp.resolve("without"), 40, false);
    long withCompaction = chunksAfter(tmp.resolve("with"), 40, true);

    assertTrue(without > 200, () -> "without compaction the chunks pile up: " + without);
    assertTrue(withCompaction * 4 < without, () -> "compacted " + withCompaction + " vs not " + without);
  }

  @Test
  void everyCommittedEventSurvivesAStopWithoutCleanUpWhileCompactionRuns() throws SQLException {
    String url = JournalDatabase.h2Url(tmp);
    JournalDatabase.createTablesIfMissing("h2", url, "", "");
    long[] sequence = new long[SYMBOLS];
    Random random = new Random(11);
    try (JournalCompaction compaction = JournalCompaction.open(url, "", "")) {
      Connection connection = DriverManager.getConnection(url, "", "");
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET RETENTION_TIME 0");
      }
      for (int round = 0; round < 10; round++) {
        appendEvents(connection, sequence, random, 50);
        compaction.compactOnce();
      }
      appendEvents(connection, sequence, random, 25);
      try (Statement statement = connection.createStatement()) {
        // closes the files as a kill -9 would leave them: nothing unsaved is written
        statement.execute("SHUTDOWN IMMEDIATELY");
      }
      assertThrows(SQLException.class, () -> events(connection), "the database is closed");
    }

    try (Connection reopened = DriverManager.getConnection(url, "", "")) {
      assertEquals(525, events(reopened), "every acknowledged commit is in the file");
    }
  }

  @Test
  void refusesAJournalThatIsNotTheEmbeddedH2One() {
    IllegalArgumentException failure =
        assertThrows(
            IllegalArgumentException.class, () -> JournalCompaction.open("jdbc:postgresql://127.0.0.1:1/none", "nobody", "secret"));

    assertTrue(failure.getMessage().contains("only for the embedded H2 journal"), failure.getMessage());
  }
}

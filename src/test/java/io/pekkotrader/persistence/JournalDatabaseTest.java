package io.pekkotrader.persistence;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalDatabaseTest {
  @TempDir Path tmp;

  private static boolean tableExists(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ?")) {
      query.setString(1, name);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getInt(1) == 1;
      }
    }
  }

  @Test
  void createsTheJournalTablesOnH2AndIsIdempotent() throws SQLException {
    String url = JournalDatabase.h2Url(tmp);

    JournalDatabase.createTablesIfMissing("h2", url, "", "");
    JournalDatabase.createTablesIfMissing("h2", url, "", "");

    try (Connection connection = DriverManager.getConnection(url, "", "")) {
      assertTrue(tableExists(connection, "event_journal"), "event_journal");
      assertTrue(tableExists(connection, "event_tag"), "event_tag");
      assertTrue(tableExists(connection, "snapshot"), "snapshot");
    }
  }

  @Test
  void anUnreachableDatabaseIsReportedAsCannotOpen() {
    IllegalStateException failure =
        assertThrows(
            IllegalStateException.class,
            () -> JournalDatabase.createTablesIfMissing("postgres", "jdbc:postgresql://127.0.0.1:1/none", "nobody", "secret"));

    assertTrue(failure.getMessage().startsWith("cannot open the journal database"), failure.getMessage());
  }

  @Test
  void splitsTheH2SchemaIntoItsStatementsWithoutTerminators() {
    List<String> statements = JournalDatabase.statements("schema/h2.sql");

    assertEquals(4, statements.size(), () -> "statements: " + statements);
    assertAll(statements.stream().map(sql -> () -> assertFalse(sql.endsWith(";"), sql)));
    assertAll(statements.stream().map(sql -> () -> assertFalse(sql.contains("--"), sql)));
  }

  @Test
  void splitsThePostgresSchemaIntoItsStatementsWithoutTerminators() {
    List<String> statements = JournalDatabase.statements("schema/postgres.sql");

    assertEquals(4, statements.size(), () -> "statements: " + statements);
    assertAll(statements.stream().map(sql -> () -> assertFalse(sql.endsWith(";"), sql)));
  }

  @Test
  void aMissingSchemaScriptIsReportedByName() {
    IllegalStateException failure =
        assertThrows(IllegalStateException.class, () -> JournalDatabase.statements("schema/oracle.sql"));

    assertTrue(failure.getMessage().contains("schema/oracle.sql"), failure.getMessage());
  }
}

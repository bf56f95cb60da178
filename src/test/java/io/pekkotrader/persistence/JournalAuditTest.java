package io.pekkotrader.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.pekkotrader.actors.Portfolio;
import io.pekkotrader.actors.SymbolTrader;
import io.pekkotrader.domain.AssetPrecision;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.IntentKind;
import io.pekkotrader.domain.OrderIntent;
import io.pekkotrader.domain.Reservation;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalAuditTest {
  private static final SymbolId BTC = SymbolId.parse("sim:BTCUSDT");
  private static final String TRADER = SymbolTrader.persistenceId(BTC).id();
  private static final String PORTFOLIO = Portfolio.PERSISTENCE_ID.id();
  /** Pekko's jackson-cbor serializer id, as the journal records it. */
  private static final int JACKSON_CBOR = 33;

  private final ObjectMapper cbor = new ObjectMapper(new CBORFactory());
  private final Map<String, Long> sequence = new HashMap<>();
  @TempDir Path tmp;
  private String url;

  @BeforeEach
  void createJournal() {
    url = JournalDatabase.h2Url(tmp);
    JournalDatabase.createTablesIfMissing("h2", url, "", "");
  }

  private void append(Connection connection, String persistenceId, Object event) throws Exception {
    append(connection, persistenceId, event.getClass(), cbor.writeValueAsBytes(event));
  }

  private void append(Connection connection, String persistenceId, Class<?> type, byte[] payload) throws Exception {
    long sequenceNr = sequence.merge(persistenceId, 1L, Long::sum);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO PUBLIC.\"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\", \"write_timestamp\","
                + " \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\") VALUES (?, ?, 'test', 0, '', ?, ?, ?)")) {
      insert.setString(1, persistenceId);
      insert.setLong(2, sequenceNr);
      insert.setBytes(3, payload);
      insert.setInt(4, JACKSON_CBOR);
      insert.setString(5, type.getName());
      insert.executeUpdate();
    }
  }

  private ObjectNode symbolNode() {
    return cbor.createObjectNode().put("venue", BTC.venue()).put("symbol", BTC.symbol());
  }

  @Test
  void readsEventsWrittenBeforeAndAfterEventsCarriedTheirTime() throws Exception {
    OrderIntent entry = new OrderIntent("c-1", BTC, IntentKind.ENTRY, Side.BUY, new BigDecimal("2"), new BigDecimal("100"), "test", "test", 1_000);
    Fill first = new Fill("t1", "c-1", BTC, Side.BUY, BigDecimal.ONE, new BigDecimal("100"), new BigDecimal("0.1"), 2_000);
    Fill second = new Fill("t2", "c-1", BTC, Side.BUY, BigDecimal.ONE, new BigDecimal("101"), new BigDecimal("0.1"), 3_000);
    AssetPrecision exact = AssetPrecision.DEFAULT;
    // the shapes the code before events carried their time wrote: no atMs
    ObjectNode oldReserved = cbor.createObjectNode();
    oldReserved.putObject("reservation").put("clientOrderId", "c-1").put("amount", new BigDecimal("202")).put("asset", "USDT")
        .set("symbol", symbolNode());
    ObjectNode oldReleased = cbor.createObjectNode().put("clientOrderId", "c-1").put("why", "order ended");
    ObjectNode oldConfirmed = cbor.createObjectNode().put("tradeId", "t1");

    try (Connection connection = DriverManager.getConnection(url, "", "")) {
      append(connection, TRADER, new SymbolTrader.EntryIntended(entry));
      append(connection, TRADER, new SymbolTrader.FillRecorded(first));
      append(connection, TRADER, SymbolTrader.FillConfirmed.class, cbor.writeValueAsBytes(oldConfirmed));
      append(connection, TRADER, new SymbolTrader.FillRecorded(second));
      append(connection, TRADER, new SymbolTrader.FillConfirmed("t2", 3_500));
      append(connection, PORTFOLIO, Portfolio.FundsReserved.class, cbor.writeValueAsBytes(oldReserved));
      append(connection, PORTFOLIO, new Portfolio.FillApplied(first, "USDT", exact));
      append(connection, PORTFOLIO, new Portfolio.FillApplied(second, "USDT", exact));
      append(connection, PORTFOLIO, Portfolio.ReservationReleased.class, cbor.writeValueAsBytes(oldReleased));
      append(connection, PORTFOLIO, new Portfolio.FundsReserved(new Reservation("c-2", BTC, new BigDecimal("50"), "USDT"), 4_000));
      append(connection, PORTFOLIO, new Portfolio.ReservationReleased("c-2", "order ended", 5_000));

      JournalAudit.Report report = new JournalAudit().audit(connection, "USDT", Map.of("USDT", new BigDecimal("1000")));

      assertEquals(List.of(), report.problems());
      assertEquals(11, report.events());
      assertEquals(2, report.portfolioFills());
      assertEquals(0, report.unconfirmedFills());
      assertEquals(0, new BigDecimal("798.8").compareTo(report.portfolioCash()), "1000 − 100.1 − 101.1");
      JournalAudit.SymbolFigures btc = report.symbols().get(BTC.id());
      assertEquals(0, new BigDecimal("2").compareTo(btc.positionQty()));
      assertEquals("FillConfirmed", btc.lastEvent());
    }
  }
}

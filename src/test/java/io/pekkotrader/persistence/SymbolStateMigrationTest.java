package io.pekkotrader.persistence;

import static io.pekkotrader.domain.TestData.BTCUSDT;
import static io.pekkotrader.domain.TestData.buy;
import static io.pekkotrader.domain.TestData.entryIntent;
import static io.pekkotrader.domain.TestData.position;
import static io.pekkotrader.domain.TestData.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.pekkotrader.domain.OrderState;
import io.pekkotrader.domain.Position;
import io.pekkotrader.domain.SymbolPhase;
import io.pekkotrader.domain.SymbolState;
import io.pekkotrader.domain.WorkingOrder;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** SymbolTrader snapshots written when the working order had an {@code approved} flag load with the order's state. */
class SymbolStateMigrationTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "symbol-state-migration",
          ConfigFactory.parseString("pekko.actor.provider = local")
              .withFallback(ConfigFactory.parseResources("serialization.conf"))
              .withFallback(ConfigFactory.defaultReference()));
  private static final Serialization serialization = SerializationExtension.get(testKit.system());
  private static final ObjectMapper cbor =
      JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-cbor", Optional.of(new CBORFactory()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final WorkingOrder NEW = WorkingOrder.of(entryIntent("binance-BTCUSDT-2", "1", "100"));

  /** The snapshot bytes of {@code state} as the code before order states wrote them: {@code approved} instead of {@code state}. */
  private static byte[] oldShape(SymbolState state, boolean approved) throws Exception {
    ObjectNode tree = (ObjectNode) cbor.readTree(serialization.serialize(state).get());
    ObjectNode order = (ObjectNode) tree.get("order");
    order.remove("state");
    order.put("approved", approved);
    return cbor.writeValueAsBytes(tree);
  }

  /** Reads bytes as the journal hands them over: the manifest of the old code had no version. */
  private static SymbolState readOld(byte[] bytes) throws Exception {
    int serializerId = serialization.serializerFor(SymbolState.class).identifier();
    return (SymbolState) serialization.deserialize(bytes, serializerId, SymbolState.class.getName()).get();
  }

  private static OrderState migrated(SymbolPhase phase, Position position, WorkingOrder order, boolean approved) throws Exception {
    SymbolState old = state(phase, position, order);
    SymbolState read = readOld(oldShape(old, approved));
    assertEquals(0, old.order().filledQuantity().compareTo(read.order().filledQuantity()), "the same quantity (a tree may drop trailing zeros)");
    assertEquals(old.order().tradeIds(), read.order().tradeIds());
    assertEquals(old.order().venueOrderId(), read.order().venueOrderId());
    return read.order().state();
  }

  @Test
  void anUnapprovedIntentIsNew() throws Exception {
    assertEquals(OrderState.NEW, migrated(SymbolPhase.ENTRY_PENDING, Position.FLAT, NEW, false));
  }

  @Test
  void anApprovedOrderNotYetAcknowledgedIsUnknown() throws Exception {
    assertEquals(OrderState.UNKNOWN, migrated(SymbolPhase.ENTRY_WORKING, Position.FLAT, NEW.approve(), true));
  }

  @Test
  void anAcknowledgedOrderIsAccepted() throws Exception {
    assertEquals(OrderState.ACCEPTED, migrated(SymbolPhase.ENTRY_WORKING, Position.FLAT, NEW.approve().accepted("v-1"), true));
  }

  @Test
  void anOrderWithSomeFillsIsPartiallyFilledAndWithAllOfThemFilled() throws Exception {
    WorkingOrder accepted = NEW.approve().accepted("v-1");
    WorkingOrder half = accepted.withFill(buy("t1", "binance-BTCUSDT-2", "0.4", "100", "0.04"));
    WorkingOrder all = half.withFill(buy("t2", "binance-BTCUSDT-2", "0.6", "100", "0.06"));

    assertEquals(OrderState.PARTIALLY_FILLED, migrated(SymbolPhase.ENTRY_WORKING, position("0.4", "100"), half, true));
    assertEquals(OrderState.FILLED, migrated(SymbolPhase.ENTRY_WORKING, position("1", "100"), all, true));
  }

  @Test
  void aSnapshotWithoutAWorkingOrderLoadsUnchanged() throws Exception {
    SymbolState flat = state(SymbolPhase.READY, Position.FLAT, null);
    ObjectNode tree = (ObjectNode) cbor.readTree(serialization.serialize(flat).get());

    assertEquals(flat, readOld(cbor.writeValueAsBytes(tree)));
  }

  @Test
  void aSnapshotOfTodayCarriesTheStateAndItsVersion() throws Exception {
    SymbolState working = state(SymbolPhase.ENTRY_WORKING, Position.FLAT, NEW.approve());
    byte[] bytes = serialization.serialize(working).get();
    String manifest = Serializers.manifestFor(serialization.findSerializerFor(working), working);
    ObjectNode tree = (ObjectNode) cbor.readTree(bytes);

    assertTrue(tree.get("order").has("state"));
    assertFalse(tree.get("order").has("approved"));
    assertTrue(manifest.endsWith("#2"), manifest);
    int serializerId = serialization.serializerFor(SymbolState.class).identifier();
    assertEquals(working, serialization.deserialize(bytes, serializerId, manifest).get());
  }
}

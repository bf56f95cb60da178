package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.SymbolCatalogue;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.SymbolListing;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SymbolDirectoryTest {
  private static SymbolListing listing(String id) {
    return new SymbolListing(SymbolId.parse(id), "", new BigDecimal("0.001"), BigDecimal.ONE, "USDT", null);
  }

  private static List<String> ids(SymbolDirectory directory) {
    return directory.ids().stream().map(SymbolId::id).toList();
  }

  private static final List<SymbolListing> CONFIGURED = List.of(listing("binance:BTCUSDT"), listing("binance:ETHUSDT"));

  @Test
  void startsWithTheConfiguredSymbolsNotSynced() {
    SymbolDirectory directory = new SymbolDirectory(CONFIGURED);
    assertEquals(List.of("binance:BTCUSDT", "binance:ETHUSDT"), ids(directory));
    assertFalse(directory.synced());
    assertEquals(new BigDecimal("0.001"), directory.listing(SymbolId.parse("binance:ETHUSDT")).lotStep());
  }

  @Test
  void theRegistrysFirstCatalogueSyncsAndIsAnnouncedEvenWhenNotNewer() {
    SymbolDirectory directory = new SymbolDirectory(CONFIGURED);
    List<Long> heard = new ArrayList<>();
    directory.onChange(catalogue -> heard.add(catalogue.version()));
    assertFalse(directory.offer(SymbolCatalogue.configured(CONFIGURED), true));
    assertTrue(directory.synced());
    assertEquals(List.of(0L), heard);
    // the same again is neither newer nor a first sync
    directory.offer(SymbolCatalogue.configured(CONFIGURED), true);
    assertEquals(List.of(0L), heard);
  }

  @Test
  void onlyANewerCatalogueReplacesTheCurrentOne() {
    SymbolDirectory directory = new SymbolDirectory(CONFIGURED);
    List<Long> heard = new ArrayList<>();
    directory.onChange(catalogue -> heard.add(catalogue.version()));
    SymbolCatalogue v1 = SymbolCatalogue.configured(CONFIGURED).added(listing("binance:SOLUSDT"));
    SymbolCatalogue v2 = v1.removed(SymbolId.parse("binance:BTCUSDT"));
    assertTrue(directory.offer(v2, false));
    assertFalse(directory.synced());
    assertFalse(directory.offer(v1, true), "older, heard late: kept out, but it syncs");
    assertTrue(directory.synced());
    assertEquals(List.of("binance:ETHUSDT", "binance:SOLUSDT"), ids(directory));
    assertEquals(List.of(2L, 2L), heard);
  }

  @Test
  void concurrentOffersEndAtTheNewestVersion() throws Exception {
    SymbolDirectory directory = new SymbolDirectory(CONFIGURED);
    List<SymbolCatalogue> versions = new ArrayList<>();
    SymbolCatalogue next = SymbolCatalogue.configured(CONFIGURED);
    for (int i = 0; i < 200; i++) {
      next = next.added(listing("binance:S" + i + "USDT"));
      versions.add(next);
    }
    List<Long> heard = new CopyOnWriteArrayList<>();
    directory.onChange(catalogue -> heard.add(catalogue.version()));
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                for (int i = offset; i < versions.size(); i += 4) {
                  directory.offer(versions.get(versions.size() - 1 - i), false);
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(200, directory.catalogue().version());
    assertEquals(202, directory.ids().size());
    assertTrue(heard.contains(200L));
    assertEquals(heard.size(), new java.util.HashSet<>(heard).size(), "each version is announced once");
  }
}

package io.pekkotrader.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code Main} keeps CompletableFuture's async stages on a pool on small machines, and an explicit setting wins. */
class CommonPoolParallelismTest {
  private String before;

  @BeforeEach
  void remember() {
    before = System.getProperty(Main.COMMON_POOL_PARALLELISM);
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(Main.COMMON_POOL_PARALLELISM);
    } else {
      System.setProperty(Main.COMMON_POOL_PARALLELISM, before);
    }
  }

  @Test
  void setsAParallelismOfTwoOnAMachineOfAtMostTwoCoresAndLeavesLargerOnesAlone() {
    System.clearProperty(Main.COMMON_POOL_PARALLELISM);

    Main.keepAsyncCompletionsOnAPool();

    String expected = Runtime.getRuntime().availableProcessors() <= 2 ? "2" : null;
    assertEquals(expected, System.getProperty(Main.COMMON_POOL_PARALLELISM));
  }

  @Test
  void keepsAnExplicitSetting() {
    System.setProperty(Main.COMMON_POOL_PARALLELISM, "1");

    Main.keepAsyncCompletionsOnAPool();

    assertEquals("1", System.getProperty(Main.COMMON_POOL_PARALLELISM));
  }
}

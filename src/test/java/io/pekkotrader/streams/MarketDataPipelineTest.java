package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class MarketDataPipelineTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final SymbolId BTC = SymbolId.parse("sim:BTCUSDT");
  private static final Duration WAIT = Duration.ofSeconds(5);

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private static MarketTrade trade(int n) {
    return new MarketTrade(BTC, new Trade("t" + n, n, BigDecimal.ONE, BigDecimal.ONE, Side.BUY));
  }

  @Test
  void reconnectsAfterAFailedConnectionAndDeliversTheNextConnectionsTrades() {
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    TestProbe<MarketTrade> delivered = testKit.createTestProbe();
    AtomicInteger connections = new AtomicInteger();
    Flow<MarketTrade, Done, NotUsed> router =
        Flow.<MarketTrade>create().map(t -> {
          delivered.getRef().tell(t);
          return Done.getInstance();
        });

    UniqueKillSwitch stop =
        MarketDataPipeline.start(
            () ->
                connections.incrementAndGet() == 1
                    ? Source.<MarketTrade>failed(new IllegalStateException("connection refused"))
                    : Source.from(List.of(trade(1), trade(2))).concat(Source.never()),
            router,
            RestartSettings.create(Duration.ofMillis(10), Duration.ofMillis(50), 0.2),
            events.getRef(),
            Clock.systemUTC(),
            Materializer.createMaterializer(testKit.system()));

    assertEquals(new StreamEvent.Connecting(1), events.expectMessageClass(StreamEvent.Connecting.class, WAIT));
    assertTrue(events.expectMessageClass(StreamEvent.Disconnected.class, WAIT).reason().contains("connection refused"));
    assertEquals(new StreamEvent.Connecting(2), events.expectMessageClass(StreamEvent.Connecting.class, WAIT));
    assertEquals(trade(1), delivered.receiveMessage(WAIT));
    assertEquals(trade(2), delivered.receiveMessage(WAIT));

    stop.shutdown();
    List<StreamEvent> rest = new ArrayList<>();
    events.fishForMessage(WAIT, e -> {
      rest.add(e);
      return e instanceof StreamEvent.Stopped
          ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
          : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore();
    });
    assertInstanceOf(StreamEvent.Stopped.class, rest.get(rest.size() - 1));
  }

  @Test
  void reportsProgressWithTheNumberOfMessages() {
    TestProbe<StreamEvent> events = testKit.createTestProbe();

    UniqueKillSwitch stop =
        MarketDataPipeline.start(
            () -> Source.from(List.of(trade(1), trade(2), trade(3))).concat(Source.never()),
            Flow.<MarketTrade>create().map(t -> Done.getInstance()),
            RestartSettings.create(Duration.ofMillis(10), Duration.ofMillis(50), 0.2),
            events.getRef(),
            Clock.systemUTC(),
            Materializer.createMaterializer(testKit.system()));

    long messages = 0;
    while (messages < 3) {
      StreamEvent event = events.receiveMessage(WAIT);
      if (event instanceof StreamEvent.Progress progress) {
        messages += progress.messages();
      }
    }
    assertEquals(3, messages);
    stop.shutdown();
  }
}

package io.pekkotrader.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.AssetPrecisions;
import io.pekkotrader.domain.Backoff;
import io.pekkotrader.domain.Fill;
import io.pekkotrader.domain.Ledger;
import io.pekkotrader.domain.OrderState;
import io.pekkotrader.domain.PaperFillModel;
import io.pekkotrader.domain.QuoteAssets;
import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.Strategy;
import io.pekkotrader.domain.SymbolEvent;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.domain.TradingDecisions;
import io.pekkotrader.domain.TradingKernel;
import io.pekkotrader.domain.risk.RiskLimits;
import io.pekkotrader.domain.risk.TradingDay;
import io.pekkotrader.domain.risk.VenueFilters;
import io.pekkotrader.execution.OrderClient;
import io.pekkotrader.execution.OrderGateway;
import io.pekkotrader.execution.OrderUpdate;
import io.pekkotrader.execution.PaperOrderClient;
import io.pekkotrader.strategy.MovingAverageCrossover;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Parity: one seeded trade tape through the running actor engine (SymbolTraders, RiskManager,
 * Portfolio, OrderGateway with PaperOrderClient, on the in-memory journal) and through the
 * synchronous {@link TradingKernel} gives, per symbol, the same journal (intents, risk decisions
 * with their reason codes, order reports, fills, confirmations, cooldowns, all with their times),
 * the same fills in Portfolio's journal, and the same final ledger and equity. Two orders are left
 * to the live engine's concurrency: Portfolio's confirmation of an order's last fill races the
 * venue's end of the order, so confirmations are compared as a sequence of their own; fills of two
 * symbols due in the same millisecond reach Portfolio in either order, so the ledger's remembered
 * trade ids are compared as a set.
 *
 * <p>The actors run on data time: the scheduler is Pekko's {@link ManualTime} and every actor reads
 * one {@link ActorTests.ManualClock}, both moved together. The driver moves them to the next trade,
 * or first to the next paper fill that falls due before it (the gateway's host is wrapped so that
 * the test knows when each fill task is due), and after each step waits until the engine is at rest:
 * every due fill ran, and every symbol has its risk decision, its order's acknowledgement, its
 * reported fills recorded and confirmed, its ended order closed. What a symbol tells Portfolio
 * (marks, releases) is enqueued before the symbol answers the test, so it is in line before any
 * later request. Both run the candle clock at every candle boundary: the kernel on data time,
 * the actors by the clock's message to each symbol in turn at each boundary (the symbols' own
 * timers and RiskManager's watch are set beyond the tape), so candles close by the clock, as they
 * do live now that a symbol's timer falls on candle ends.
 */
class EngineParityTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create("parity", ManualTime.config().withFallback(ActorTests.config()));
  private static final ManualTime manualTime = ManualTime.get(testKit.system());
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** 2023-11-14 22:13:20 UTC. */
  private static final long START_MS = 1_700_000_000_000L;
  private static final long CANDLE_MS = 1_000;
  private static final long TAPE_MS = 15 * 60_000;
  private static final long FILL_DELAY_MS = 300;
  private static final long SYMBOL_COOLDOWN_MS = 2_000;
  private static final long RISK_COOLDOWN_MS = 6_000;
  private static final Duration BEYOND_THE_TAPE = Duration.ofDays(30);
  private static final String QUOTE = "USDT";
  private static final BigDecimal STARTING_CASH = new BigDecimal("10000");
  private static final BigDecimal PRICE_BUFFER = new BigDecimal("0.01");
  private static final BigDecimal FEE_RATE = new BigDecimal("0.001");
  private static final BigDecimal LOT_STEP = new BigDecimal("0.001");
  private static final List<SymbolId> SYMBOLS =
      List.of(SymbolId.parse("paper:AAAUSDT"), SymbolId.parse("paper:BBBUSDT"), SymbolId.parse("paper:CCCUSDT"));
  private static final Map<SymbolId, BigDecimal> START_PRICES =
      Map.of(SYMBOLS.get(0), new BigDecimal("100"), SYMBOLS.get(1), new BigDecimal("40"), SYMBOLS.get(2), new BigDecimal("7"));

  /**
   * Two open positions for three symbols, and gross exposure up to 0.25 × the starting cash: some
   * entries are refused with max_open_positions, some with max_gross_exposure (whose figure values
   * the other symbols at their marks); the risk cooldown outlasts the symbol's own, so some with
   * cooldown.
   */
  private static final RiskLimits LIMITS =
      new RiskLimits(
          new BigDecimal("100000"), new BigDecimal("1000"), 2, new BigDecimal("5000"), new BigDecimal("10000"), new BigDecimal("0.25"),
          100, 1000, new BigDecimal("0.9"));
  private static final MovingAverageCrossover.Params CROSSOVER =
      new MovingAverageCrossover.Params(3, 8, 5, 0.0, new BigDecimal("0.02"), new BigDecimal("0.05"));
  /** Orders of 1000, and 1500 on the last symbol, whose entries beside a position meet the exposure limit near its edge. */
  private static TradingDecisions.Params sizing(SymbolId symbol) {
    return new TradingDecisions.Params(new BigDecimal(symbol.equals(SYMBOLS.get(2)) ? "1500" : "1000"), LOT_STEP, SYMBOL_COOLDOWN_MS);
  }
  private static final PaperFillModel FILL_MODEL = new PaperFillModel(FEE_RATE, new BigDecimal("2"), 2, LOT_STEP, AssetPrecisions.DEFAULT.of(QUOTE));
  private static final VenueFilters FILTERS = new VenueFilters(BigDecimal.ZERO, LOT_STEP, LOT_STEP, new BigDecimal("0.01"));

  @AfterAll
  static void shutDown() {
    testKit.shutdownTestKit();
  }

  private record Tick(SymbolId symbol, Trade trade) {}

  @Test
  void theActorEngineAndTheKernelTradeOneTapeIdentically() {
    List<Tick> tape = tape(20231114L);

    TradingKernel kernel = kernel();
    Map<SymbolId, List<SymbolEvent>> kernelJournal = new HashMap<>();
    kernel.journalTo((symbol, event) -> kernelJournal.computeIfAbsent(symbol, s -> new ArrayList<>()).add(event));
    for (SymbolId symbol : SYMBOLS) {
      kernel.addSymbol(new TradingKernel.Listing(symbol, crossover(), sizing(symbol), FILL_MODEL, FILTERS));
    }
    tape.forEach(tick -> kernel.onTrade(tick.symbol(), tick.trade()));
    long endMs = tape.get(tape.size() - 1).trade().timestampMs() + 10 * FILL_DELAY_MS;
    kernel.advanceTo(endMs);

    ActorEngine engine = new ActorEngine();
    tape.forEach(engine::onTrade);
    engine.advanceTo(endMs);

    // the tape exercises what it should: many entries and exits, refusals, partial fills
    TradingKernel.Counts counts = kernel.counts();
    assertTrue(counts.entries() >= 30 && counts.exits() >= 15, "entries and exits: " + counts);
    Map<String, Long> reasons = reasons(kernelJournal);
    assertTrue(
        reasons.getOrDefault("max_open_positions", 0L) > 0 && reasons.getOrDefault("cooldown", 0L) > 0
            && reasons.getOrDefault("max_gross_exposure", 0L) > 0,
        "rejections: " + reasons);
    assertTrue(counts.fills() > counts.approved(), "partial fills: " + counts);

    for (SymbolId symbol : SYMBOLS) {
      List<SymbolEvent> actors = engine.journal(symbol);
      List<SymbolEvent> expected = comparable(kernelJournal.getOrDefault(symbol, List.of()));
      // Portfolio's acknowledgement of an order's last fill races the venue's end of the order
      // in the live engine, so the confirmations are compared as a sequence of their own
      List<SymbolEvent> decisions = withoutConfirmations(expected);
      assertEquals(decisions, withoutConfirmations(actors), symbol + ": " + firstDifference(decisions, withoutConfirmations(actors)));
      assertEquals(confirmations(expected), confirmations(actors), symbol + ": fill confirmations");
      assertEquals(
          kernel.fills().stream().filter(f -> f.symbol().equals(symbol)).toList(),
          engine.portfolioFills().stream().filter(f -> f.symbol().equals(symbol)).toList(),
          symbol + ": fills booked by Portfolio");
    }
    // fills of two symbols due in the same millisecond reach Portfolio in either order: the
    // ledger is compared with its remembered trade ids as a set
    Ledger ledger = engine.ledger();
    assertEquals(kernel.ledger().books(), ledger.books(), "the final ledger's cash books, reservations and positions");
    assertEquals(kernel.ledger().fills(), ledger.fills(), "fills in the ledger");
    assertEquals(Set.copyOf(kernel.ledger().recentTradeIds()), Set.copyOf(ledger.recentTradeIds()), "trade ids applied");
    Portfolio.Summary summary = engine.summary();
    assertEquals(0, kernel.ledger().book(QUOTE).cash().compareTo(summary.cash()), "cash");
    assertEquals(0, kernel.ledger().book(QUOTE).realizedPnl().compareTo(summary.realizedPnl()), "realized PnL");
    assertEquals(counts.fills(), summary.fills(), "fills");
    assertEquals(0, kernel.equity().compareTo(summary.equity()), "equity at the symbols' marks: " + kernel.equity() + " vs " + summary.equity());
    assertEquals(
        new TreeMap<>(kernel.ledger().positions().entrySet().stream().collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue().quantity()))),
        new TreeMap<>(summary.positions()),
        "positions");
  }

  // ---- the two engines ---------------------------------------------------------------------

  private static Strategy crossover() {
    return new MovingAverageCrossover(CROSSOVER);
  }

  private static TradingKernel kernel() {
    return new TradingKernel(
        new TradingKernel.Config(
            QUOTE, STARTING_CASH, AssetPrecisions.DEFAULT.of(QUOTE), CANDLE_MS, 100, LIMITS, TradingDay.UTC_MIDNIGHT, RISK_COOLDOWN_MS,
            PRICE_BUFFER, FEE_RATE, FILL_DELAY_MS, false, CANDLE_MS));
  }

  /** A paper fill the gateway's client scheduled: when it falls due. */
  private record DueTask(long dueMs, long seq) {}

  /** The engine's actors as the guardian wires them, on data time; the test drives them and waits for rest. */
  private static final class ActorEngine {
    private final ActorTests.ManualClock clock = new ActorTests.ManualClock(START_MS);
    private long nowMs = START_MS;
    /** The next candle boundary to tick at; unset until the time first moves, as in the kernel. */
    private long nextTickMs = Long.MIN_VALUE;
    private final Map<SymbolId, ActorRef<SymbolTrader.Command>> traders = new ConcurrentHashMap<>();
    private final ActorRef<Portfolio.Command> portfolio;
    private final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    private final PriorityBlockingQueue<DueTask> due = new PriorityBlockingQueue<>(16, Comparator.comparingLong(DueTask::dueMs).thenComparingLong(DueTask::seq));
    private final AtomicLong taskSeq = new AtomicLong();
    private final AtomicLong tasksRun = new AtomicLong();
    private final AtomicLong submitting = new AtomicLong();
    private long tasksDue;
    private volatile boolean timePassing;
    private final org.apache.pekko.testkit.ExplicitlyTriggeredScheduler scheduler =
        (org.apache.pekko.testkit.ExplicitlyTriggeredScheduler) org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(testKit.system()).scheduler();
    private final Map<SymbolId, AtomicLong> filledReports = new ConcurrentHashMap<>();
    private final Set<String> endedOrders = ConcurrentHashMap.newKeySet();
    private final TestProbe<Done> acks = testKit.createTestProbe();
    private final TestProbe<SymbolTrader.SymbolView> views = testKit.createTestProbe();

    ActorEngine() {
      journal.clearAll();
      ActorRef<Notifier.Command> notifier =
          testKit.spawn(Notifier.create(List.of(), 1, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0), clock));
      ActorRef<Topic.Command<RiskManager.KillSwitchStatus>> killSwitch =
          testKit.spawn(Topic.create(RiskManager.KillSwitchStatus.class, "kill-switch"));
      portfolio =
          testKit.spawn(
              Portfolio.create(
                  QuoteAssets.single(QUOTE, STARTING_CASH), AssetPrecisions.DEFAULT, TradingDay.UTC_MIDNIGHT, clock, 1_000_000,
                  Duration.ofMinutes(1), notifier));
      ActorRef<RiskManager.Command> risk =
          testKit.spawn(
              RiskManager.create(
                  portfolio,
                  notifier,
                  killSwitch,
                  new RiskManager.Setup(
                      LIMITS, PRICE_BUFFER, FEE_RATE, BEYOND_THE_TAPE, Duration.ofMillis(RISK_COOLDOWN_MS), Duration.ofMinutes(1),
                      BEYOND_THE_TAPE, symbol -> FILTERS),
                  clock,
                  1_000_000));
      OrderClient.Factory paper = host -> submitsCounted(new PaperOrderClient(symbol -> FILL_MODEL, Duration.ofMillis(FILL_DELAY_MS), clock, tracked(host)));
      ActorRef<OrderGateway.Command> gateway =
          testKit.spawn(OrderGateway.create(new OrderGateway.Setup("paper", paper, this::reported)));
      for (SymbolId symbol : SYMBOLS) {
        filledReports.put(symbol, new AtomicLong());
        SymbolTrader.Dependencies deps =
            new SymbolTrader.Dependencies(
                crossover(), sizing(symbol), Duration.ofMillis(CANDLE_MS), BEYOND_THE_TAPE, 100, BEYOND_THE_TAPE, 1_000_000, 2, risk, portfolio,
                gateway, notifier, killSwitch, clock, null);
        traders.put(symbol, testKit.spawn(SymbolTrader.create(symbol, s -> deps)));
      }
      for (SymbolId symbol : SYMBOLS) {
        awaitRest(symbol, view -> view.recovered());
      }
    }

    /**
     * The paper client, counting the submits in progress: a submit acknowledges the order and then
     * schedules its first fill, so a symbol may see its order acknowledged before that fill is due.
     */
    private OrderClient submitsCounted(OrderClient client) {
      return new OrderClient() {
        @Override
        public java.util.concurrent.CompletionStage<Done> submit(io.pekkotrader.domain.OrderIntent intent, BigDecimal lastTradePrice) {
          submitting.incrementAndGet();
          try {
            return client.submit(intent, lastTradePrice);
          } finally {
            submitting.decrementAndGet();
          }
        }

        @Override
        public java.util.concurrent.CompletionStage<Done> cancel(String clientOrderId) {
          return client.cancel(clientOrderId);
        }

        @Override
        public java.util.concurrent.CompletionStage<OrderUpdate.Report> query(String clientOrderId) {
          return client.query(clientOrderId);
        }

        @Override
        public java.util.concurrent.CompletionStage<List<OrderUpdate.Report>> openOrders() {
          return client.openOrders();
        }
      };
    }

    /** The gateway's host, telling the test when each paper fill falls due and when it ran. */
    private OrderClient.Host tracked(OrderClient.Host host) {
      return new OrderClient.Host() {
        @Override
        public void report(SymbolId symbol, OrderUpdate update) {
          host.report(symbol, update);
        }

        @Override
        public void schedule(Duration delay, Runnable task) {
          // due on data time: at the clock's now + delay, which is that far on the manual scheduler
          long dueMs = clock.millis() + delay.toMillis();
          due.add(new DueTask(dueMs, taskSeq.incrementAndGet()));
          host.schedule(
              Duration.ofMillis(Math.max(0, dueMs - START_MS - scheduler.currentTimeMs())),
              () -> {
                // a fill task runs once the time step that made it due is complete, so the next
                // fill it schedules counts from the new time
                while (timePassing) {
                  Thread.onSpinWait();
                }
                task.run();
                tasksRun.incrementAndGet();
              });
        }
      };
    }

    /** The gateway's reports go to the order's symbol, counted on the way. */
    private void reported(SymbolId id, OrderUpdate update) {
      if (update instanceof OrderUpdate.Filled) {
        filledReports.get(id).incrementAndGet();
      } else if (update instanceof OrderUpdate.Ended ended) {
        endedOrders.add(ended.clientOrderId());
      }
      traders.get(id).tell(new SymbolTrader.ExecutionReport(update));
    }

    void onTrade(Tick tick) {
      advanceTo(tick.trade().timestampMs());
      traders.get(tick.symbol()).tell(new SymbolTrader.OnTrades(List.of(tick.trade()), acks.getRef()));
      acks.expectMessage(WAIT, Done.getInstance());
      awaitRest(tick.symbol(), view -> true);
    }

    /**
     * Moves the time to {@code timeMs}, stopping at each paper fill due on the way and at each
     * candle boundary, and waits for rest after each step. At a boundary each symbol in turn, in
     * the kernel's order, gets the candle clock's tick (the live timer's message: the timers
     * themselves would tick all three at once, and their risk asks would race); a fill due at the
     * same millisecond runs first, as in the kernel.
     */
    void advanceTo(long timeMs) {
      if (nextTickMs == Long.MIN_VALUE) {
        nextTickMs = (Math.floorDiv(Math.max(nowMs, timeMs), CANDLE_MS) + 1) * CANDLE_MS;
      }
      while (true) {
        long fillAt = due.isEmpty() ? Long.MAX_VALUE : due.peek().dueMs();
        if (Math.min(fillAt, nextTickMs) > timeMs) {
          break;
        }
        if (fillAt <= nextTickMs) {
          while (!due.isEmpty() && due.peek().dueMs() == fillAt) {
            due.poll();
            tasksDue++;
          }
          step(fillAt, true);
          awaitTasks();
          SYMBOLS.forEach(symbol -> awaitRest(symbol, view -> true));
        } else {
          long boundary = nextTickMs;
          nextTickMs += CANDLE_MS;
          step(boundary, false);
          for (SymbolId symbol : SYMBOLS) {
            traders.get(symbol).tell(SymbolTrader.Tick.INSTANCE);
            awaitRest(symbol, view -> true);
          }
        }
      }
      step(timeMs, false);
    }

    /**
     * Sets the clock to {@code timeMs}; with {@code fire}, moves the manual scheduler there too,
     * which runs the paper fills due by then (the scheduler sleeps 100 ms each time, so it is moved
     * only for them: nothing else on it is due within the tape).
     */
    private void step(long timeMs, boolean fire) {
      if (timeMs > nowMs) {
        clock.set(timeMs);
        nowMs = timeMs;
      }
      long manualMs = nowMs - START_MS;
      if (fire && manualMs > scheduler.currentTimeMs()) {
        timePassing = true;
        manualTime.timePasses(Duration.ofMillis(manualMs - scheduler.currentTimeMs()));
        timePassing = false;
      }
    }

    private void awaitTasks() {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (tasksRun.get() < tasksDue) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("paper fills due " + tasksDue + ", run " + tasksRun.get());
        }
        Thread.onSpinWait();
      }
    }

    /**
     * Asks the symbol for its view until it is at rest: no intent waiting for risk, an approved
     * order acknowledged, every reported fill recorded and confirmed, an ended order closed.
     */
    private void awaitRest(SymbolId id, java.util.function.Predicate<SymbolTrader.SymbolView> also) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        traders.get(id).tell(new SymbolTrader.GetSymbol(views.getRef()));
        SymbolTrader.SymbolView view = views.receiveMessage(WAIT);
        SymbolTrader.OrderView order = view.workingOrder();
        boolean orderAtRest =
            order == null
                || (order.approved()
                    && (order.state() == OrderState.ACCEPTED || order.state() == OrderState.PARTIALLY_FILLED)
                    && !endedOrders.contains(order.clientOrderId()));
        if (also.test(view) && orderAtRest && view.fills() == filledReports.get(id).get() && view.unconfirmedFills() == 0
            && submitting.get() == 0) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not at rest: " + view + ", fills reported " + filledReports.get(id).get());
        }
      }
    }

    /** The symbol's journal in the kernel's terms. */
    List<SymbolEvent> journal(SymbolId symbol) {
      return comparable(journal.persistedInStorage(SymbolTrader.persistenceId(symbol).id()).stream().map(e -> (SymbolTrader.Event) e).map(this::domain).toList());
    }

    /** Portfolio's fills, in the order applied,. */
    List<Fill> portfolioFills() {
      List<Fill> fills = new ArrayList<>();
      for (Object event : journal.persistedInStorage(Portfolio.PERSISTENCE_ID.id())) {
        if (event instanceof Portfolio.FillApplied applied) {
          fills.add(applied.fill());
        }
      }
      return fills;
    }

    /** Portfolio's ledger, folded from its journal by its own event handler,. */
    Ledger ledger() {
      Portfolio.State state = Portfolio.State.start(Ledger.start(QUOTE, STARTING_CASH));
      for (Object event : journal.persistedInStorage(Portfolio.PERSISTENCE_ID.id())) {
        state = Portfolio.apply(state, (Portfolio.Event) event);
      }
      return state.ledger();
    }

    Portfolio.Summary summary() {
      TestProbe<Portfolio.Summary> probe = testKit.createTestProbe();
      portfolio.tell(new Portfolio.GetSummary(probe.getRef()));
      return probe.receiveMessage(WAIT);
    }

    /** A journaled event in the kernel's terms (the inverse of the actor's own mapping). */
    private SymbolEvent domain(SymbolTrader.Event event) {
      if (event instanceof SymbolTrader.WarmUpCompleted e) {
        return new SymbolEvent.WarmUpCompleted(e.candles(), e.atMs());
      } else if (event instanceof SymbolTrader.EntryIntended e) {
        return new SymbolEvent.EntryIntended(e.intent());
      } else if (event instanceof SymbolTrader.ExitIntended e) {
        return new SymbolEvent.ExitIntended(e.intent());
      } else if (event instanceof SymbolTrader.IntentApproved e) {
        return new SymbolEvent.IntentApproved(e.clientOrderId(), e.decisionId(), e.atMs());
      } else if (event instanceof SymbolTrader.IntentRejected e) {
        return new SymbolEvent.IntentRejected(e.clientOrderId(), e.reasonCode(), e.message(), e.atMs());
      } else if (event instanceof SymbolTrader.OrderAccepted e) {
        return new SymbolEvent.OrderAccepted(e.clientOrderId(), e.venueOrderId(), e.atMs());
      } else if (event instanceof SymbolTrader.FillRecorded e) {
        return new SymbolEvent.FillRecorded(e.fill());
      } else if (event instanceof SymbolTrader.OrderEnded e) {
        return new SymbolEvent.OrderEnded(e.clientOrderId(), e.status(), e.reason(), e.cooldownUntilMs(), e.atMs());
      } else if (event instanceof SymbolTrader.FillConfirmed e) {
        return new SymbolEvent.FillConfirmed(e.tradeId(), e.atMs());
      } else if (event instanceof SymbolTrader.Halted e) {
        return new SymbolEvent.Halted(e.reason(), e.atMs());
      } else if (event instanceof SymbolTrader.Released e) {
        return new SymbolEvent.Released(e.atMs());
      } else if (event instanceof SymbolTrader.CooldownElapsed e) {
        return new SymbolEvent.CooldownElapsed(e.atMs());
      }
      throw new AssertionError("the tape should not lead to " + event);
    }
  }

  // ---- comparing ----------------------------------------------------------------------------

  /**
   * The events as compared: a risk decision's id is the one thing that may differ (RiskManager
   * draws a UUID, the kernel counts), and amounts compare by value, not by scale.
   */
  private static List<SymbolEvent> comparable(List<SymbolEvent> events) {
    return events.stream()
        .map(event -> event instanceof SymbolEvent.IntentApproved a ? new SymbolEvent.IntentApproved(a.clientOrderId(), "-", a.atMs()) : event)
        .map(event -> event instanceof SymbolEvent.FillRecorded f ? new SymbolEvent.FillRecorded(stripped(f.fill())) : event)
        .toList();
  }

  private static List<SymbolEvent> withoutConfirmations(List<SymbolEvent> events) {
    return events.stream().filter(event -> !(event instanceof SymbolEvent.FillConfirmed)).toList();
  }

  private static List<SymbolEvent> confirmations(List<SymbolEvent> events) {
    return events.stream().filter(event -> event instanceof SymbolEvent.FillConfirmed).toList();
  }

  private static Fill stripped(Fill f) {
    return new Fill(f.tradeId(), f.clientOrderId(), f.symbol(), f.side(), f.quantity().stripTrailingZeros(), f.price().stripTrailingZeros(),
        f.fee().stripTrailingZeros(), f.timestampMs());
  }

  private static String firstDifference(List<SymbolEvent> expected, List<SymbolEvent> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        return "first difference at event " + i + ":\n kernel: " + expected.get(i) + "\n actors: " + actual.get(i);
      }
    }
    return expected.size() == actual.size() ? "none" : "one is a prefix of the other";
  }

  private static Map<String, Long> reasons(Map<SymbolId, List<SymbolEvent>> journals) {
    return journals.values().stream()
        .flatMap(List::stream)
        .filter(event -> event instanceof SymbolEvent.IntentRejected)
        .collect(Collectors.groupingBy(event -> ((SymbolEvent.IntentRejected) event).reasonCode(), TreeMap::new, Collectors.counting()));
  }

  // ---- the tape -----------------------------------------------------------------------------

  /**
   * A seeded random walk per symbol whose drift changes regime every 20 to 60 candles (up, down,
   * flat), so the crossover enters and exits many times; a trade every 250 ms slot with
   * probability 0.7, at a random millisecond of it; all symbols merged in time order.
   */
  private static List<Tick> tape(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Tick> ticks = new ArrayList<>();
    for (SymbolId symbol : SYMBOLS) {
      BigDecimal price = START_PRICES.get(symbol);
      double drift = 0;
      long regimeEndsMs = START_MS;
      long seq = 0;
      for (long slot = START_MS; slot < START_MS + TAPE_MS; slot += 250) {
        if (slot >= regimeEndsMs) {
          drift = (random.nextInt(3) - 1) * 0.0008;
          regimeEndsMs = slot + (20 + random.nextInt(41)) * CANDLE_MS;
        }
        if (random.nextDouble() >= 0.7) {
          continue;
        }
        double move = drift + (random.nextDouble() - 0.5) * 0.002;
        price = price.multiply(BigDecimal.valueOf(1 + move)).setScale(2, RoundingMode.HALF_EVEN).max(new BigDecimal("0.01"));
        BigDecimal quantity = BigDecimal.valueOf(1 + random.nextInt(500), 3);
        long at = slot + random.nextInt(250);
        ticks.add(new Tick(symbol, new Trade(symbol.symbol() + "-t" + (++seq), at, price, quantity, random.nextBoolean() ? Side.BUY : Side.SELL)));
      }
    }
    ticks.sort(Comparator.comparingLong((Tick t) -> t.trade().timestampMs()).thenComparing(t -> t.symbol().id()));
    return ticks;
  }
}

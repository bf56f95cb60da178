package io.pekkotrader.streams;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The embedded market: a seeded random walk of trades for each symbol, interleaved round-robin
 * and paced at {@code tradesPerSecond} per symbol. The same seed gives the same prices and sizes;
 * timestamps come from the clock. Trade ids are numeric and increase per symbol, as on the
 * venues. Every materialization continues with a fresh generator seeded from the seed and the
 * materialization number, whose ids start at {@code number × 10^12 + 1}, so ids never repeat.
 * The exchange simulator runs one materialization as its whole trade tape.
 */
public final class SyntheticMarket {

  /** One symbol's walk: start price, price tick and lot step. */
  public record Instrument(SymbolId symbol, BigDecimal startPrice, BigDecimal lotStep) {}

  private final List<Instrument> instruments;
  private final long seed;
  private final int tradesPerSecond;
  private final double stepFraction;
  private final Clock clock;
  private long connections;

  public SyntheticMarket(List<Instrument> instruments, long seed, int tradesPerSecond, BigDecimal stepBps, Clock clock) {
    if (instruments.isEmpty()) {
      throw new IllegalArgumentException("the synthetic market needs at least one symbol");
    }
    this.instruments = List.copyOf(instruments);
    this.seed = seed;
    this.tradesPerSecond = tradesPerSecond;
    this.stepFraction = stepBps.doubleValue() / 10_000.0;
    this.clock = clock;
  }

  /**
   * A new connection's worth of trades: endless, paced. The pacing's burst is a tenth of a
   * second's trades (rounded up) and one more: a pacing timer that fires up to 100 ms late (a
   * scheduler ticking that coarsely) then sends the trades that fell due meanwhile instead of
   * losing their time, so the rate holds. (With a burst of one, below 20 trades a second, each
   * late timer slowed the tape by its lateness.)
   */
  public Source<MarketTrade, NotUsed> connect() {
    long connection = ++connections;
    int perSecond = tradesPerSecond * instruments.size();
    return Source.fromIterator(() -> new Walk(connection))
        .throttle(perSecond, Duration.ofSeconds(1), (perSecond + 9) / 10 + 1, org.apache.pekko.stream.ThrottleMode.shaping());
  }

  /** The generator of one connection; owned by one stream stage. */
  private final class Walk implements Iterator<MarketTrade> {
    private final SplittableRandom random;
    private final double[] prices;
    private final long[] nextIds;
    private long sequence;

    Walk(long connection) {
      this.random = new SplittableRandom(seed * 31 + connection);
      this.prices = new double[instruments.size()];
      for (int i = 0; i < prices.length; i++) {
        prices[i] = instruments.get(i).startPrice().doubleValue();
      }
      this.nextIds = new long[instruments.size()];
      java.util.Arrays.fill(nextIds, connection * 1_000_000_000_000L + 1);
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public MarketTrade next() {
      int index = (int) (sequence % instruments.size());
      Instrument instrument = instruments.get(index);
      double step = random.nextDouble(-1, 1) * stepFraction * Math.sqrt(3);
      prices[index] = Math.max(prices[index] * (1 + step), 1e-6);
      BigDecimal price = BigDecimal.valueOf(prices[index]).setScale(priceScale(instrument), RoundingMode.HALF_EVEN);
      if (price.signum() <= 0) {
        price = BigDecimal.ONE.movePointLeft(priceScale(instrument));
      }
      long lots = 1 + random.nextLong(200);
      BigDecimal quantity = instrument.lotStep().multiply(BigDecimal.valueOf(lots));
      Side taker = random.nextBoolean() ? Side.BUY : Side.SELL;
      sequence++;
      Trade trade = new Trade(Long.toString(nextIds[index]++), clock.millis(), price, quantity, taker);
      return new MarketTrade(instrument.symbol(), trade);
    }

    private int priceScale(Instrument instrument) {
      return Math.max(2, instrument.startPrice().scale());
    }
  }
}

package io.pekkotrader.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** Shared set-up for actor tests: in-memory journal, the engine's own serialization bindings. */
final class ActorTests {
  private ActorTests() {}

  static Config config() {
    return ConfigFactory.parseString(
            "pekko.actor.provider = local\n"
                // the engine's scheduler (cluster.conf); ManualTime's, put above this, wins
                + "pekko.scheduler.implementation = io.pekkotrader.app.SleepingScheduler\n"
                + "pekko.loglevel = INFO\n"
                + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n")
        .withFallback(EventSourcedBehaviorTestKit.config())
        .withFallback(ConfigFactory.parseResources("serialization.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private final AtomicLong millis;

    ManualClock(long startMillis) {
      this.millis = new AtomicLong(startMillis);
    }

    void set(long value) {
      millis.set(value);
    }

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}

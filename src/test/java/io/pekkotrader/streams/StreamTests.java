package io.pekkotrader.streams;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Shared set-up for stream tests: a local actor system (no cluster, no journal), logging through SLF4J. */
final class StreamTests {
  private StreamTests() {}

  static Config config() {
    return ConfigFactory.parseString(
            "pekko.actor.provider = local\n"
                + "pekko.loglevel = INFO\n"
                + "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n")
        .withFallback(ConfigFactory.defaultReference());
  }
}

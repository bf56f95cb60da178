package io.pekkotrader.app;

import io.pekkotrader.engine.Settings;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's JSON-lines log file, {@code <data-dir>/logs/engine.jsonl} ({@link JsonLogEncoder}),
 * beside the console of {@code logback.xml}. Only {@code run} attaches it, once its data
 * directory is locked, so other commands never create log files; it is attached to logback's
 * root logger in code because the data directory is known only once the settings are read.
 *
 * <p>Beyond {@code max-file-size} the file is compressed into {@code engine.1.jsonl.gz} and the
 * older ones move up to {@code engine.<max-files>.jsonl.gz}; the oldest is deleted. The size is
 * checked at most once a second, so a file may overshoot by one second of logging. Writing goes
 * through an asynchronous appender that never blocks the logging thread (an actor's): when its
 * queue is full, events are dropped rather than waited for.
 */
public final class JsonLogFile implements AutoCloseable {
  public static final String FILE_NAME = "engine.jsonl";
  /** The rotated files, {@code %i} = 1 (newest) .. max-files (oldest). */
  public static final String ROTATED_PATTERN = "engine.%i.jsonl.gz";
  private static final Duration CHECK_SIZE_EVERY = Duration.ofSeconds(1);
  private static final int QUEUE_SIZE = 8192;
  private static final Logger log = LoggerFactory.getLogger(JsonLogFile.class);

  private final LoggerContext context;
  private final AsyncAppender appender;
  private final Path file;

  private JsonLogFile(LoggerContext context, AsyncAppender appender, Path file) {
    this.context = context;
    this.appender = appender;
    this.file = file;
  }

  /**
   * Starts writing every event of the root logger to {@code dir/engine.jsonl}. Returns null,
   * after a warning on the console, when the file cannot be written or logback is not the
   * logging backend: the engine then logs to the console only.
   */
  public static JsonLogFile attach(Path dir, Settings.Logging settings) {
    return attach(dir, settings, CHECK_SIZE_EVERY);
  }

  static JsonLogFile attach(Path dir, Settings.Logging settings, Duration checkSizeEvery) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      log.warn("Logging backend is not logback: no JSON log file");
      return null;
    }
    Path file = dir.resolve(FILE_NAME).toAbsolutePath();

    RollingFileAppender<ILoggingEvent> rolling = new RollingFileAppender<>();
    rolling.setContext(context);
    rolling.setName("JSON_FILE");
    rolling.setFile(file.toString());
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(context);
    encoder.start();
    rolling.setEncoder(encoder);

    FixedWindowRollingPolicy window = new FixedWindowRollingPolicy();
    window.setContext(context);
    window.setParent(rolling);
    window.setFileNamePattern(file.resolveSibling(ROTATED_PATTERN).toString());
    window.setMinIndex(1);
    window.setMaxIndex(settings.maxFiles());
    window.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> size = new SizeBasedTriggeringPolicy<>();
    size.setContext(context);
    size.setMaxFileSize(new FileSize(settings.maxFileBytes()));
    size.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(checkSizeEvery.toMillis()));
    size.start();
    rolling.setRollingPolicy(window);
    rolling.setTriggeringPolicy(size);
    rolling.start();
    if (!rolling.isStarted()) {
      log.warn("Cannot write the log file {}: logging to the console only", file);
      return null;
    }

    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC_JSON_FILE");
    async.setQueueSize(QUEUE_SIZE);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(rolling);
    async.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(async);
    return new JsonLogFile(context, async, file);
  }

  /** The file being written. */
  public Path file() {
    return file;
  }

  /** Detaches the file, writing out what is queued and closing it. */
  @Override
  public void close() {
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }
}

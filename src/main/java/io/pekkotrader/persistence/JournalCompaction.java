package io.pekkotrader.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunk compaction for the embedded H2 journal, which H2 itself never runs under
 * {@code WRITE_DELAY=0}.
 *
 * <p>H2's MVStore writes one chunk per commit and keeps the metadata of every chunk that still
 * holds a live page on the heap (an {@code SFChunk} with its page-occupancy {@code BitSet}, map
 * entries and cache entries). Merging chunks is the job of its background writer thread, but
 * {@code WRITE_DELAY=0} (which the journal needs: a completed persist is in the file) sets the
 * auto-commit delay to 0, and then H2 starts no background thread at all. An append-only journal
 * leaves a full leaf page behind in a good share of its chunks, so without compaction their
 * number, and the heap, grow for as long as the engine runs.
 *
 * <p>This runs H2's own {@link MVStore#compact(int, int)} (the step of its background
 * housekeeping) on a daemon thread of its own every {@link #INTERVAL}: it moves at most
 * {@link #REWRITE_BYTES} of live pages out of the emptiest chunks older than H2's retention
 * time; the next commit writes them into a new chunk, and the emptied chunks are dropped once
 * their retention time has passed. Durability is untouched: commits still reach the file before
 * the persist is acknowledged, and a rewrite is committed like any other change.
 */
public final class JournalCompaction implements AutoCloseable {
  /** How often a pass runs. */
  public static final Duration INTERVAL = Duration.ofSeconds(5);

  /** Live bytes a pass moves at most; the store lock is held while they are copied. */
  static final int REWRITE_BYTES = 1 << 20;

  /** A pass runs while the live share of all chunk bytes is below this percentage (H2's default). */
  static final int TARGET_FILL_RATE = 90;

  private static final Logger log = LoggerFactory.getLogger(JournalCompaction.class);

  private final Connection connection;
  private final MVStore store;
  private final ScheduledExecutorService thread;

  private JournalCompaction(Connection connection, MVStore store, ScheduledExecutorService thread) {
    this.connection = connection;
    this.store = store;
    this.thread = thread;
  }

  /**
   * Opens a connection of its own to the embedded H2 journal at {@code url} (which keeps the
   * database open while it lives) without starting any pass; {@link #start()} schedules them.
   */
  public static JournalCompaction open(String url, String user, String password) {
    if (!url.startsWith("jdbc:h2:file:")) {
      // the URL itself is not repeated: a server URL may carry a password
      throw new IllegalArgumentException("journal compaction is only for the embedded H2 journal (jdbc:h2:file:)");
    }
    Connection connection;
    try {
      connection = DriverManager.getConnection(url, user, password);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the journal database: " + e.getMessage(), e);
    }
    try {
      MVStore store =
          ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
      ScheduledExecutorService thread =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread t = new Thread(task, "journal-compaction");
                t.setDaemon(true);
                return t;
              });
      return new JournalCompaction(connection, store, thread);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection);
      throw new IllegalStateException("cannot reach the journal's H2 store: " + e.getMessage(), e);
    }
  }

  /** Runs a pass every {@link #INTERVAL} on the compaction thread until {@link #close()}. */
  public JournalCompaction start() {
    long millis = INTERVAL.toMillis();
    thread.scheduleWithFixedDelay(this::passLoggingFailures, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * One pass on the calling thread: rewrites at most {@link #REWRITE_BYTES} of live pages out of
   * the emptiest chunks past their retention time. Returns whether it rewrote any page.
   */
  public boolean compactOnce() {
    if (store.isClosed()) {
      return false;
    }
    return store.compact(TARGET_FILL_RATE, REWRITE_BYTES);
  }

  private void passLoggingFailures() {
    try {
      compactOnce();
    } catch (RuntimeException e) {
      // a failed pass changes nothing that was committed; the next one tries again
      log.warn("Journal compaction pass failed: {}", e.toString());
    }
  }

  /** Stops the passes (waiting for a running one) and closes the connection. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("Closing the journal compaction connection failed: {}", e.getMessage());
    }
  }
}

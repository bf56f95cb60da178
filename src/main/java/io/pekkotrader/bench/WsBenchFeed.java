package io.pekkotrader.bench;

import io.pekkotrader.streams.venue.VenueDialect;
import io.pekkotrader.streams.venue.VenueDialects;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A paced market-data feed for {@code bench ws}: Binance combined-stream {@code @trade} frames
 * (encoded by the same dialect as the exchange simulator's) over a WebSocket on loopback, sent on
 * a schedule kept by one dedicated thread against {@link System#nanoTime()}: trade {@code k} is
 * due at {@code t0 + k / rate}, where {@code t0} is the moment the first client connected. The
 * simulator paces its tape with a stream throttle on the scheduler's 1 ms ticks, which releases
 * trades in clumps up to a millisecond late; at a 1 ms latency target that is the whole budget, so
 * the bench measures the engine against this feed instead (or against the simulator, to compare).
 *
 * <p>Open loop, as a venue: the pacer never waits for the client. Frames go into a bounded send
 * buffer of about {@value #BUFFERED_TRADES} trades, written without blocking; a client that falls
 * further behind is disconnected as a slow consumer and its trades are lost (drops) until it
 * reconnects. Between trades the pacer parks (it does not spin: on a shared machine a spinning
 * thread takes a core from the engine), so it sends in small bursts a few tens of microseconds
 * apart; each trade's generation time is recorded, and a pacer that falls behind its schedule
 * (descheduled, or blocked by a full buffer) counts against the engine in the schedule-based
 * latency, as coordinated-omission correction requires.
 *
 * <p>Blocking I/O runs on the feed's own threads (acceptor and pacer), never on an actor or stream
 * thread. Run in-process by the bench, or as a separate JVM through {@link #main} so that the
 * engine's process is measured alone.
 */
public final class WsBenchFeed implements AutoCloseable {
  /** Trade ids start here, as the simulator's first tape. */
  static final long FIRST_ID = 1_000_000_000_001L;
  static final int BUFFERED_TRADES = 8192;
  private static final int MAX_FRAME = 256;
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** Told of every generated trade: its number and its generation time (nanoTime), on the pacer thread. */
  @FunctionalInterface
  public interface Listener {
    void generated(long k, long nanos);
  }

  private final int rate;
  private final String[] symbols;
  private final Listener listener;
  private final VenueDialect dialect = VenueDialects.forVenue("binance");
  private final ServerSocketChannel server;
  private final AtomicReference<SocketChannel> pending = new AtomicReference<>();
  private final Thread acceptor;
  private final Thread pacer;
  private volatile boolean stopping;
  final AtomicLong generated = new AtomicLong();
  final AtomicLong connections = new AtomicLong();
  final AtomicLong slowConsumerDrops = new AtomicLong();

  /**
   * Listens on a free loopback port; pacing starts when the first client has connected.
   *
   * @param rate trades per second, spread round-robin over {@code symbols}
   */
  public WsBenchFeed(int rate, int symbolCount, Listener listener) throws IOException {
    this.rate = rate;
    this.symbols = new String[symbolCount];
    for (int i = 0; i < symbolCount; i++) {
      symbols[i] = "S" + i + "USDT";
    }
    this.listener = listener;
    this.server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.acceptor = new Thread(this::acceptLoop, "ws-bench-feed-acceptor");
    this.pacer = new Thread(this::paceLoop, "ws-bench-feed-pacer");
    acceptor.setDaemon(true);
    pacer.setDaemon(true);
    acceptor.start();
    pacer.start();
  }

  /** The base URL a client appends its connect path to. */
  public String url() throws IOException {
    return "ws://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  @Override
  public void close() throws IOException {
    stopping = true;
    server.close();
    LockSupport.unpark(pacer);
    try {
      pacer.join(5_000);
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- accepting: one blocking handshake at a time, on the acceptor thread ---------------

  private void acceptLoop() {
    while (!stopping) {
      try {
        SocketChannel channel = server.accept();
        Socket socket = channel.socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        if (!handshake(socket.getInputStream(), socket.getOutputStream())) {
          channel.close();
          continue;
        }
        channel.configureBlocking(false);
        SocketChannel previous = pending.getAndSet(channel);
        if (previous != null) {
          previous.close();
        }
        connections.incrementAndGet();
        LockSupport.unpark(pacer);
      } catch (IOException e) {
        if (!stopping) {
          System.err.println("ws bench feed: " + e);
        }
      }
    }
  }

  private static boolean handshake(InputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      if (head.size() > 16_384) {
        return false;
      }
      if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    String key = null;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
        key = line.substring(colon + 1).trim();
      }
    }
    if (key == null) {
      out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      return false;
    }
    String accept;
    try {
      accept = Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
        + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return true;
  }

  // ---- pacing: the pacer thread owns the connection from here on ---------------------------

  private void paceLoop() {
    TradeWalk walk = new TradeWalk(symbols.length, 7);
    ByteBuffer out = ByteBuffer.allocateDirect(BUFFERED_TRADES * MAX_FRAME);
    ByteBuffer scratch = ByteBuffer.allocate(1024);
    SocketChannel channel = null;
    while (!stopping && channel == null) {
      channel = pending.getAndSet(null);
      if (channel == null) {
        LockSupport.parkNanos(1_000_000);
      }
    }
    long periodNanos = 1_000_000_000L / rate;
    long t0 = System.nanoTime();
    long k = 0;
    while (!stopping) {
      SocketChannel newer = pending.getAndSet(null);
      if (newer != null) {
        closeQuietly(channel);
        channel = newer;
        out.clear();
      }
      long now = System.nanoTime();
      while (t0 + k * periodNanos <= now) {
        int s = (int) (k % symbols.length);
        listener.generated(k, System.nanoTime());
        String frame =
            dialect.encodeTrade(symbols[s], walk.next(s, Long.toString(FIRST_ID + k / symbols.length), System.currentTimeMillis()));
        generated.incrementAndGet();
        k++;
        if (channel == null) {
          continue;
        }
        byte[] payload = frame.getBytes(StandardCharsets.US_ASCII);
        if (out.remaining() < payload.length + 4) {
          slowConsumerDrops.incrementAndGet();
          System.err.println("ws bench feed: slow consumer, more than " + BUFFERED_TRADES + " trades behind: disconnected");
          closeQuietly(channel);
          channel = null;
          out.clear();
          continue;
        }
        putFrame(out, payload);
      }
      if (channel != null) {
        channel = flush(channel, out, scratch);
      }
      long wait = t0 + k * periodNanos - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    closeQuietly(channel);
  }

  /** An unmasked text frame from the server. */
  private static void putFrame(ByteBuffer out, byte[] payload) {
    out.put((byte) 0x81);
    if (payload.length < 126) {
      out.put((byte) payload.length);
    } else {
      out.put((byte) 126);
      out.putShort((short) payload.length);
    }
    out.put(payload);
  }

  /** Writes what the socket takes now and drains what the client sent; null when the client is gone. */
  private SocketChannel flush(SocketChannel channel, ByteBuffer out, ByteBuffer scratch) {
    try {
      out.flip();
      channel.write(out);
      out.compact();
      scratch.clear();
      if (channel.read(scratch) < 0) {
        closeQuietly(channel);
        out.clear();
        return null;
      }
      return channel;
    } catch (IOException e) {
      closeQuietly(channel);
      out.clear();
      return null;
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing a connection that is already gone
      }
    }
  }

  // ---- as a separate process -----------------------------------------------------------------

  /**
   * {@code WsBenchFeed RATE SYMBOLS TIMES_FILE}: prints {@code url nanoTime} when listening, paces
   * until a line arrives on standard input (or it closes), then writes every generated trade's
   * generation time (nanoTime, as longs in order) to {@code TIMES_FILE} and prints {@code done N}.
   */
  public static void main(String[] args) throws Exception {
    int rate = Integer.parseInt(args[0]);
    int symbolCount = Integer.parseInt(args[1]);
    Path timesFile = Path.of(args[2]);
    int slots = Integer.parseInt(args.length > 3 ? args[3] : String.valueOf(1 << 22));
    long[] times = new long[slots];
    try (WsBenchFeed feed = new WsBenchFeed(rate, symbolCount, (k, nanos) -> {
      if (k < times.length) {
        times[(int) k] = nanos;
      }
    })) {
      System.out.println(feed.url() + " " + System.nanoTime());
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      feed.close();
      int n = (int) Math.min(times.length, feed.generated.get());
      try (DataOutputStream file = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(timesFile)))) {
        file.writeInt(n);
        for (int i = 0; i < n; i++) {
          file.writeLong(times[i]);
        }
      }
      System.out.println("done " + n + " " + feed.connections.get() + " " + feed.slowConsumerDrops.get());
      System.out.flush();
    }
  }
}

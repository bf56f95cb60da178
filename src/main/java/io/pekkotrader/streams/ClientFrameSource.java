package io.pekkotrader.streams;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * The stream side of a WebSocket client that runs on its own threads (Netty's event
 * loop): one connection as a source of whole inbound messages. The client hands messages over
 * through an {@link Inbox} (a lock-free queue; the stage is woken by one asynchronous callback only
 * when it waits on an empty queue, so a busy stream pays no hand-over per message), and hears
 * back through {@link Connection#consumed} how many the stream has taken, which is all the
 * credit it gets: it reads from the socket only while the stream keeps up. Sends (the opening
 * frames, the keep-alive on the stage's timer) and the close with a reason go the other way.
 */
final class ClientFrameSource extends AbstractGraphStageWithMaterializedValue<SourceShape<InboundFrame>, CompletionStage<Done>> {

  /** One client connection, driven by the stage (every method is called on the stage's thread). */
  interface Connection {
    /** Starts connecting; reports through {@code inbox}. */
    void open(Inbox inbox);

    /** Sends a text frame (called after {@link Inbox#opened}). */
    void send(String text);

    /** The stream took {@code frames} more messages off the inbox. */
    void consumed(int frames);

    /** The stream ended: close with {@code reason} (or abort a connection still opening), release everything. */
    void close(String reason);
  }

  /** How the client thread hands over what it receives; thread-safe, never blocks. */
  static final class Inbox {
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean waiting = new AtomicBoolean();
    private volatile AsyncCallback<Object> wake;

    /** The upgrade succeeded. */
    void opened() {
      queue.add(Opened.INSTANCE);
      signal();
    }

    /** A whole inbound message. */
    void offer(InboundFrame frame) {
      queue.add(frame);
      signal();
    }

    /**
     * A whole inbound message that the client will follow with {@link #flush} (after the rest of
     * one socket read): a read of many messages wakes the stream once.
     */
    void add(InboundFrame frame) {
      queue.add(frame);
    }

    /** Wakes the stream for the messages {@link #add}ed since the last wake-up, if it waits. */
    void flush() {
      signal();
    }

    /** The connection ended: normally (the venue closed it) when {@code failure} is null. */
    void end(Throwable failure) {
      queue.add(new End(failure));
      signal();
    }

    private void signal() {
      if (waiting.get() && waiting.compareAndSet(true, false)) {
        wake.invoke(Wake.INSTANCE);
      }
    }
  }

  private enum Opened {
    INSTANCE
  }

  private enum Wake {
    INSTANCE
  }

  private record End(Throwable failure) {}

  /** How often the stage tells the client what it consumed: in batches, not per message. */
  static final int CREDIT_BATCH = 32;

  private final Outlet<InboundFrame> out = Outlet.create("ClientFrameSource.frames");
  private final SourceShape<InboundFrame> shape = SourceShape.of(out);
  private final WebSocketTransport.Request request;
  private final Function<WebSocketTransport.Request, Connection> connection;

  ClientFrameSource(WebSocketTransport.Request request, Function<WebSocketTransport.Request, Connection> connection) {
    this.request = request;
    this.connection = connection;
  }

  @Override
  public SourceShape<InboundFrame> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, CompletionStage<Done>> createLogicAndMaterializedValuePair(Attributes attributes) {
    CompletableFuture<Done> upgraded = new CompletableFuture<>();
    Connection client = connection.apply(request);
    Inbox inbox = new Inbox();
    GraphStageLogic logic =
        new TimerGraphStageLogic(shape) {
          private boolean open;
          private int unreported;
          private String closeReason = "stream finished";

          {
            setHandler(
                out,
                new AbstractOutHandler() {
                  @Override
                  public void onPull() {
                    drain();
                  }

                  @Override
                  public void onDownstreamFinish(Throwable cause) throws Exception {
                    closeReason = cause instanceof org.apache.pekko.stream.SubscriptionWithCancelException.NonFailureCancellation
                        ? "stream cancelled"
                        : "stream cancelled: " + cause;
                    super.onDownstreamFinish(cause);
                  }
                });
          }

          @Override
          public void preStart() {
            inbox.wake = createAsyncCallback(wake -> drain());
            inbox.waiting.set(true);
            client.open(inbox);
          }

          @Override
          public void onTimer(Object key) {
            request.keepAlive().ifPresent(client::send);
          }

          /** Takes what the inbox holds while the outlet wants it; arms the wake-up when it runs dry. */
          private void drain() {
            while (true) {
              Object next = inbox.queue.peek();
              if (next == null) {
                inbox.waiting.set(true);
                next = inbox.queue.peek();
                if (next == null) {
                  return;
                }
                inbox.waiting.set(false);
              }
              if (next instanceof InboundFrame frame) {
                if (!isAvailable(out)) {
                  return;
                }
                inbox.queue.poll();
                push(out, frame);
                if (++unreported >= CREDIT_BATCH) {
                  client.consumed(unreported);
                  unreported = 0;
                }
              } else if (next instanceof End end) {
                inbox.queue.poll();
                closeReason = null;
                if (!open && end.failure() != null) {
                  upgraded.completeExceptionally(end.failure());
                }
                if (end.failure() == null) {
                  completeStage();
                } else {
                  failStage(end.failure());
                }
                return;
              } else {
                inbox.queue.poll();
                onOpened();
              }
            }
          }

          private void onOpened() {
            open = true;
            upgraded.complete(Done.getInstance());
            request.opening().forEach(client::send);
            if (request.keepAlive().isPresent() && !request.keepAliveInterval().isZero()) {
              scheduleWithFixedDelay("keep-alive", request.keepAliveInterval(), request.keepAliveInterval());
            }
          }

          @Override
          public void postStop() {
            if (!open) {
              upgraded.completeExceptionally(new IllegalStateException("the connection ended before the upgrade: " + request.url()));
            }
            // closeReason is null when the connection itself ended (nothing to close politely)
            client.close(closeReason == null ? "connection ended" : closeReason);
          }
        };
    return Pair.create(logic, upgraded);
  }
}

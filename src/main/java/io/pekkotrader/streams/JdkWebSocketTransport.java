package io.pekkotrader.streams;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@link WebSocketTransport} on the JDK's {@code java.net.http.WebSocket}. Its {@code request(n)}
 * is the stream's demand: the listener is given {@value #WINDOW} messages of credit when the
 * connection opens and {@link ClientFrameSource#CREDIT_BATCH} more each time the stream has taken
 * that many, so at most {@value #WINDOW} messages wait between the socket and the stream, and the
 * JDK stops reading the socket when they do. The JDK answers pings itself and decodes text to
 * characters (it gives no access to the bytes), so frames come out as {@link InboundFrame.Text}.
 */
final class JdkWebSocketTransport implements WebSocketTransport {
  /** Messages of credit the client holds at most. */
  static final int WINDOW = 256;

  private final HttpClient client;

  /** @param tls the TLS context of {@code wss://} connections (the JVM's default trusts the public CAs) */
  JdkWebSocketTransport(SSLContext tls) {
    this.client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public Source<InboundFrame, CompletionStage<Done>> connect(Request request) {
    return Source.fromGraph(new ClientFrameSource(request, r -> new Connection(client, r)));
  }

  /** One connection; the listener's methods run on the JDK's threads, the rest on the stage's. */
  private static final class Connection implements ClientFrameSource.Connection, WebSocket.Listener {
    private final HttpClient client;
    private final Request request;
    private ClientFrameSource.Inbox inbox;
    private volatile WebSocket socket;
    private volatile boolean closed;
    /** Sends one after another, as the JDK requires. */
    private CompletableFuture<WebSocket> sending;
    /** A message in pieces (listener threads only: the JDK calls the listener one call at a time). */
    private StringBuilder pieces;
    private boolean tooLong;

    Connection(HttpClient client, Request request) {
      this.client = client;
      this.request = request;
    }

    @Override
    public void open(ClientFrameSource.Inbox inbox) {
      this.inbox = inbox;
      WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
      for (Map.Entry<String, String> header : request.headers().entrySet()) {
        builder.header(header.getKey(), header.getValue());
      }
      builder
          .buildAsync(URI.create(request.url()), this)
          .whenComplete(
              (ws, failure) -> {
                if (failure != null) {
                  inbox.end(refusal(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure));
                } else if (closed) {
                  ws.abort();
                }
              });
    }

    /** A refused upgrade names the venue's status (the JDK's exception does not). */
    private static Throwable refusal(Throwable failure) {
      if (failure instanceof WebSocketHandshakeException refused) {
        return new IOException("WebSocket upgrade refused with HTTP " + refused.getResponse().statusCode(), refused);
      }
      return failure;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      sending = CompletableFuture.completedFuture(webSocket);
      inbox.opened();
      webSocket.request(WINDOW);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      if (last && pieces == null) {
        inbox.offer(data.length() > request.maxFrameBytes() ? InboundFrame.TooLong.INSTANCE : new InboundFrame.Text(data.toString()));
        return null;
      }
      if (pieces == null) {
        pieces = new StringBuilder();
        tooLong = false;
      }
      if (!tooLong) {
        if (pieces.length() + data.length() > request.maxFrameBytes()) {
          tooLong = true;
          pieces.setLength(0);
        } else {
          pieces.append(data);
        }
      }
      if (last) {
        inbox.offer(tooLong ? InboundFrame.TooLong.INSTANCE : new InboundFrame.Text(pieces.toString()));
        pieces = null;
      } else {
        webSocket.request(1); // a piece is not a message: it takes no credit from the stream
      }
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      if (last) {
        inbox.offer(InboundFrame.Binary.INSTANCE);
      } else {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      webSocket.request(1); // the JDK sends the pong itself
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      inbox.end(null); // the JDK replies with a close of its own
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      inbox.end(error);
    }

    @Override
    public void send(String text) {
      sending = sending.thenCompose(ws -> ws.sendText(text, true));
    }

    @Override
    public void consumed(int frames) {
      WebSocket ws = socket;
      if (ws != null) {
        ws.request(frames);
      }
    }

    @Override
    public void close(String reason) {
      closed = true;
      WebSocket ws = socket;
      if (ws == null || ws.isOutputClosed() && ws.isInputClosed()) {
        return;
      }
      String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
      sending
          .exceptionally(failure -> ws)
          .thenCompose(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, shortReason))
          .orTimeout(2, TimeUnit.SECONDS)
          .whenComplete((w, failure) -> ws.abort());
    }
  }
}

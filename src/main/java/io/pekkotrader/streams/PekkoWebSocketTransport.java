package io.pekkotrader.streams;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * {@link WebSocketTransport} on Pekko HTTP's client flow. Pekko HTTP decodes text frames to
 * characters itself, so frames come out as {@link InboundFrame.Text}; a message that arrives in
 * pieces is collected before it is emitted.
 */
final class PekkoWebSocketTransport implements WebSocketTransport {
  private final ActorSystem<?> system;
  private final HttpsConnectionContext tls;
  private final ClientConnectionSettings settings;

  /** @param tls the TLS context of {@code wss://} connections */
  PekkoWebSocketTransport(ActorSystem<?> system, SSLContext tls) {
    this.system = system;
    this.tls = ConnectionContext.httpsClient(tls);
    this.settings = ClientConnectionSettings.create(system.classicSystem());
  }

  @Override
  public Source<InboundFrame, CompletionStage<Done>> connect(Request request) {
    WebSocketRequest upgradeRequest = WebSocketRequest.create(request.url());
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      upgradeRequest = upgradeRequest.addHeader(RawHeader.create(header.getKey(), header.getValue()));
    }
    return outgoing(request)
        .viaMat(
            Http.get(system)
                .webSocketClientFlow(
                    upgradeRequest, tls, Optional.empty(), settings, system.classicSystem().log()),
            Keep.right())
        .mapMaterializedValue(
            upgrade ->
                upgrade.thenCompose(
                    response ->
                        response.isValid()
                            ? CompletableFuture.completedFuture(Done.getInstance())
                            : CompletableFuture.<Done>failedFuture(new IllegalStateException("upgrade refused: " + response.response().status()))))
        .via(new Whole(request));
  }

  /** Opening frames, then the keep-alive forever (or nothing, forever): the outgoing side never completes. */
  private static Source<Message, NotUsed> outgoing(Request request) {
    Source<Message, NotUsed> opening = Source.from(request.opening()).map(TextMessage::create);
    Source<Message, NotUsed> keepAlive =
        request.keepAlive().isPresent() && !request.keepAliveInterval().isZero()
            ? Source.<Message>tick(request.keepAliveInterval(), request.keepAliveInterval(), TextMessage.create(request.keepAlive().get()))
                .mapMaterializedValue(cancellable -> NotUsed.getInstance())
            : Source.<Message>maybe().mapMaterializedValue(promise -> NotUsed.getInstance());
    return opening.concat(keepAlive);
  }

  /**
   * Each message made whole: a strict text message at once (the usual case), any other collected
   * first (streamed text concatenated up to the limit within the frame timeout, binary drained)
   * while the stage asks for nothing more. Collection runs on the stage's own (sub-fused)
   * materializer, so the message's parts are read at once by the stage that asked for them.
   */
  private static final class Whole extends GraphStage<FlowShape<Message, InboundFrame>> {
    private final Inlet<Message> in = Inlet.create("PekkoWebSocketTransport.messages");
    private final Outlet<InboundFrame> out = Outlet.create("PekkoWebSocketTransport.frames");
    private final FlowShape<Message, InboundFrame> shape = FlowShape.of(in, out);
    private final Request request;

    Whole(Request request) {
      this.request = request;
    }

    @Override
    public FlowShape<Message, InboundFrame> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new GraphStageLogic(shape) {
        private boolean collecting;
        private final AsyncCallback<InboundFrame> collected = createAsyncCallback(this::onCollected);
        private final AsyncCallback<Throwable> broken = createAsyncCallback(this::failStage);

        {
          setHandler(
              in,
              new AbstractInHandler() {
                @Override
                public void onPush() {
                  onMessage(grab(in));
                }

                @Override
                public void onUpstreamFinish() {
                  if (!collecting) {
                    completeStage();
                  }
                }
              });
          setHandler(
              out,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
                  pull(in);
                }
              });
        }

        private void onMessage(Message message) {
          if (message.isText() && message.asTextMessage().isStrict()) {
            push(out, new InboundFrame.Text(message.asTextMessage().getStrictText()));
            return;
          }
          collecting = true;
          collect(message, subFusingMaterializer())
              .whenComplete(
                  (frame, failure) -> {
                    if (failure == null) {
                      collected.invoke(frame);
                    } else {
                      broken.invoke(failure);
                    }
                  });
        }

        private void onCollected(InboundFrame frame) {
          collecting = false;
          push(out, frame);
          if (isClosed(in)) {
            completeStage();
          }
        }
      };
    }

    private CompletionStage<InboundFrame> collect(Message message, Materializer materializer) {
      if (!message.isText()) {
        return message.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), materializer).thenApply(done -> InboundFrame.Binary.INSTANCE);
      }
      int limit = request.maxFrameBytes();
      return message
          .asTextMessage()
          .getStreamedText()
          .completionTimeout(request.frameTimeout())
          .runFold(
              new StringBuilder(),
              (builder, piece) -> {
                if (builder.length() <= limit) {
                  builder.append(piece, 0, Math.min(piece.length(), limit + 1 - builder.length()));
                }
                return builder;
              },
              materializer)
          .thenApply(builder -> builder.length() > limit ? InboundFrame.TooLong.INSTANCE : new InboundFrame.Text(builder.toString()));
    }
  }
}

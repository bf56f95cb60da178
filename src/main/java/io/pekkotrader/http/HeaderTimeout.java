package io.pekkotrader.http;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One connection's guard between the HTTP server layer and the routes: the connection is closed
 * when a request's headers have not arrived {@code timeout} after it opened, or after its previous
 * response was sent whole (for a streamed response, once its last byte left). Pekko HTTP has no
 * such timeout itself: its idle-timeout is reset by every byte, so a client that trickles half a
 * request keeps a connection for as long as it likes. While a request is being answered the guard
 * waits; the server's request-timeout bounds that.
 *
 * <p>Every request it passes carries the connection's {@link Scope} (attribute {@link #SCOPE}),
 * which runs what is registered with it once the connection has closed.
 */
final class HeaderTimeout extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
  /** The request attribute that carries its connection's scope. */
  static final AttributeKey<Scope> SCOPE = AttributeKey.create("pekko-trader-connection", Scope.class);

  /** What to do once a connection has closed; safe to use from any thread. */
  static final class Scope {
    private final ConcurrentLinkedQueue<Runnable> onClose = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Runs {@code action} once the connection has closed (at once when it already has). */
    void onClose(Runnable action) {
      onClose.add(action);
      if (closed.get()) {
        runAll();
      }
    }

    void close() {
      closed.set(true);
      runAll();
    }

    private void runAll() {
      Runnable action;
      while ((action = onClose.poll()) != null) {
        action.run();
      }
    }
  }

  private final Inlet<HttpRequest> requestIn = Inlet.create("HeaderTimeout.requestIn");
  private final Outlet<HttpRequest> requestOut = Outlet.create("HeaderTimeout.requestOut");
  private final Inlet<HttpResponse> responseIn = Inlet.create("HeaderTimeout.responseIn");
  private final Outlet<HttpResponse> responseOut = Outlet.create("HeaderTimeout.responseOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(requestIn, requestOut, responseIn, responseOut);

  private final Duration timeout;
  private final Runnable onTimeout;
  private final Scope scope;

  /** {@code onTimeout} runs on the stream's thread when a connection is closed for its headers; {@code scope} is closed with the connection. */
  HeaderTimeout(Duration timeout, Runnable onTimeout, Scope scope) {
    this.timeout = timeout;
    this.onTimeout = onTimeout;
    this.scope = scope;
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      private static final String TIMER = "headers";
      /** Requests passed to the routes; a response's sent callback arms the timer only if none came since. */
      private long requests;
      private long responses;
      private final AsyncCallback<Long> responseSent = createAsyncCallback(this::onResponseSent);

      {
        setHandler(requestIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            cancelTimer(TIMER);
            requests++;
            push(requestOut, grab(requestIn).addAttribute(SCOPE, scope));
          }

          @Override
          public void onUpstreamFinish() {
            complete(requestOut);
          }
        });
        setHandler(requestOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(requestIn);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(requestIn, cause);
          }
        });
        setHandler(responseIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            responses++;
            push(responseOut, whenSent(grab(responseIn), requests));
          }

          @Override
          public void onUpstreamFinish() {
            complete(responseOut);
          }
        });
        setHandler(responseOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(responseIn);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(responseIn, cause);
          }
        });
      }

      @Override
      public void preStart() {
        scheduleOnce(TIMER, timeout);
      }

      @Override
      public void onTimer(Object key) {
        onTimeout.run();
        completeStage();
      }

      @Override
      public void postStop() {
        scope.close();
      }

      /** {@code response} with its last byte reported to {@link #onResponseSent}; a strict one counts as sent now. */
      private HttpResponse whenSent(HttpResponse response, long requestsSoFar) {
        ResponseEntity entity = response.entity();
        if (entity.isStrict() || entity.isKnownEmpty()) {
          onResponseSent(requestsSoFar);
          return response;
        }
        Flow<ByteString, ByteString, NotUsed> watched =
            Flow.of(ByteString.class)
                .watchTermination(
                    (mat, done) -> {
                      done.whenComplete((ok, failure) -> responseSent.invoke(requestsSoFar));
                      return mat;
                    });
        if (entity.isDefault()) {
          return response.withEntity(
              HttpEntities.create(entity.getContentType(), entity.getContentLengthOption().getAsLong(), entity.getDataBytes().via(watched)));
        }
        // the Scala API keeps the entity's kind (chunked, close-delimited); its Flow[.., Any] is a raw type here
        @SuppressWarnings({"unchecked", "rawtypes"})
        org.apache.pekko.stream.scaladsl.Flow<ByteString, ByteString, Object> anyMat = (org.apache.pekko.stream.scaladsl.Flow) watched.asScala();
        return response.withEntity(((org.apache.pekko.http.scaladsl.model.ResponseEntity) entity).transformDataBytes(anyMat));
      }

      /** Arms the timer when the routes have answered every request, the last one being the {@code requestsSoFar}th. */
      private void onResponseSent(long requestsSoFar) {
        if (requests == requestsSoFar && responses == requests) {
          scheduleOnce(TIMER, timeout);
        }
      }
    };
  }
}

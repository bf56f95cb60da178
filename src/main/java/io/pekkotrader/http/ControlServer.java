package io.pekkotrader.http;

import io.pekkotrader.engine.Settings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.IncomingConnection;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of the control API and the dashboard. Each incoming connection is admitted
 * only while its client address holds fewer than {@code max-connections-per-client} and the
 * server fewer than {@code pekko.http.server.max-connections}; a connection past either is closed
 * at once, so a flood from one address cannot spend the server's connections and the operator
 * (from another address) still reaches the kill switch. Every admitted connection runs behind a
 * {@link HeaderTimeout}. Pekko HTTP's own {@code bind} would instead stop accepting past
 * max-connections, leaving every later client waiting in the kernel's backlog.
 */
public final class ControlServer {
  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
  private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  private final ServerBinding binding;
  private final ConnectionLimits limits;
  /** Completed once the server is unbound and its last connection has closed. */
  private final CompletableFuture<Done> drained;

  private ControlServer(ServerBinding binding, ConnectionLimits limits, CompletableFuture<Done> drained) {
    this.binding = binding;
    this.limits = limits;
    this.drained = drained;
  }

  /** Binds {@code route} on the configured interface and port with the configured connection limits. */
  public static CompletionStage<ControlServer> bind(ActorSystem<?> system, Settings.Http http, Route route) {
    return bind(system, http.iface(), http.port(), http, route);
  }

  /** As {@link #bind(ActorSystem, Settings.Http, Route)} on {@code iface}:{@code port} (0: a free port). */
  static CompletionStage<ControlServer> bind(ActorSystem<?> system, String iface, int port, Settings.Http http, Route route) {
    int maxConnections = ServerSettings.create(system.classicSystem()).getMaxConnections();
    ConnectionLimits limits = new ConnectionLimits(http.maxConnectionsPerClient(), maxConnections);
    Flow<HttpRequest, HttpResponse, NotUsed> routes = route.flow(system);
    Materializer materializer = Materializer.matFromSystem(system);
    Refusals refusals = new Refusals();
    CompletableFuture<Done> unbound = new CompletableFuture<>();
    CompletableFuture<Done> drained = new CompletableFuture<>();
    Runnable closed =
        () -> {
          if (unbound.isDone() && limits.open() == 0) {
            drained.complete(Done.getInstance());
          }
        };
    unbound.thenRun(closed);
    Source<IncomingConnection, CompletionStage<ServerBinding>> connections =
        Http.get(system).newServerAt(iface, port).connectionSource();
    return connections
        .toMat(
            Sink.foreach(connection -> accept(connection, limits, http.headerTimeout(), routes, materializer, refusals, closed)),
            (binding, done) -> {
              done.whenComplete((ok, failure) -> unbound.complete(Done.getInstance()));
              return binding;
            })
        .run(materializer)
        .thenApply(binding -> new ControlServer(binding, limits, drained));
  }

  private static void accept(
      IncomingConnection connection,
      ConnectionLimits limits,
      Duration headerTimeout,
      Flow<HttpRequest, HttpResponse, NotUsed> routes,
      Materializer materializer,
      Refusals refusals,
      Runnable closed) {
    InetSocketAddress remote = connection.remoteAddress();
    String client = remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    ConnectionLimits.Admission admission = limits.open(client);
    if (admission != ConnectionLimits.Admission.ADMITTED) {
      refusals.refused(client, admission, limits);
      // completing the responses at once closes the connection before anything is read
      connection.handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), materializer);
      return;
    }
    HeaderTimeout.Scope scope = new HeaderTimeout.Scope();
    scope.onClose(
        () -> {
          limits.close(client);
          closed.run();
        });
    BidiFlow<HttpRequest, HttpRequest, HttpResponse, HttpResponse, NotUsed> guard =
        BidiFlow.fromGraph(
            new HeaderTimeout(headerTimeout, () -> log.debug("Closed a connection from {}: no request headers within {}", client, headerTimeout), scope));
    try {
      connection.handleWith(guard.join(routes), materializer);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
  }

  /** Logs refused connections at most once every 10 seconds, so a flood does not flood the log too. */
  private static final class Refusals {
    private final AtomicLong lastWarnNanos = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private final AtomicLong sinceWarn = new AtomicLong();

    void refused(String client, ConnectionLimits.Admission admission, ConnectionLimits limits) {
      long refused = sinceWarn.incrementAndGet();
      long now = System.nanoTime();
      long last = lastWarnNanos.get();
      if (now - last >= WARN_EVERY_NANOS && lastWarnNanos.compareAndSet(last, now)) {
        sinceWarn.addAndGet(-refused);
        log.warn(
            "Refused {} connection(s) in the last 10 s, the latest from {}: {} ({} open from it, {} open in all)",
            refused,
            client,
            admission == ConnectionLimits.Admission.CLIENT_FULL ? "its address holds max-connections-per-client" : "the server holds max-connections",
            limits.openFrom(client),
            limits.open());
      }
    }
  }

  /** The bound address (for a port of 0: the port chosen). */
  public InetSocketAddress localAddress() {
    return binding.localAddress();
  }

  /** Stops accepting connections. */
  public CompletionStage<Done> unbind() {
    return binding.unbind();
  }

  /**
   * Stops accepting connections and waits up to {@code deadline} for the open ones to close (an
   * idle one closes within the header timeout; the actor system's end closes the rest).
   */
  public CompletionStage<Done> terminate(Duration deadline) {
    return binding.unbind().thenCompose(v -> drained.copy().completeOnTimeout(Done.getInstance(), deadline.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Connections open now. */
  int openConnections() {
    return limits.open();
  }
}

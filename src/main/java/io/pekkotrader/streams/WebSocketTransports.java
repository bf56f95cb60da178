package io.pekkotrader.streams;

import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The {@link WebSocketTransport}s of an actor system, one per {@link WebSocketTransport.Kind},
 * made when first asked for and closed when the system terminates (Netty's event loop with it).
 */
public final class WebSocketTransports implements Extension {
  private static final ExtensionId<WebSocketTransports> ID =
      new ExtensionId<>() {
        @Override
        public WebSocketTransports createExtension(ActorSystem<?> system) {
          return new WebSocketTransports(system);
        }
      };

  private final ConcurrentHashMap<WebSocketTransport.Kind, WebSocketTransport> made = new ConcurrentHashMap<>();

  private WebSocketTransports(ActorSystem<?> system) {
    system.getWhenTerminated().thenRun(this::closeAll);
  }

  /** The system's transport of {@code kind}, trusting the JVM's default certificate authorities. */
  public static WebSocketTransport get(ActorSystem<?> system, WebSocketTransport.Kind kind) {
    return system.registerExtension(ID).of(kind);
  }

  private WebSocketTransport of(WebSocketTransport.Kind kind) {
    return made.computeIfAbsent(kind, k -> create(k, defaultTls()));
  }

  private void closeAll() {
    made.values().forEach(WebSocketTransport::close);
    made.clear();
  }

  /**
   * A new transport of {@code kind} with its own TLS context (a test's trust store); the caller
   * closes it.
   */
  public static WebSocketTransport create(WebSocketTransport.Kind kind, SSLContext tls) {
    switch (kind) {
      case NETTY:
      default:
        return new NettyWebSocketTransport(tls);
    }
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no default TLS context", e);
    }
  }
}

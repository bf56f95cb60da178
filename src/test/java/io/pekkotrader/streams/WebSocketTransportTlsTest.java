package io.pekkotrader.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkotrader.domain.Side;
import io.pekkotrader.domain.SymbolId;
import io.pekkotrader.domain.Trade;
import io.pekkotrader.streams.venue.VenueDialect;
import io.pekkotrader.streams.venue.VenueDialects;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code wss://} through every client, against a loopback TLS endpoint whose self-signed
 * certificate (for {@code localhost}) the test makes with the JDK's {@code keytool}: trusted, the
 * trades arrive; not trusted (the JVM's default authorities), or trusted but reached under a
 * name it does not carry, the connection fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketTransportTlsTest {
  private static final String PASSWORD = "loopback-only";
  private final ActorTestKit testKit = ActorTestKit.create("ws-tls-test", StreamTests.config());
  private final VenueDialect binance = VenueDialects.forVenue("binance");
  private final SymbolId btc = SymbolId.parse("binance:BTCUSDT");
  private SSLContext trusting;
  private ServerBinding venue;

  @BeforeAll
  void startTlsVenue() throws Exception {
    Path dir = Files.createTempDirectory("ws-tls");
    Path store = dir.resolve("venue.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "venue", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + output);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD.toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(keyManagers.getKeyManagers(), null, null);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(keys);
    trusting = SSLContext.getInstance("TLS");
    trusting.init(null, trust.getTrustManagers(), null);

    List<String> frames = List.of(trade("101"), trade("102"), trade("103"));
    venue =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .enableHttps(ConnectionContext.httpsServer(server))
            .bind(
                Directives.handleWebSocketMessages(
                    Flow.fromSinkAndSourceCoupled(
                        Sink.<Message>ignore(), Source.from(frames).<Message>map(TextMessage::create).concat(Source.maybe()))))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    venue.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    testKit.shutdownTestKit();
  }

  private String trade(String id) {
    return binance.encodeTrade("BTCUSDT", new Trade(id, 1_700_000_000_000L, new BigDecimal("100.5"), new BigDecimal("0.25"), Side.BUY));
  }

  private List<MarketTrade> firstTrades(WebSocketTransport transport, int count) throws Exception {
    return firstTrades(transport, "localhost", count);
  }

  private List<MarketTrade> firstTrades(WebSocketTransport transport, String host, int count) throws Exception {
    TestProbe<StreamEvent> events = testKit.createTestProbe();
    return new WebSocketMarketSource(
            transport, "wss://" + host + ":" + venue.localAddress().getPort(), binance, List.of(btc), StreamSettings.defaults(), events.getRef(),
            Clock.systemUTC())
        .connect()
        .take(count)
        .runWith(Sink.seq(), testKit.system())
        .toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(WebSocketTransport.Kind.class)
  void readsTradesOverTlsFromAVenueWhoseCertificateItTrusts(WebSocketTransport.Kind client) throws Exception {
    try (WebSocketTransport transport = WebSocketTransports.create(client, trusting)) {
      List<MarketTrade> trades = firstTrades(transport, 3);

      assertEquals(List.of("101", "102", "103"), trades.stream().map(t -> t.trade().tradeId()).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketTransport.Kind.class)
  void refusesAVenueWhoseCertificateNoAuthorityIssued(WebSocketTransport.Kind client) throws Exception {
    try (WebSocketTransport transport = WebSocketTransports.create(client, SSLContext.getDefault())) {
      ExecutionException failed = assertThrows(ExecutionException.class, () -> firstTrades(transport, 1));

      assertTrue(causes(failed).contains("SSLHandshakeException") || causes(failed).contains("certificate"), causes(failed));
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketTransport.Kind.class)
  void refusesAVenueWhoseCertificateNamesAnotherHost(WebSocketTransport.Kind client) throws Exception {
    try (WebSocketTransport transport = WebSocketTransports.create(client, trusting)) {
      // the certificate is trusted but names localhost only, not the address connected to
      ExecutionException failed = assertThrows(ExecutionException.class, () -> firstTrades(transport, "127.0.0.1", 1));

      assertTrue(causes(failed).contains("127.0.0.1") && causes(failed).contains("SSLHandshakeException"), causes(failed));
    }
  }

  private static String causes(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t).append(" <- ");
    }
    return all.toString();
  }
}

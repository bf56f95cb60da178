package io.pekkotrader.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pekkotrader.streams.venue.Decoded;
import io.pekkotrader.streams.venue.VenueDialect;
import io.pekkotrader.streams.venue.VenueDialects;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate-exchange} as a real process: serves a subscribed client its trades, stops on SIGTERM with exit 0. */
class SimulateExchangeIT {
  @TempDir Path tmp;

  @Test
  void servesBybitTradesToASubscribedClientAndStopsOnSigterm() throws Exception {
    int port = EngineProcess.freePort();
    Path log = tmp.resolve("simulator.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                EngineProcess.jar().toString(),
                "simulate-exchange",
                "--port",
                String.valueOf(port),
                "--dialect",
                "bybit",
                "--symbols",
                "BTCUSDT,ETHUSDT",
                "--rate",
                "50")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      awaitLine(process, log, "Exchange simulator (bybit dialect) on ws://127.0.0.1:" + port);
      VenueDialect bybit = VenueDialects.forVenue("bybit");
      CompletableFuture<Decoded.Trades> firstTrade = new CompletableFuture<>();
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + port + bybit.connectPath(List.of("ETHUSDT"))),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                      if (bybit.decode(data.toString()) instanceof Decoded.Trades trades) {
                        firstTrade.complete(trades);
                      }
                      return WebSocket.Listener.super.onText(webSocket, data, last);
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      socket.sendText(bybit.subscribeFrames(List.of("ETHUSDT")).get(0), true);

      Decoded.Trades trades = firstTrade.get(10, TimeUnit.SECONDS);
      assertEquals("ETHUSDT", trades.trades().get(0).symbol());
      socket.abort();

      process.destroy();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s of SIGTERM");
      assertEquals(0, process.exitValue(), () -> read(log));
      assertTrue(read(log).contains("SIGTERM received: stopping"), () -> read(log));
    } finally {
      process.destroyForcibly();
    }
  }

  private static void awaitLine(Process process, Path log, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (read(log).contains(line)) {
        return;
      }
      if (!process.isAlive()) {
        fail("simulator exited with " + process.exitValue() + ":\n" + read(log));
      }
      Thread.sleep(100);
    }
    fail("no [" + line + "] within 60 s:\n" + read(log));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }
}

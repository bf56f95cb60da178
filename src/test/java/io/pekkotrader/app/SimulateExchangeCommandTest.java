package io.pekkotrader.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code simulate-exchange} stops it before it binds anything: exit 2 and the option, value and rule. */
class SimulateExchangeCommandTest {
  @TempDir Path tmp;

  private record Outcome(int exitCode, String out, String err) {}

  private static Outcome execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    int exitCode = Main.commandLine(Map.of(), outWriter, errWriter).execute(args);
    outWriter.flush();
    errWriter.flush();
    return new Outcome(exitCode, out.toString(), err.toString());
  }

  private static void assertRejected(Outcome outcome, String message) {
    assertEquals(Main.EXIT_BAD_CONFIG, outcome.exitCode(), outcome::err);
    assertTrue(outcome.err().contains(message), () -> "stderr should contain [" + message + "] but was:\n" + outcome.err());
  }

  @Test
  void rejectsAnUnknownDialect() {
    assertRejected(execute("simulate-exchange", "--dialect", "coinbase"), "--dialect must be one of [binance, bybit, kraken], got \"coinbase\"");
  }

  @Test
  void rejectsAFaultSpecNamingTheBadItem() {
    assertRejected(
        execute("simulate-exchange", "--faults", "drop=2s,stall=forever"),
        "--faults \"drop=2s,stall=forever\": fault \"stall=forever\": stall must be DURATION or DURATION@OFFSET");
  }

  @Test
  void rejectsASymbolTheDialectCannotName() {
    assertRejected(execute("simulate-exchange", "--dialect", "kraken", "--symbols", "BTCUSD,BTCXYZ"), "--symbols: \"BTCXYZ\" is not a kraken symbol");
    assertRejected(execute("simulate-exchange", "--symbols", "btc-usdt"), "--symbols: \"btc-usdt\" is not a binance symbol: symbol must match");
  }

  @Test
  void rejectsAMissingReplayFileANegativePaceAZeroRateAndABadPort() {
    Path missing = tmp.resolve("nowhere.jsonl");
    assertRejected(execute("simulate-exchange", "--replay", missing.toString()), "--replay file " + missing + " does not exist or cannot be read");
    assertRejected(execute("simulate-exchange", "--pace", "-1"), "--pace must be >= 0 frames per second, got -1");
    assertRejected(execute("simulate-exchange", "--rate", "0"), "--rate must be >= 1 trade per second per symbol, got 0");
    assertRejected(execute("simulate-exchange", "--port", "70000"), "--port must be in 0..65535, got 70000");
  }

  @Test
  void helpDescribesTheFaultGrammarAndExitsZero() {
    Outcome outcome = execute("simulate-exchange", "--help");

    assertEquals(0, outcome.exitCode());
    assertTrue(outcome.out().contains("--faults=SPEC"), outcome.out());
    assertTrue(outcome.out().contains("stall=DUR[@OFFSET]"), outcome.out());
  }
}

package io.pekkotrader.app;

import io.pekkotrader.engine.Settings;
import io.pekkotrader.http.Json;
import io.pekkotrader.persistence.JournalAudit;
import io.pekkotrader.persistence.JournalDatabase;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code check-journal}: audit a stopped engine's H2 journal and print the figures as JSON. */
@Command(
    name = "check-journal",
    mixinStandardHelpOptions = true,
    description = {
      "Audit the journal of a stopped engine: exit 0 when it is sound, 1 when not.",
      "It recomputes positions, fills and cash from the events, and checks that no client order id or trade id was"
          + " used twice."
    })
public final class CheckJournalCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The engine's data directory (default: ./data).")
  Path dataDir;

  @Option(names = "--config", paramLabel = "FILE", description = "The config file the engine ran with (for its starting cash).")
  Path configFile;

  private final Map<String, String> env;

  CheckJournalCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CommandSettings.Loaded loaded = CommandSettings.load(env, dataDir, configFile, err);
    if (loaded == null) {
      return Main.EXIT_BAD_CONFIG;
    }
    Settings settings = loaded.settings();
    if (!settings.db().kind().equals("h2")) {
      err.println("check-journal reads the embedded H2 journal only; pekko-trader.db.kind is " + settings.db().kind());
      return Main.EXIT_BAD_CONFIG;
    }
    Path journal = settings.dataDir().toAbsolutePath().resolve("journal");
    if (!Files.isDirectory(journal)) {
      err.println("No journal in " + settings.dataDir().toAbsolutePath());
      return Main.EXIT_JOURNAL_UNAVAILABLE;
    }
    try (DataDirectory ignored = DataDirectory.acquire(settings.dataDir());
        Connection connection =
            DriverManager.getConnection(
                JournalDatabase.h2Url(settings.dataDir()) + ";IFEXISTS=TRUE", settings.db().user(), settings.db().password())) {
      JournalAudit.Report report = new JournalAudit().audit(connection, settings.trading().quoteAsset(), settings.trading().startingCashByAsset());
      out.println(Json.write(report));
      report.problems().forEach(problem -> err.println("PROBLEM: " + problem));
      return report.problems().isEmpty() ? 0 : 1;
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return Main.EXIT_DATA_DIR_IN_USE;
    } catch (SQLException e) {
      err.println("Journal unavailable: " + e.getMessage());
      return Main.EXIT_JOURNAL_UNAVAILABLE;
    }
  }
}

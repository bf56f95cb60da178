package io.pekkotrader.app;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar pekko-trader.jar <command>}: the engine's command line. */
@Command(
    name = "pekko-trader",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A resilient trading engine on Apache Pekko.",
    subcommands = {
      RunCommand.class,
      SimulateExchangeCommand.class,
      CheckJournalCommand.class,
      io.pekkotrader.bench.BenchCommand.class,
      ClientCommands.Status.class,
      ClientCommands.KillSwitch.class,
      ClientCommands.EmergencyStop.class,
      ClientCommands.Pause.class,
      ClientCommands.Resume.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code: the configuration is invalid. */
  public static final int EXIT_BAD_CONFIG = 2;
  /** Exit code: another engine holds the data directory. */
  public static final int EXIT_DATA_DIR_IN_USE = 3;
  /** Exit code: the journal database cannot be opened or prepared. */
  public static final int EXIT_JOURNAL_UNAVAILABLE = 4;
  /** Exit code: the engine could not start (a port in use, the cluster, ...). */
  public static final int EXIT_START_FAILED = 5;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
  }

  /** The command line with its environment and output streams given (tests pass their own). */
  public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Main(), new EnvironmentFactory(env));
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Hands the environment to the subcommands that read it. */
  private record EnvironmentFactory(Map<String, String> env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == RunCommand.class) {
        return type.cast(new RunCommand(env));
      }
      if (type == CheckJournalCommand.class) {
        return type.cast(new CheckJournalCommand(env));
      }
      if (ClientCommands.Client.class.isAssignableFrom(type)) {
        return type.getConstructor(Map.class).newInstance(env);
      }
      return CommandLine.defaultFactory().create(type);
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"pekko-trader " + (version == null ? "(development build)" : version)};
    }
  }
}

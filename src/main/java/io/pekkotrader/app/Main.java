package io.pekkotrader.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
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
      BacktestCommand.class,
      OptimizeCommand.class,
      StrategiesCommand.class,
      io.pekkotrader.bench.BenchCommand.class,
      ClientCommands.Status.class,
      ClientCommands.KillSwitch.class,
      ClientCommands.EmergencyStop.class,
      ClientCommands.Pause.class,
      ClientCommands.Resume.class,
      ClientCommands.Flatten.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  /** Exit code: no command, an unknown one or a bad option (the usage is printed to stderr). */
  public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
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
    keepAsyncCompletionsOnAPool();
    System.exit(commandLine(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
  }

  /** The property that sets the JDK's common pool's parallelism (its default is one less than the cores). */
  static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * On a machine of one or two cores the JDK's common pool has a parallelism of at most 1, and then
   * CompletableFuture runs every {@code *Async} stage on a new thread of its own. Every ask of an
   * actor through Pekko's Java API is such a stage (Scala's CompletionStage view of a Future makes
   * {@code whenComplete} and {@code handle} asynchronous): the engine started a thousand threads a
   * second at 5,000 trades/s, and dozens a second when idle. A common pool of 2 runs them on pool
   * threads instead. Must run before anything touches ForkJoinPool; an explicit setting wins.
   */
  static void keepAsyncCompletionsOnAPool() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
      System.setProperty(COMMON_POOL_PARALLELISM, "2");
    }
  }

  /** The command line with its environment and output streams given (tests pass their own). */
  public static CommandLine commandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Main(), new EnvironmentFactory(env));
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine;
  }

  /** No command given: the usage, on stderr, and exit {@link #EXIT_USAGE}. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }

  /** Hands the environment to the subcommands that read it. */
  private record EnvironmentFactory(Map<String, String> env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == RunCommand.class) {
        return type.cast(new RunCommand(env));
      }
      if (type == BacktestCommand.class) {
        return type.cast(new BacktestCommand(env));
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

  /**
   * The project's version and the git commit of the build, from {@code version.properties}
   * (filled in by the build; a build without a git repository has no commit).
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties build = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          build.load(in);
        }
      }
      String version = filled(build.getProperty("version"), "(unknown version)");
      String commit = filled(build.getProperty("commit"), "unknown");
      return new String[] {"pekko-trader " + version + " (commit " + commit + ")"};
    }

    /** The value, unless the build left it empty or as its placeholder. */
    private static String filled(String value, String otherwise) {
      return value == null || value.isBlank() || value.contains("${") ? otherwise : value.strip();
    }
  }
}

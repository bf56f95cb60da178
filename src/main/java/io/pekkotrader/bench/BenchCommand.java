package io.pekkotrader.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench <name>}: the engine's benchmarks, each printing a table and optionally writing JSON. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks. Each prints a human table and, with --json FILE, writes its figures as JSON.",
    subcommands = {PipelineBenchCommand.class, WsBenchCommand.class, HeapBenchCommand.class, BacktestBenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** No benchmark named: the usage, on stderr, and exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }
}

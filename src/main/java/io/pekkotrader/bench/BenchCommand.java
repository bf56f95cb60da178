package io.pekkotrader.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench <name>}: the engine's benchmarks, each printing a table and optionally writing JSON. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks. Each prints a human table and, with --json FILE, writes its figures as JSON.",
    subcommands = {PipelineBenchCommand.class, WsBenchCommand.class, HeapBenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}

package io.pekkotrader.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every {@code bench} command does around its benchmark: checks the options (a bad one is
 * one line on stderr and exit code 2), runs the bench with its progress on stderr, prints the
 * table with the machine it ran on and writes the figures as JSON when asked.
 */
final class BenchRun {
  /** Runs a bench; {@code progress} hears one line per phase. */
  @FunctionalInterface
  interface Bench<C, R> {
    R run(C config, Consumer<String> progress) throws Exception;
  }

  /** Turns a result into what is printed or written, with the machine and the load after the run. */
  @FunctionalInterface
  interface Rendering<R, T> {
    T render(R result, MachineInfo machine, double loadAfter);
  }

  private BenchRun() {}

  /**
   * @param name the command's name, prefixed to its stderr lines ({@code bench heap})
   * @param config builds the bench's config from the options; an {@link IllegalArgumentException} says what is wrong
   * @param json where to write the figures, or null
   * @return the command's exit code
   */
  static <C, R> int run(
      CommandSpec spec,
      String name,
      Supplier<C> config,
      Bench<C, R> bench,
      Rendering<R, String> table,
      Rendering<R, Map<String, Object>> figures,
      Path json)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    C checked;
    try {
      checked = config.get();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    MachineInfo machine = MachineInfo.current();
    R result = bench.run(checked, line -> {
      err.println(name + ": " + line);
      err.flush();
    });
    double loadAfter = MachineInfo.loadNow();
    out.print(table.render(result, machine, loadAfter));
    out.flush();
    if (json != null) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), figures.render(result, machine, loadAfter));
      err.println(name + ": figures written to " + json);
    }
    return 0;
  }
}

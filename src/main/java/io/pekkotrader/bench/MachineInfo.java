package io.pekkotrader.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a benchmark ran on, to print next to its figures: processors available to the JVM, the
 * CPU model, the JVM, its collectors and heap, and the system load (the machine may be shared).
 *
 * @param processors {@link Runtime#availableProcessors()}
 * @param cpuModel the first {@code model name} of {@code /proc/cpuinfo}, or {@code unknown}
 * @param jvm VM name and runtime version
 * @param garbageCollectors the collectors' names
 * @param maxHeapMb the maximum heap
 * @param loadAverage the one-minute system load average, negative where the OS does not say
 */
record MachineInfo(int processors, String cpuModel, String jvm, List<String> garbageCollectors, long maxHeapMb, double loadAverage) {

  static MachineInfo current() {
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        readCpuModel(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** Processors, CPU model, JVM, collectors and maximum heap, as the benches' tables print them. */
  String summary() {
    return String.format(
        java.util.Locale.ROOT, "%d CPUs, %s, %s, %s, max heap %,d MB", processors, cpuModel, jvm, String.join(" + ", garbageCollectors), maxHeapMb);
  }

  /** The system load average now. */
  static double loadNow() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String readCpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return "unknown";
    }
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      return lines
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}

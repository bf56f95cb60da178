package io.pekkotrader.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live objects of the heap by class, as HotSpot's {@code GC.class_histogram} diagnostic
 * command counts them (it runs a full collection first, so only reachable objects are counted),
 * and the difference between two of them.
 *
 * @param classes one row per class, largest first
 * @param totalBytes the sum of the rows: the live heap, in shallow object sizes
 */
record HeapHistogram(List<Row> classes, long totalBytes) {

  /** Live instances of one class and their shallow size. */
  record Row(String className, long instances, long bytes) {}

  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  /** Whether this JVM offers the diagnostic command (HotSpot does). */
  static boolean available() {
    try {
      return ManagementFactory.getPlatformMBeanServer().isRegistered(diagnosticCommand());
    } catch (JMException e) {
      return false;
    }
  }

  /**
   * Collects the whole heap and counts what is left, by class: the text of
   * {@code GC.class_histogram} (see {@link #parse}).
   */
  static String takeText() {
    try {
      return (String)
          ManagementFactory.getPlatformMBeanServer()
              .invoke(diagnosticCommand(), "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("the JVM did not give a class histogram: " + e.getMessage(), e);
    }
  }

  /** Reads the text of {@code GC.class_histogram}. */
  static HeapHistogram parse(String text) {
    List<Row> rows = new ArrayList<>();
    long total = 0;
    for (String line : text.split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        Row row = new Row(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        rows.add(row);
        total += row.bytes();
      }
    }
    return new HeapHistogram(List.copyOf(rows), total);
  }

  /** What {@code later} holds beyond this one, per class (negative where it holds less), largest first. */
  List<Row> growthTo(HeapHistogram later) {
    Map<String, Row> before = new HashMap<>();
    for (Row row : classes) {
      before.put(row.className(), row);
    }
    Map<String, Row> growth = new HashMap<>();
    for (Row row : later.classes()) {
      Row earlier = before.remove(row.className());
      long instances = row.instances() - (earlier == null ? 0 : earlier.instances());
      long bytes = row.bytes() - (earlier == null ? 0 : earlier.bytes());
      growth.put(row.className(), new Row(row.className(), instances, bytes));
    }
    for (Row gone : before.values()) {
      growth.put(gone.className(), new Row(gone.className(), -gone.instances(), -gone.bytes()));
    }
    List<Row> sorted = new ArrayList<>(growth.values());
    sorted.removeIf(row -> row.bytes() == 0 && row.instances() == 0);
    sorted.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
    return sorted;
  }

  private static ObjectName diagnosticCommand() throws JMException {
    return new ObjectName("com.sun.management:type=DiagnosticCommand");
  }
}

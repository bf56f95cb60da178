package io.pekkotrader.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The audit trail on disk: append-only JSON lines in {@code audit.jsonl}, each line carrying the
 * journal sequence number it was written from ({@code "seqNr"}). When the file reaches
 * {@code maxFileBytes} it is compressed into {@code audit-<last seqNr>.jsonl.gz} and a new file
 * starts; only the newest {@code maxFiles} compressed files are kept. {@code audit.offset} holds
 * the last sequence number written, so that a restart continues exactly after it.
 *
 * <p>Blocking file I/O: call it from a blocking dispatcher only. Not thread-safe for writers
 * (one projection writes); readers may run concurrently with it.
 */
public final class AuditFile {
  public static final String CURRENT = "audit.jsonl";
  private static final String OFFSET = "audit.offset";
  private static final Pattern ROTATED = Pattern.compile("audit-(\\d{19})\\.jsonl\\.gz");
  private static final Pattern SEQ_NR = Pattern.compile("\"seqNr\":(\\d+)");

  private final Path dir;
  private final long maxFileBytes;
  private final int maxFiles;

  public AuditFile(Path dir, long maxFileBytes, int maxFiles) {
    if (maxFileBytes < 1 || maxFiles < 1) {
      throw new IllegalArgumentException("max file size and max files must be > 0");
    }
    this.dir = dir;
    this.maxFileBytes = maxFileBytes;
    this.maxFiles = maxFiles;
  }

  public Path dir() {
    return dir;
  }

  /** The last sequence number written (0 when nothing was). */
  public long lastSeqNr() {
    try {
      long offset = 0;
      Path offsetFile = dir.resolve(OFFSET);
      if (Files.exists(offsetFile)) {
        String text = Files.readString(offsetFile, StandardCharsets.UTF_8).strip();
        offset = text.isEmpty() ? 0 : Long.parseLong(text);
      }
      // a crash between appending and writing the offset leaves lines the offset does not know
      List<String> lines = readLines(dir.resolve(CURRENT));
      for (int i = lines.size() - 1; i >= 0; i--) {
        long seqNr = seqNrOf(lines.get(i));
        if (seqNr > 0) {
          return Math.max(offset, seqNr);
        }
      }
      return offset;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends lines (each with its {@code seqNr}, in increasing order, all above
   * {@link #lastSeqNr()}), flushes them to disk, records the offset and rotates when the file has
   * grown past the limit.
   */
  public void append(List<String> lines, long lastSeqNr) {
    if (lines.isEmpty()) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Path current = dir.resolve(CURRENT);
      StringBuilder text = new StringBuilder();
      if (endsTorn(current)) {
        text.append('\n'); // a crash tore the last line: keep it apart from the next
      }
      for (String line : lines) {
        text.append(line).append('\n');
      }
      Files.writeString(
          current, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
      writeOffset(lastSeqNr);
      if (Files.size(current) >= maxFileBytes) {
        rotate(current, lastSeqNr);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean endsTorn(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return false;
    }
    try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file)) {
      channel.position(channel.size() - 1);
      java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
      channel.read(last);
      return last.get(0) != '\n';
    }
  }

  private void writeOffset(long seqNr) throws IOException {
    Path tmp = dir.resolve(OFFSET + ".tmp");
    Files.writeString(tmp, Long.toString(seqNr), StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(OFFSET), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void rotate(Path current, long lastSeqNr) throws IOException {
    Path rotated = dir.resolve(String.format("audit-%019d.jsonl.gz", lastSeqNr));
    Path tmp = dir.resolve(rotated.getFileName() + ".tmp");
    try (InputStream in = Files.newInputStream(current);
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
      in.transferTo(out);
    }
    Files.move(tmp, rotated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(current);
    List<Path> all = rotatedNewestFirst();
    for (int i = maxFiles; i < all.size(); i++) {
      Files.deleteIfExists(all.get(i));
    }
  }

  /** The compressed files, newest first. */
  public List<Path> rotatedNewestFirst() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> rotated =
          new ArrayList<>(files.filter(p -> ROTATED.matcher(p.getFileName().toString()).matches()).sorted().toList());
      Collections.reverse(rotated);
      return rotated;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A page of the trail, newest first: at most {@code limit} lines with seqNr below {@code before}. */
  public Page page(long before, int limit) {
    List<String> found = new ArrayList<>();
    try {
      List<Path> files = new ArrayList<>();
      files.add(dir.resolve(CURRENT));
      files.addAll(rotatedNewestFirst());
      for (Path file : files) {
        if (found.size() > limit) {
          break;
        }
        List<String> lines = readLines(file);
        for (int i = lines.size() - 1; i >= 0 && found.size() <= limit; i--) {
          long seqNr = seqNrOf(lines.get(i));
          if (seqNr > 0 && seqNr < before) {
            found.add(lines.get(i));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean more = found.size() > limit;
    List<String> items = more ? found.subList(0, limit) : found;
    Long next = more ? seqNrOf(items.get(items.size() - 1)) : null;
    return new Page(List.copyOf(items), next);
  }

  /** Lines newest first; {@code nextBefore} is the cursor of the next page, null on the last. */
  public record Page(List<String> lines, Long nextBefore) {}

  private static List<String> readLines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    InputStream raw = Files.newInputStream(file);
    InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  /** The {@code seqNr} of a line, 0 when it has none (a torn last line after a crash). */
  static long seqNrOf(String line) {
    Matcher m = SEQ_NR.matcher(line);
    return m.find() && line.endsWith("}") ? Long.parseLong(m.group(1)) : 0;
  }
}

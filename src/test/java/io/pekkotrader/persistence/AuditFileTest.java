package io.pekkotrader.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileTest {
  @TempDir Path dir;

  private static String line(long seqNr) {
    return "{\"seqNr\":" + seqNr + ",\"type\":\"decision\",\"message\":\"line " + seqNr + "\"}";
  }

  private static void appendRange(AuditFile file, long from, long to) {
    List<String> lines = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      lines.add(line(i));
    }
    file.append(lines, to);
  }

  private static List<Long> seqNrs(AuditFile.Page page) {
    return page.lines().stream().map(AuditFile::seqNrOf).toList();
  }

  @Test
  void appendsLinesAndRemembersTheLastSequenceNumberAcrossInstances() {
    AuditFile file = new AuditFile(dir, 1 << 20, 3);
    appendRange(file, 1, 5);

    assertEquals(5, new AuditFile(dir, 1 << 20, 3).lastSeqNr());
    assertEquals(5, file.page(Long.MAX_VALUE, 100).lines().size());
  }

  @Test
  void servesPagesNewestFirstWithACursorToTheNext() {
    AuditFile file = new AuditFile(dir, 1 << 20, 3);
    appendRange(file, 1, 5);

    AuditFile.Page first = file.page(Long.MAX_VALUE, 2);
    AuditFile.Page second = file.page(first.nextBefore(), 2);
    AuditFile.Page last = file.page(second.nextBefore(), 2);

    assertEquals(List.of(5L, 4L), seqNrs(first));
    assertEquals(List.of(3L, 2L), seqNrs(second));
    assertEquals(List.of(1L), seqNrs(last));
    assertNull(last.nextBefore());
  }

  @Test
  void rotatesIntoGzipFilesKeepsOnlyTheNewestAndStillPagesAcrossThem() throws IOException {
    AuditFile file = new AuditFile(dir, 200, 2);
    for (long seqNr = 1; seqNr <= 20; seqNr += 2) {
      appendRange(file, seqNr, seqNr + 1);
    }

    List<Path> rotated = file.rotatedNewestFirst();
    assertEquals(2, rotated.size(), "retention keeps two rotated files");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(rotated.get(0)))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(text.contains(line(20)) || text.contains(line(18)), text);
    }
    assertEquals(20, file.lastSeqNr());
    List<Long> all = seqNrs(file.page(Long.MAX_VALUE, 500));
    assertEquals(20L, all.get(0));
    for (int i = 1; i < all.size(); i++) {
      assertEquals(all.get(i - 1) - 1, all.get(i), "contiguous, newest first: " + all);
    }
  }

  @Test
  void keepsATornLastLineApartFromTheNextAndCountsFromTheOffset() throws IOException {
    AuditFile file = new AuditFile(dir, 1 << 20, 3);
    appendRange(file, 1, 3);
    Files.writeString(dir.resolve(AuditFile.CURRENT), "{\"seqNr\":4,\"type\":\"dec", StandardOpenOption.APPEND);

    assertEquals(3, file.lastSeqNr(), "a torn line does not count as written");
    appendRange(file, 4, 4);

    assertEquals(List.of(4L, 3L, 2L, 1L), seqNrs(file.page(Long.MAX_VALUE, 10)));
    assertEquals(4, file.lastSeqNr());
  }
}

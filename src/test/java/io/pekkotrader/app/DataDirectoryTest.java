package io.pekkotrader.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
  /** Exit code of {@link LockProbe} when the directory is held by someone else. */
  private static final int PROBE_REFUSED = 3;

  @TempDir Path tmp;

  @Test
  void acquireCreatesTheDirectoryAndItsLockFile() {
    Path dir = tmp.resolve("data").resolve("nested");

    try (DataDirectory directory = DataDirectory.acquire(dir)) {
      assertTrue(Files.isDirectory(dir));
      assertTrue(Files.isRegularFile(dir.resolve("engine.lock")));
      assertEquals(dir.toAbsolutePath().normalize(), directory.path());
    }
  }

  @Test
  void aSecondAcquireWhileHeldIsRefusedNamingTheDirectory() {
    Path dir = tmp.resolve("data");

    try (DataDirectory held = DataDirectory.acquire(dir)) {
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> DataDirectory.acquire(dir));

      assertTrue(refused.getMessage().contains("another engine is already running"), refused.getMessage());
      assertTrue(refused.getMessage().contains(held.path().toString()), refused.getMessage());
    }
  }

  @Test
  void theDirectoryCanBeAcquiredAgainAfterClose() {
    Path dir = tmp.resolve("data");
    DataDirectory first = DataDirectory.acquire(dir);

    first.close();

    try (DataDirectory second = DataDirectory.acquire(dir)) {
      assertEquals(first.path(), second.path());
    }
  }

  @Test
  void anotherProcessIsRefusedWhileTheDirectoryIsHeld() throws Exception {
    Path dir = tmp.resolve("data");

    try (DataDirectory held = DataDirectory.acquire(dir)) {
      ProbeResult probe = probe("try", dir);

      assertEquals(PROBE_REFUSED, probe.exitCode(), probe.output());
      assertTrue(probe.output().contains("another engine is already running"), probe.output());
    }
  }

  @Test
  void aRefusedSecondAcquireInTheSameProcessKeepsTheLockHeld() throws Exception {
    Path dir = tmp.resolve("data");

    try (DataDirectory held = DataDirectory.acquire(dir)) {
      assertThrows(IllegalStateException.class, () -> DataDirectory.acquire(dir));
      ProbeResult probe = probe("try", dir);

      assertEquals(PROBE_REFUSED, probe.exitCode(), "another process got the lock: " + probe.output());
    }
  }

  @Test
  void aKilledHolderLeavesNoStaleLock() throws Exception {
    Path dir = tmp.resolve("data");
    Process holder = startProbe("hold", dir);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("held", lines.readLine());
      assertThrows(IllegalStateException.class, () -> DataDirectory.acquire(dir));

      holder.destroyForcibly();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "the holder did not die");

      try (DataDirectory acquired = DataDirectory.acquire(dir)) {
        assertTrue(Files.isRegularFile(acquired.path().resolve("engine.lock")));
      }
    } finally {
      holder.destroyForcibly();
    }
  }

  private record ProbeResult(int exitCode, String output) {}

  private static ProbeResult probe(String mode, Path dir) throws IOException, InterruptedException, URISyntaxException {
    Process process = startProbe(mode, dir);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the probe did not finish");
    return new ProbeResult(process.exitValue(), output);
  }

  /** Runs {@link LockProbe} in a separate JVM: a second engine process, as far as the OS is concerned. */
  private static Process startProbe(String mode, Path dir) throws IOException, URISyntaxException {
    String classPath =
        Path.of(DataDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            + File.pathSeparator
            + Path.of(LockProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", classPath, LockProbe.class.getName(), mode, dir.toString())
        .redirectErrorStream(true)
        .start();
  }

  /** {@code try DIR}: acquire and exit 0, or exit 3 when held. {@code hold DIR}: acquire, print "held", wait to be killed. */
  public static final class LockProbe {
    public static void main(String[] args) throws InterruptedException {
      try {
        DataDirectory directory = DataDirectory.acquire(Path.of(args[1]));
        if (args[0].equals("hold")) {
          System.out.println("held");
          System.out.flush();
          Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
        directory.close();
        System.exit(0);
      } catch (IllegalStateException e) {
        System.out.println(e.getMessage());
        System.exit(PROBE_REFUSED);
      }
    }
  }
}

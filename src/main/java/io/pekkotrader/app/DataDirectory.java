package io.pekkotrader.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine's data directory, held exclusively for the life of the process through an OS file
 * lock on {@code <dir>/engine.lock}. The OS releases it when the process dies, even by
 * {@code kill -9}, so a crash never leaves a stale lock behind; a second engine on the same
 * directory is refused before it touches anything.
 */
public final class DataDirectory implements AutoCloseable {
  /**
   * Directories locked by this JVM (real paths). OS file locks belong to the process: opening and
   * then closing a second channel on a held lock file would drop the lock for the whole process,
   * so a second acquire in the same JVM is refused before it opens the file.
   */
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path path;
  private final Path heldKey;
  private final FileChannel channel;
  private final FileLock lock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DataDirectory(Path path, Path heldKey, FileChannel channel, FileLock lock) {
    this.path = path;
    this.heldKey = heldKey;
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it; throws {@link IllegalStateException} if held. */
  public static DataDirectory acquire(Path dir) {
    Path path = dir.toAbsolutePath().normalize();
    Path lockFile = path.resolve("engine.lock");
    FileChannel channel = null;
    Path reserved = null;
    try {
      Files.createDirectories(path);
      Path key = path.toRealPath();
      if (!HELD_HERE.add(key)) {
        throw alreadyRunning(path, lockFile);
      }
      reserved = key;
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw alreadyRunning(path, lockFile);
      }
      channel.truncate(0);
      channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes()));
      DataDirectory directory = new DataDirectory(path, reserved, channel, lock);
      reserved = null;
      return directory;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw alreadyRunning(path, lockFile);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new IllegalStateException("cannot use data directory " + path + ": " + e.getMessage(), e);
    } finally {
      if (reserved != null) {
        HELD_HERE.remove(reserved);
      }
    }
  }

  private static IllegalStateException alreadyRunning(Path path, Path lockFile) {
    return new IllegalStateException(
        "another engine is already running on data directory " + path + " (it holds " + lockFile
            + "); stop it first or start this one with a different --data-dir");
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the OS releases the lock with the process anyway
    } finally {
      HELD_HERE.remove(heldKey);
    }
  }
}

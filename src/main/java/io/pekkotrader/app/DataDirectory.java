package io.pekkotrader.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The engine's data directory, held exclusively for the life of the process through an OS file
 * lock on {@code <dir>/engine.lock}. The OS releases it when the process dies, even by
 * {@code kill -9}, so a crash never leaves a stale lock behind; a second engine on the same
 * directory is refused before it touches anything.
 */
public final class DataDirectory implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectory(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /** Creates the directory if needed and locks it; throws {@link IllegalStateException} if held. */
  public static DataDirectory acquire(Path dir) {
    Path path = dir.toAbsolutePath().normalize();
    Path lockFile = path.resolve("engine.lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(path);
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw alreadyRunning(path, lockFile);
      }
      channel.truncate(0);
      channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes()));
      return new DataDirectory(path, channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw alreadyRunning(path, lockFile);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new IllegalStateException("cannot use data directory " + path + ": " + e.getMessage(), e);
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
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // the OS releases the lock with the process anyway
    }
  }
}

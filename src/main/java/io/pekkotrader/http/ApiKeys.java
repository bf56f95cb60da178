package io.pekkotrader.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The control API's key: given ({@code TRADER_API_KEY}), or read from {@code <data-dir>/api-key},
 * or generated into that file with mode 0600. Callers log the file's path, never the key.
 */
public final class ApiKeys {
  public static final String FILE_NAME = "api-key";

  private ApiKeys() {}

  /** The key to use; {@code configured} wins when not empty. */
  public static String resolve(String configured, Path dataDir) {
    if (configured != null && !configured.isEmpty()) {
      return configured;
    }
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        String key = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (key.length() >= 16) {
          return key;
        }
        throw new IllegalStateException("API key file " + file + " holds no usable key (at least 16 characters); delete it to generate a new one");
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
      return key;
    } catch (FileAlreadyExistsException e) {
      return resolve(configured, dataDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or write the API key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Constant-time comparison of a presented key with the expected one. */
  public static boolean matches(String expected, String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }
}

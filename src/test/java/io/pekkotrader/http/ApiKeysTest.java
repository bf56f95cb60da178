package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  @TempDir Path tmp;

  @Test
  void aConfiguredKeyIsUsedAndNoFileIsWritten() {
    String configured = "configured-key-0123456789";

    String key = ApiKeys.resolve(configured, tmp);

    assertEquals(configured, key);
    assertFalse(Files.exists(tmp.resolve(ApiKeys.FILE_NAME)));
  }

  @Test
  void withoutAConfiguredKeyOneIsGeneratedIntoAnOwnerOnlyFile() throws IOException {
    Path file = tmp.resolve(ApiKeys.FILE_NAME);

    String key = ApiKeys.resolve("", tmp);

    assertTrue(key.length() >= 32, () -> "key length " + key.length());
    assertEquals(key, Files.readString(file).strip());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void theGeneratedKeyIsReturnedAgainOnTheNextStart() {
    String first = ApiKeys.resolve(null, tmp);

    String second = ApiKeys.resolve("", tmp);

    assertEquals(first, second);
  }

  @Test
  void aKeyFileWithATooShortKeyIsRefusedNamingTheFile() throws IOException {
    Path file = tmp.resolve(ApiKeys.FILE_NAME);
    Files.writeString(file, "short\n");

    IllegalStateException failure = assertThrows(IllegalStateException.class, () -> ApiKeys.resolve("", tmp));

    assertTrue(failure.getMessage().contains(file.toString()), failure.getMessage());
  }

  @Test
  void matchesAnEqualKey() {
    assertTrue(ApiKeys.matches("0123456789abcdef", "0123456789abcdef"));
  }

  @Test
  void doesNotMatchADifferentKeyOfTheSameLength() {
    assertFalse(ApiKeys.matches("0123456789abcdef", "0123456789abcdeX"));
  }

  @Test
  void doesNotMatchAKeyOfADifferentLength() {
    assertFalse(ApiKeys.matches("0123456789abcdef", "0123456789abcdef0"));
    assertFalse(ApiKeys.matches("0123456789abcdef", "0123456789"));
  }

  @Test
  void doesNotMatchAMissingKey() {
    assertFalse(ApiKeys.matches("0123456789abcdef", null));
  }
}

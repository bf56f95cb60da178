package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
  @Test
  void refusesAnAddressAtItsCapWhileOtherAddressesAreAdmitted() {
    ConnectionLimits limits = new ConnectionLimits(2, 10);

    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.open("10.0.0.1"));
    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.open("10.0.0.1"));
    assertEquals(ConnectionLimits.Admission.CLIENT_FULL, limits.open("10.0.0.1"));
    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.open("10.0.0.2"));

    assertEquals(2, limits.openFrom("10.0.0.1"));
    assertEquals(3, limits.open());
  }

  @Test
  void admitsAgainOnceAConnectionOfTheAddressCloses() {
    ConnectionLimits limits = new ConnectionLimits(1, 10);
    limits.open("10.0.0.1");

    limits.close("10.0.0.1");

    assertEquals(0, limits.open());
    assertEquals(ConnectionLimits.Admission.ADMITTED, limits.open("10.0.0.1"));
  }

  @Test
  void refusesEveryAddressOnceTheServerIsFull() {
    ConnectionLimits limits = new ConnectionLimits(5, 2);
    limits.open("10.0.0.1");
    limits.open("10.0.0.2");

    assertEquals(ConnectionLimits.Admission.SERVER_FULL, limits.open("10.0.0.3"));
    assertEquals(2, limits.open());
    assertEquals(0, limits.openFrom("10.0.0.3"));
  }
}

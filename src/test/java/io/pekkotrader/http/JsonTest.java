package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static String decimalField(BigDecimal value) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("value", value);
    return Json.write(body);
  }

  @Test
  void writesADecimalAsAStringWithItsScaleKept() {
    String json = decimalField(new BigDecimal("0.00120000"));

    assertEquals("{\"value\":\"0.00120000\"}", json);
  }

  @Test
  void writesADecimalInExponentFormAsPlainDigits() {
    String json = decimalField(new BigDecimal("1E+3"));

    assertEquals("{\"value\":\"1000\"}", json);
  }

  @Test
  void writesATinyDecimalWithoutExponent() {
    String json = decimalField(new BigDecimal("1E-10"));

    assertEquals("{\"value\":\"0.0000000001\"}", json);
  }

  @Test
  void writesADecimalInsideARecordAsAString() {
    record Price(String symbol, BigDecimal price) {}

    String json = Json.write(new Price("sim:BTCUSDT", new BigDecimal("60000.10")));

    assertEquals("{\"symbol\":\"sim:BTCUSDT\",\"price\":\"60000.10\"}", json);
  }

  @Test
  void writesAnApiErrorWithCodeMessageAndField() {
    String json = Json.write(ApiError.of("invalid", "must be > 0", "quantity"));

    assertEquals("{\"error\":{\"code\":\"invalid\",\"message\":\"must be > 0\",\"field\":\"quantity\"}}", json);
  }

  @Test
  void writesAnApiErrorWithoutAFieldAsNull() {
    String json = Json.write(ApiError.of("not_found", "no such symbol", null));

    assertEquals("{\"error\":{\"code\":\"not_found\",\"message\":\"no such symbol\",\"field\":null}}", json);
  }
}

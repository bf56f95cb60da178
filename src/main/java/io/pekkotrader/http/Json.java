package io.pekkotrader.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;

/** The API's JSON: decimals travel as strings written exactly ({@code "0.00120000"}), never as floats. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(decimalsAsStrings());

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }

  private static SimpleModule decimalsAsStrings() {
    SimpleModule module = new SimpleModule("decimals-as-strings");
    module.addSerializer(
        BigDecimal.class,
        new StdSerializer<>(BigDecimal.class) {
          @Override
          public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toPlainString());
          }
        });
    return module;
  }
}

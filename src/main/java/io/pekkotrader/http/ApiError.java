package io.pekkotrader.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** The body of every error: {@code {"error":{"code":..,"message":..,"field":..}}}. */
public record ApiError(Map<String, String> error) {
  public static ApiError of(String code, String message, String field) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    body.put("field", field);
    return new ApiError(body);
  }
}

package io.pekkotrader.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * One log event as one line of JSON:
 *
 * <pre>
 * {"timestamp":"2026-11-21T10:15:30.123Z","level":"INFO","logger":"io.pekkotrader.actors.SymbolTrader",
 *  "thread":"...","message":"sim:BTCUSDT entry intended ...","mdc":{"clientOrderId":"BTCUSDT-12","symbol":"sim:BTCUSDT"}}
 * </pre>
 *
 * {@code message} is the formatted message (arguments in place); {@code mdc} holds every MDC
 * entry, sorted by key ({@code {}} when none); {@code throwable}, the stack trace as text, is
 * present only when the event has one. Line breaks inside values are escaped, so a line is
 * always one event. Logback's own {@code JsonEncoder} (1.3) writes the unformatted message
 * template and the logger context on every line, hence this one.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final byte[] NO_BYTES = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NO_BYTES;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(line)) {
      json.writeStartObject();
      json.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      json.writeObjectFieldStart("mdc");
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        for (Map.Entry<String, String> entry : new TreeMap<>(mdc).entrySet()) {
          json.writeStringField(entry.getKey(), entry.getValue());
        }
      }
      json.writeEndObject();
      IThrowableProxy throwable = event.getThrowableProxy();
      if (throwable != null) {
        json.writeStringField("throwable", ThrowableProxyUtil.asString(throwable));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a log event as JSON", e);
    }
    line.write('\n');
    return line.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NO_BYTES;
  }
}

package io.pekkotrader.actors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** The Notifier's HTTP channels, on Pekko HTTP's non-blocking client. */
public final class AlertChannels {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private AlertChannels() {}

  /** POSTs the alert's payload as JSON to {@code url}; any 2xx is delivered. */
  public static Notifier.Channel webhook(ActorSystem<?> system, String url) {
    return new Notifier.Channel() {
      @Override
      public String name() {
        return "webhook";
      }

      @Override
      public CompletionStage<?> send(Notifier.Alert alert) {
        return post(system, url, alert.payload());
      }
    };
  }

  /**
   * Sends the alert as a Telegram Bot API message: {@code POST <apiUrl>/bot<token>/sendMessage}
   * with {@code {"chat_id", "text"}}. The token is part of the address and is never logged.
   */
  public static Notifier.Channel telegram(ActorSystem<?> system, String apiUrl, String botToken, String chatId) {
    String url = apiUrl.replaceAll("/+$", "") + "/bot" + botToken + "/sendMessage";
    return new Notifier.Channel() {
      @Override
      public String name() {
        return "telegram";
      }

      @Override
      public CompletionStage<?> send(Notifier.Alert alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", chatId);
        body.put("text", text(alert));
        return post(system, url, body);
      }
    };
  }

  static String text(Notifier.Alert alert) {
    StringBuilder text = new StringBuilder();
    text.append('[').append(alert.severity().name()).append("] ").append(alert.title()).append('\n').append(alert.text());
    alert.fields().forEach((name, value) -> text.append('\n').append(name).append(": ").append(value));
    return text.toString();
  }

  private static CompletionStage<Void> post(ActorSystem<?> system, String url, Object body) {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new Notifier.DeliveryFailed("payload is not JSON: " + e.getOriginalMessage()));
    }
    HttpRequest request = HttpRequest.POST(url).withEntity(ContentTypes.APPLICATION_JSON, json);
    return Http.get(system)
        .singleRequest(request)
        .toCompletableFuture()
        .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (HttpResponse response, Throwable failure) -> {
              if (failure != null) {
                Throwable root = failure.getCause() != null ? failure.getCause() : failure;
                throw new Notifier.DeliveryFailed("no response: " + root.getClass().getSimpleName());
              }
              response.discardEntityBytes(system);
              if (!response.status().isSuccess()) {
                throw new Notifier.DeliveryFailed("HTTP " + response.status().intValue());
              }
              return null;
            });
  }
}

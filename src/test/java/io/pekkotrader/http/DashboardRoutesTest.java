package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard's static files on a real HTTP server, in front of a stand-in for the control API:
 * the page at {@code /}, each listed file with its content type and the security headers, a 404
 * for anything else (path tricks included), and the API's paths left to the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ActorSystem<Void> system;
  private ServerBinding binding;
  private int port;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "dashboard-routes-test",
            ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
    AllDirectives d = new AllDirectives() {};
    binding =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .bind(d.concat(new DashboardRoutes().routes(), d.pathPrefix("api", () -> d.complete(StatusCodes.UNAUTHORIZED, "the control API"))))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    port = binding.localAddress().getPort();
  }

  @AfterAll
  void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void servesThePageAtTheRootWithAStrictContentSecurityPolicyAndNoKey() throws Exception {
    HttpResponse<String> page = get("/");

    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=UTF-8", page.headers().firstValue("Content-Type").orElse(""));
    assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, page.headers().firstValue("Content-Security-Policy").orElse(""));
    assertTrue(DashboardRoutes.CONTENT_SECURITY_POLICY.contains("script-src 'self';"));
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
    assertTrue(page.body().contains("<script type=\"module\" src=\"/dashboard/app.js\"></script>"), page.body());
  }

  @Test
  void servesEveryListedFileWithItsContentType() throws Exception {
    Map<String, String> expected =
        Map.of(
            "app.js", "application/javascript; charset=UTF-8",
            "panels.js", "application/javascript; charset=UTF-8",
            "style.css", "text/css; charset=UTF-8",
            "favicon.svg", "image/svg+xml",
            "index.html", "text/html; charset=UTF-8");
    for (Map.Entry<String, String> file : expected.entrySet()) {
      HttpResponse<String> response = get("/dashboard/" + file.getKey());
      assertEquals(200, response.statusCode(), file.getKey());
      assertEquals(file.getValue(), response.headers().firstValue("Content-Type").orElse(""), file.getKey());
      assertTrue(response.headers().firstValue("Content-Security-Policy").isPresent(), file.getKey());
      assertTrue(response.body().length() > 0, file.getKey());
    }
    for (String name : DashboardRoutes.FILES.keySet()) {
      assertEquals(200, get("/dashboard/" + name).statusCode(), name);
    }
  }

  @Test
  void answersAnythingElseUnderDashboardWithAJson404() throws Exception {
    for (String path :
        new String[] {
          "/dashboard/nothing.js",
          "/dashboard/",
          "/dashboard",
          "/dashboard/app.js/more",
          "/dashboard/%2e%2e%2fapplication.conf",
          "/dashboard/..%2fapplication.conf",
          "/dashboard/logback.xml",
          "/dashboard/APP.JS"
        }) {
      HttpResponse<String> response = get(path);
      assertEquals(404, response.statusCode(), path);
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path + ": " + response.body());
      JsonNode error = JSON.readTree(response.body()).get("error");
      assertEquals("not_found", error.get("code").asText(), path);
    }
  }

  @Test
  void servesNothingOutsideTheListForADotDotPath() throws Exception {
    // the server resolves the dots before routing: these leave /dashboard/ and are not the dashboard's
    for (String path : new String[] {"/dashboard/../application.conf", "/dashboard/%2E%2E/application.conf", "/dashboard/./../logback.xml"}) {
      String answer = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

      assertTrue(answer.startsWith("HTTP/1.1 404") || answer.startsWith("HTTP/1.1 400"), path + ": " + answer);
      assertTrue(!answer.contains("pekko-trader {") && !answer.contains("<configuration"), path + ": " + answer);
    }
  }

  @Test
  void refusesOtherMethodsThanGet() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dashboard/app.js")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(405, response.statusCode());
    assertEquals("method_not_allowed", JSON.readTree(response.body()).get("error").get("code").asText());
  }

  @Test
  void servesTheChartLibraryFromTheJarUnderTheDashboardsPolicy() throws Exception {
    HttpResponse<String> library = get("/dashboard/echarts.js");

    assertEquals(200, library.statusCode());
    assertEquals("application/javascript; charset=UTF-8", library.headers().firstValue("Content-Type").orElse(""));
    assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, library.headers().firstValue("Content-Security-Policy").orElse(""));
    assertTrue(library.body().contains("export{") || library.body().contains("export {"), "the ES module build of ECharts");
  }

  @Test
  void servesSwaggerUiOverTheApisOwnDescriptionWithAPolicyThatOnlyAddsDataImages() throws Exception {
    for (String path : new String[] {"/api/docs", "/api/docs/"}) {
      HttpResponse<String> page = get(path);
      assertEquals(200, page.statusCode(), path);
      assertEquals("text/html; charset=UTF-8", page.headers().firstValue("Content-Type").orElse(""), path);
      assertEquals(DashboardRoutes.API_DOCS_CONTENT_SECURITY_POLICY, page.headers().firstValue("Content-Security-Policy").orElse(""), path);
      assertTrue(page.body().contains("<script src=\"/api/docs/init.js\"></script>"), page.body());
    }
    String policy = DashboardRoutes.API_DOCS_CONTENT_SECURITY_POLICY;
    assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY.replace("img-src 'self';", "img-src 'self' data:;"), policy);
    for (String csp : new String[] {policy, DashboardRoutes.CONTENT_SECURITY_POLICY}) {
      assertTrue(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval") && !csp.contains("http") && !csp.contains("*"), csp);
      assertTrue(csp.contains("script-src 'self';") && csp.contains("style-src 'self';") && csp.contains("connect-src 'self';"), csp);
    }

    HttpResponse<String> description = get("/api/docs/openapi.json");
    assertEquals(200, description.statusCode());
    assertEquals("application/json", description.headers().firstValue("Content-Type").orElse(""));
    assertEquals(java.nio.file.Files.readString(java.nio.file.Path.of("docs/openapi.json")), description.body(), "docs/openapi.json itself");
    assertEquals("/api/v1", JSON.readTree(description.body()).get("servers").get(0).get("url").asText(), "Try it out calls this engine");

    for (String file : new String[] {"swagger-ui-bundle.js", "swagger-ui.css", "init.js"}) {
      HttpResponse<String> response = get("/api/docs/" + file);
      assertEquals(200, response.statusCode(), file);
      assertEquals(policy, response.headers().firstValue("Content-Security-Policy").orElse(""), file);
    }
    for (String path : new String[] {"/api/docs/index.css", "/api/docs/swagger-initializer.js", "/api/docs/..%2f..%2fapplication.conf", "/api/docs/init.js/x"}) {
      HttpResponse<String> response = get(path);
      assertEquals(404, response.statusCode(), path);
      assertEquals("not_found", JSON.readTree(response.body()).get("error").get("code").asText(), path);
    }
  }

  @Test
  void leavesTheControlApiToTheControlApi() throws Exception {
    HttpResponse<String> response = get("/api/v1/status");

    assertEquals(401, response.statusCode());
    assertEquals("the control API", response.body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a request as bytes, so that no client normalises its path first. */
  private String raw(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

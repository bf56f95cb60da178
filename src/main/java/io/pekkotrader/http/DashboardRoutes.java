package io.pekkotrader.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The supervision dashboard's static files: {@code GET /} is the page, {@code GET /dashboard/<file>}
 * its scripts and styles. Only the files of a fixed list are served (read once from the classpath
 * at construction, so no request touches the disk and no name can reach outside the list); any
 * other name under {@code /dashboard/} is a 404 in the control API's error shape.
 *
 * <p>The files hold no data, so they need no API key; the page asks {@code /api/v1} for every
 * value with the key the operator enters. Each answer carries a strict Content-Security-Policy
 * (scripts only from this origin, no inline script, no eval, no framing) as a second line of
 * defence behind the page's rule of rendering every engine value as text.
 */
public final class DashboardRoutes extends AllDirectives {
  /** Classpath folder of the dashboard's files. */
  static final String RESOURCE_DIR = "dashboard/";

  /** The Content-Security-Policy of every dashboard answer. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final ContentType JAVASCRIPT = MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsets.UTF_8);
  private static final ContentType CSS = MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8);
  private static final ContentType SVG = MediaTypes.IMAGE_SVG_XML.toContentType();

  /** Every file the dashboard serves, with its content type. Nothing else is served. */
  static final Map<String, ContentType> FILES =
      Map.of(
          "index.html", ContentTypes.TEXT_HTML_UTF8,
          "app.js", JAVASCRIPT,
          "api.js", JAVASCRIPT,
          "dom.js", JAVASCRIPT,
          "format.js", JAVASCRIPT,
          "chart.js", JAVASCRIPT,
          "panels.js", JAVASCRIPT,
          "style.css", CSS,
          "favicon.svg", SVG);

  private static final List<HttpHeader> SECURITY_HEADERS =
      List.of(
          RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("X-Frame-Options", "DENY"),
          RawHeader.create("Referrer-Policy", "no-referrer"),
          RawHeader.create("Cache-Control", "no-cache"));

  private final Map<String, HttpResponse> responses;

  /** Reads every dashboard file from the classpath; fails at start when one is missing. */
  public DashboardRoutes() {
    Map<String, HttpResponse> loaded = new LinkedHashMap<>();
    FILES.forEach((name, type) -> loaded.put(name, fileResponse(type, read(name))));
    this.responses = Map.copyOf(loaded);
  }

  public Route routes() {
    return concat(
        pathEndOrSingleSlash(() -> concat(get(() -> complete(responses.get("index.html"))), complete(methodNotAllowed()))),
        pathPrefix(
            "dashboard",
            () ->
                concat(
                    path(
                        PathMatchers.segment(),
                        name -> concat(get(() -> complete(file(name))), complete(methodNotAllowed()))),
                    complete(notFound()))));
  }

  /** The file of that name if it is on the list, else a 404. */
  private HttpResponse file(String name) {
    HttpResponse response = responses.get(name);
    return response != null ? response : notFound();
  }

  private static HttpResponse fileResponse(ContentType type, byte[] content) {
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.create(type, content)).addHeaders(SECURITY_HEADERS);
  }

  private static HttpResponse notFound() {
    return ControlRoutes.error(StatusCodes.NOT_FOUND, "not_found", "no such dashboard file", null);
  }

  private static HttpResponse methodNotAllowed() {
    return ControlRoutes.error(StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed", "allowed: [GET]", null);
  }

  private static byte[] read(String name) {
    String resource = RESOURCE_DIR + name;
    try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard file " + resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard file " + resource, e);
    }
  }
}

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
 * The dashboard's static files: {@code GET /} is the page, {@code GET /dashboard/<file>} its
 * scripts, styles and the chart library; {@code GET /api/docs} is Swagger UI over the API's own
 * description ({@code docs/openapi.json}, copied into the jar at build time). Only the files of
 * fixed lists are served (read once from the classpath at construction, so no request touches the
 * disk and no name can reach outside the lists); any other name under {@code /dashboard/} or
 * {@code /api/docs/} is a 404 in the control API's error shape.
 *
 * <p>The files hold no data, so they need no API key; the page asks {@code /api/v1} for every
 * value with the key the operator enters. Each answer carries a strict Content-Security-Policy
 * (scripts only from this origin, no inline script, no eval, no framing) as a second line of
 * defence behind the page's rule of rendering every engine value as text. Swagger UI gets the same
 * policy but for images: its stylesheet draws its icons as {@code data:} SVG images.
 */
public final class DashboardRoutes extends AllDirectives {
  /** Classpath folder of the dashboard's files. */
  static final String RESOURCE_DIR = "dashboard/";

  /** The Content-Security-Policy of every dashboard answer. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /**
   * The policy of {@code /api/docs}: the dashboard's, except that images may also be {@code data:}
   * URLs, which Swagger UI's own stylesheet and components use for their icons (arrows, locks,
   * copy buttons). Scripts and styles stay {@code 'self'} only, without inline code or eval.
   */
  static final String API_DOCS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("img-src 'self';", "img-src 'self' data:;");

  /** Classpath folder of the API explorer's own files (its page and initializer). */
  static final String API_DOCS_DIR = "api-docs/";

  /** The classpath copy of docs/openapi.json (the build's resources configuration puts it there). */
  static final String OPENAPI_RESOURCE = "openapi/openapi.json";

  private static final String ECHARTS_DIR = "META-INF/resources/webjars/echarts/5.3.1/";
  private static final String SWAGGER_UI_DIR = "META-INF/resources/webjars/swagger-ui/5.35.0/";

  private static final ContentType JAVASCRIPT = MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsets.UTF_8);
  private static final ContentType CSS = MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8);
  private static final ContentType SVG = MediaTypes.IMAGE_SVG_XML.toContentType();

  /** Every file the dashboard serves, with its content type. Nothing else is served. */
  static final Map<String, ContentType> FILES =
      Map.ofEntries(
          Map.entry("index.html", ContentTypes.TEXT_HTML_UTF8),
          Map.entry("app.js", JAVASCRIPT),
          Map.entry("api.js", JAVASCRIPT),
          Map.entry("dom.js", JAVASCRIPT),
          Map.entry("format.js", JAVASCRIPT),
          Map.entry("panels.js", JAVASCRIPT),
          Map.entry("trading.js", JAVASCRIPT),
          Map.entry("charts.js", JAVASCRIPT),
          Map.entry("style.css", CSS),
          Map.entry("favicon.svg", SVG));

  /**
   * Third-party files served under {@code /dashboard/}, by the name the page uses, with their
   * classpath resource (a WebJar's file, kept as its authors published it). The project's own rules
   * for its scripts ({@code DashboardSourcesTest}) do not read these; the CSP still binds them.
   */
  static final Map<String, Library> LIBRARIES =
      Map.of("echarts.js", new Library(ECHARTS_DIR + "dist/echarts.esm.min.js", JAVASCRIPT));

  /** The API explorer's files under {@code /api/docs/}: its own page and initializer, Swagger UI's bundle, the description. */
  static final Map<String, Library> API_DOCS =
      Map.of(
          "index.html", new Library(API_DOCS_DIR + "index.html", ContentTypes.TEXT_HTML_UTF8),
          "init.js", new Library(API_DOCS_DIR + "init.js", JAVASCRIPT),
          "swagger-ui-bundle.js", new Library(SWAGGER_UI_DIR + "swagger-ui-bundle.js", JAVASCRIPT),
          "swagger-ui.css", new Library(SWAGGER_UI_DIR + "swagger-ui.css", CSS),
          "openapi.json", new Library(OPENAPI_RESOURCE, ContentTypes.APPLICATION_JSON));

  /** A file served from a classpath resource. */
  record Library(String resource, ContentType type) {}

  private static final List<HttpHeader> SECURITY_HEADERS = securityHeaders(CONTENT_SECURITY_POLICY);
  private static final List<HttpHeader> API_DOCS_HEADERS = securityHeaders(API_DOCS_CONTENT_SECURITY_POLICY);

  private final Map<String, HttpResponse> responses;
  private final Map<String, HttpResponse> apiDocs;

  /** Reads every file from the classpath; fails at start when one is missing. */
  public DashboardRoutes() {
    Map<String, HttpResponse> loaded = new LinkedHashMap<>();
    FILES.forEach((name, type) -> loaded.put(name, fileResponse(type, read(RESOURCE_DIR + name), SECURITY_HEADERS)));
    LIBRARIES.forEach((name, library) -> loaded.put(name, fileResponse(library.type(), read(library.resource()), SECURITY_HEADERS)));
    this.responses = Map.copyOf(loaded);
    Map<String, HttpResponse> docs = new LinkedHashMap<>();
    API_DOCS.forEach((name, library) -> docs.put(name, fileResponse(library.type(), read(library.resource()), API_DOCS_HEADERS)));
    this.apiDocs = Map.copyOf(docs);
  }

  public Route routes() {
    return concat(
        pathEndOrSingleSlash(() -> concat(get(() -> complete(responses.get("index.html"))), complete(methodNotAllowed()))),
        pathPrefix("dashboard", () -> files(responses)),
        pathPrefix(
            PathMatchers.segment("api").slash(PathMatchers.segment("docs")),
            () -> concat(pathEndOrSingleSlash(() -> concat(get(() -> complete(apiDocs.get("index.html"))), complete(methodNotAllowed()))), files(apiDocs))));
  }

  /** One file of {@code served} by its name, else a 404. */
  private Route files(Map<String, HttpResponse> served) {
    return concat(
        path(PathMatchers.segment(), name -> concat(get(() -> complete(file(served, name))), complete(methodNotAllowed()))),
        complete(notFound()));
  }

  /** The file of that name if it is on the list, else a 404. */
  private static HttpResponse file(Map<String, HttpResponse> served, String name) {
    HttpResponse response = served.get(name);
    return response != null ? response : notFound();
  }

  private static List<HttpHeader> securityHeaders(String policy) {
    return List.of(
        RawHeader.create("Content-Security-Policy", policy),
        RawHeader.create("X-Content-Type-Options", "nosniff"),
        RawHeader.create("X-Frame-Options", "DENY"),
        RawHeader.create("Referrer-Policy", "no-referrer"),
        RawHeader.create("Cache-Control", "no-cache"));
  }

  private static HttpResponse fileResponse(ContentType type, byte[] content, List<HttpHeader> headers) {
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.create(type, content)).addHeaders(headers);
  }

  private static HttpResponse notFound() {
    return ControlRoutes.error(StatusCodes.NOT_FOUND, "not_found", "no such dashboard file", null);
  }

  private static HttpResponse methodNotAllowed() {
    return ControlRoutes.error(StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed", "allowed: [GET]", null);
  }

  private static byte[] read(String resource) {
    try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the file " + resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}

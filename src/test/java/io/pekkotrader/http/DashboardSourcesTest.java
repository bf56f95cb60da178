package io.pekkotrader.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's own sources keep to its security rule: engine data only ever becomes text. No
 * script may use an API that parses a string as HTML or code, the page has no inline script or
 * handler (the Content-Security-Policy would block it anyway), and every module it imports is on
 * the list {@link DashboardRoutes} serves.
 */
class DashboardSourcesTest {
  /** APIs that turn a string into markup or code. */
  private static final Pattern SINKS =
      Pattern.compile(
          "\\.innerHTML\\b|\\.outerHTML\\b|insertAdjacentHTML|document\\.write|\\beval\\s*\\(|new\\s+Function\\b"
              + "|createContextualFragment|DOMParser|srcdoc|setTimeout\\s*\\(\\s*['\"`]|setInterval\\s*\\(\\s*['\"`]|javascript:");

  @Test
  void noDashboardScriptUsesAnHtmlOrCodeSink() throws IOException {
    List<String> found = new ArrayList<>();
    for (String name : scripts()) {
      String[] lines = source(name).split("\n");
      for (int i = 0; i < lines.length; i++) {
        Matcher sink = SINKS.matcher(lines[i]);
        if (sink.find()) {
          found.add(name + ":" + (i + 1) + ": " + lines[i].strip());
        }
      }
    }
    assertEquals(List.of(), found, "the dashboard builds the page with textContent / createElement only");
  }

  @Test
  void attributesAreSetInOnePlaceAndNeverAHandlerOrAUrl() throws IOException {
    for (String name : scripts()) {
      String text = source(name);
      int calls = text.split("setAttribute\\(", -1).length - 1;
      if (name.equals("dom.js")) {
        assertEquals(1, calls, "dom.js sets attributes in one place");
        assertTrue(text.contains("if (!allowed.test(name))"), "dom.js checks every attribute name against its list first");
      } else {
        assertEquals(0, calls, name + " sets attributes through dom.js only");
      }
      assertTrue(!Pattern.compile("\\.on[a-z]+\\s*=").matcher(text).find(), name + " assigns an on* handler property");
    }
    String dom = source("dom.js");
    for (String list : List.of("HTML_ATTRIBUTES")) {
      Matcher declared = Pattern.compile(list + " = /\\^\\((.*)\\)\\$/;").matcher(dom);
      assertTrue(declared.find(), list + " is declared as /^(a|b|...)$/");
      for (String allowed : declared.group(1).split("\\|")) {
        assertTrue(!allowed.startsWith("on"), list + " allows an event handler: " + allowed);
        assertTrue(!Set.of("href", "src", "style", "srcdoc", "action", "formaction", "xlink:href").contains(allowed), list + " allows " + allowed);
      }
    }
  }

  @Test
  void thePageHasNoInlineScriptOrHandler() throws IOException {
    String page = source("index.html");

    Matcher scripts = Pattern.compile("<script\\b([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page);
    int count = 0;
    while (scripts.find()) {
      count++;
      assertTrue(scripts.group(1).contains("src=\"/dashboard/"), "scripts come from /dashboard/: " + scripts.group());
      assertEquals("", scripts.group(2).strip(), "no inline script");
    }
    assertEquals(1, count);
    assertTrue(!Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(page).find(), "no inline event handler");
    assertTrue(!page.contains("style="), "no inline style");
    assertTrue(!page.contains("http://") && !page.contains("https://"), "nothing from another origin (works offline)");
  }

  @Test
  void everyImportedModuleAndReferencedFileIsServed() throws IOException {
    Set<String> referenced = new TreeSet<>();
    Pattern imports = Pattern.compile("from\\s+'\\./([a-z]+\\.js)'|import\\('/dashboard/([a-z]+\\.js)'\\)");
    for (String name : scripts()) {
      Matcher m = imports.matcher(source(name));
      while (m.find()) {
        referenced.add(m.group(1) != null ? m.group(1) : m.group(2));
      }
      assertTrue(!source(name).contains("http://") && !source(name).contains("https://"), name + " loads nothing from another origin");
    }
    Matcher links = Pattern.compile("(?:href|src)=\"/dashboard/([^\"]+)\"").matcher(source("index.html"));
    while (links.find()) {
      referenced.add(links.group(1));
    }
    for (String file : referenced) {
      assertTrue(DashboardRoutes.FILES.containsKey(file) || DashboardRoutes.LIBRARIES.containsKey(file), file + " is referenced but not served");
    }
    assertTrue(referenced.containsAll(List.of("app.js", "api.js", "dom.js", "panels.js", "trading.js", "charts.js", "format.js", "style.css")), referenced.toString());
  }

  @Test
  void theKeyIsKeptInSessionStorageAndNeverInAUrl() throws IOException {
    String api = source("api.js");
    for (String name : scripts()) {
      assertTrue(!source(name).contains("localStorage"), name + " must not keep anything in localStorage");
      assertTrue(!source(name).contains("new EventSource"), name + " must not use EventSource (it cannot send the key as a header)");
    }
    assertTrue(api.contains("sessionStorage.setItem(KEY_NAME, key)"));
    assertTrue(api.contains("Authorization: 'Bearer ' + key"));
    assertTrue(!Pattern.compile("[?&](key|token|apiKey)=").matcher(String.join("\n", sources())).find(), "no key in a query string");
  }

  @Test
  void theApiExplorerHasNoInlineScriptKeepsTheKeyInMemoryAndSendsTheDescriptionNowhere() throws IOException {
    String page = resource(DashboardRoutes.API_DOCS_DIR + "index.html");
    String init = resource(DashboardRoutes.API_DOCS_DIR + "init.js");

    Matcher scripts = Pattern.compile("<script\\b([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page);
    while (scripts.find()) {
      assertTrue(scripts.group(1).contains("src=\"/api/docs/"), "scripts come from /api/docs/: " + scripts.group());
      assertEquals("", scripts.group(2).strip(), "no inline script");
    }
    assertTrue(!page.contains("http://") && !page.contains("https://") && !page.contains("style="), page);
    assertTrue(!SINKS.matcher(init).find() && !init.contains("http://") && !init.contains("https://"), init);
    assertTrue(init.contains("validatorUrl: null"), "Swagger UI must not send the description to its public validator");
    assertTrue(init.contains("persistAuthorization: false"), "the key entered in Authorize stays in memory, not in localStorage");
    assertTrue(init.contains("url: '/api/docs/openapi.json'"), init);
  }

  private static List<String> scripts() {
    return DashboardRoutes.FILES.keySet().stream().filter(n -> n.endsWith(".js")).sorted().toList();
  }

  private static List<String> sources() throws IOException {
    List<String> all = new ArrayList<>();
    for (String name : scripts()) {
      all.add(source(name));
    }
    return all;
  }

  private static String source(String name) throws IOException {
    return resource(DashboardRoutes.RESOURCE_DIR + name);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DashboardSourcesTest.class.getClassLoader().getResourceAsStream(name)) {
      assertTrue(in != null, "missing file " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package io.pekkotrader.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceRule;
import org.junit.jupiter.api.Test;

/**
 * The layering, as rules over the compiled classes: dependencies point inward ({@code http},
 * {@code streams}, {@code exchange}, {@code bench} → {@code actors}/{@code execution} → {@code
 * domain}), with {@code app} wiring it all together and no package depending back on it.
 *
 * <p>Each rule is written for a root package, so that it runs twice: against the engine's own
 * classes (tests not included), where it must hold, and against a small fixture under {@code
 * io.pekkotrader.architecture.fixtures} that breaks it on purpose, where it must report the
 * break. A rule that cannot fail proves nothing.
 */
class LayeringTest {
  private static final String ENGINE = "io.pekkotrader";
  private static final String FIXTURES = "io.pekkotrader.architecture.fixtures";

  private static final JavaClasses ENGINE_CLASSES =
      new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests()).importPackages(ENGINE);

  /** {@code domain} (with its sub-packages) is plain Java: nothing from Pekko. */
  static ArchRule domainIsPure(String root) {
    return noClasses()
        .that().resideInAPackage(root + ".domain..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.pekko..")
        .because("decision logic is tested without actors");
  }

  /**
   * No cycles between the top-level packages under {@code root}; a sub-package ({@code
   * domain.risk}, {@code streams.venue}, {@code exchange.simulator}) belongs to its parent's slice.
   */
  static SliceRule noCycles(String root) {
    return slices().matching(root + ".(*)..").namingSlices("$1").should().beFreeOfCycles();
  }

  /** {@code streams} hands trades to a {@code TradeRouter.Traders}; it knows neither the actors nor sharding. */
  static ArchRule streamsKnowNoActors(String root) {
    return noClasses()
        .that().resideInAPackage(root + ".streams..")
        .should().dependOnClassesThat().resideInAnyPackage(root + ".actors..", "org.apache.pekko.cluster.sharding..")
        .because("the stream stages are tested with a stand-in for the SymbolTraders");
  }

  /**
   * The inner layers ({@code domain}, {@code actors}, {@code execution}) depend on nothing outward:
   * where they need an outer package they own the seam ({@code actors.VenueConnection}).
   */
  static ArchRule innerLayersPointInward(String root) {
    return noClasses()
        .that().resideInAnyPackage(root + ".domain..", root + ".actors..", root + ".execution..")
        .should().dependOnClassesThat().resideInAnyPackage(
            root + ".app..", root + ".engine..", root + ".http..", root + ".streams..", root + ".exchange..", root + ".bench..",
            root + ".backtest..")
        .because("dependencies point inward");
  }

  /**
   * {@code backtest} drives the synchronous {@code domain.TradingKernel}, the same decisions as the
   * actors without them: no actor, no HTTP, no Pekko (it reads venue frames through the Pekko-free
   * {@code streams.venue} dialects).
   */
  static ArchRule backtestRunsTheKernelNotTheActors(String root) {
    return noClasses()
        .that().resideInAPackage(root + ".backtest..")
        .should().dependOnClassesThat().resideInAnyPackage(root + ".actors..", root + ".http..", root + ".app..", "org.apache.pekko..")
        .because("a backtest runs the kernel on data time, in one thread");
  }

  /** {@code http} talks to the engine façade; {@code app} starts the server, never the reverse. */
  static ArchRule httpKnowsNoApp(String root) {
    return noClasses()
        .that().resideInAPackage(root + ".http..")
        .should().dependOnClassesThat().resideInAPackage(root + ".app..")
        .because("app depends on http to start the server");
  }

  @Test
  void domainImportsNothingFromPekko() {
    domainIsPure(ENGINE).check(ENGINE_CLASSES);
    assertBroken(domainIsPure(FIXTURES + ".puredomain"), FIXTURES + ".puredomain", "UsesPekko", "org.apache.pekko.Done");
  }

  @Test
  void packagesAreFreeOfCycles() {
    noCycles(ENGINE).check(ENGINE_CLASSES);
    assertBroken(noCycles(FIXTURES + ".cycle"), FIXTURES + ".cycle", "Caller", "CalledBack");
  }

  @Test
  void streamsDependNeitherOnActorsNorOnSharding() {
    streamsKnowNoActors(ENGINE).check(ENGINE_CLASSES);
    assertBroken(streamsKnowNoActors(FIXTURES + ".streams"), FIXTURES + ".streams", "RoutesToTrader", "Trader");
    assertBroken(streamsKnowNoActors(FIXTURES + ".streams"), FIXTURES + ".streams", "RoutesThroughSharding", "ClusterSharding");
  }

  @Test
  void innerLayersDependOnNothingOutward() {
    innerLayersPointInward(ENGINE).check(ENGINE_CLASSES);
    assertBroken(innerLayersPointInward(FIXTURES + ".inward"), FIXTURES + ".inward", "AsksVenue", "Venue");
  }

  @Test
  void backtestDependsOnNeitherActorsNorHttp() {
    backtestRunsTheKernelNotTheActors(ENGINE).check(ENGINE_CLASSES);
    assertBroken(backtestRunsTheKernelNotTheActors(FIXTURES + ".backtest"), FIXTURES + ".backtest", "AsksTrader", "Trader");
    assertBroken(backtestRunsTheKernelNotTheActors(FIXTURES + ".backtest"), FIXTURES + ".backtest", "ServesReport", "Routes");
  }

  @Test
  void httpDoesNotDependOnApp() {
    httpKnowsNoApp(ENGINE).check(ENGINE_CLASSES);
    assertBroken(httpKnowsNoApp(FIXTURES + ".httpapp"), FIXTURES + ".httpapp", "Routes", "Wiring");
  }

  @Test
  void theEngineClassesAreImportedAtAll() {
    // an empty import would let every rule above pass
    assertTrue(ENGINE_CLASSES.contain("io.pekkotrader.app.Main"));
    assertFalse(ENGINE_CLASSES.containPackage(FIXTURES));
  }

  /** The rule, checked against the fixture in {@code pkg}, reports a violation naming both classes. */
  private static void assertBroken(ArchRule rule, String pkg, String offender, String target) {
    EvaluationResult result = rule.evaluate(new ClassFileImporter().importPackages(pkg));
    assertTrue(result.hasViolation(), () -> rule.getDescription() + " was not broken by " + pkg);
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertTrue(report.contains(offender) && report.contains(target), () -> "expected " + offender + " -> " + target + " in:\n" + report);
  }
}

package io.pekkotrader.domain;

import static io.pekkotrader.domain.TestData.entryIntent;
import static io.pekkotrader.domain.TestData.exitIntent;
import static io.pekkotrader.domain.TestData.position;
import static io.pekkotrader.domain.TestData.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryCheckTest {
  private static final WorkingOrder ENTRY_ORDER = WorkingOrder.of(entryIntent("binance-BTCUSDT-2", "1", "100")).approve();
  private static final WorkingOrder EXIT_ORDER = WorkingOrder.of(exitIntent("binance-BTCUSDT-5", "1", "100")).approve();

  private static List<String> codes(SymbolState state) {
    return RecoveryCheck.violations(state).stream().map(RecoveryCheck.Violation::code).toList();
  }

  private static void assertRepair(SymbolPhase phase, boolean dropOrder, RecoveryCheck.Repair repair) {
    assertNotNull(repair);
    assertEquals(phase, repair.phase(), "repaired phase");
    assertEquals(dropOrder, repair.dropOrder(), "drop order");
    assertFalse(repair.violations().isEmpty());
  }

  @Test
  void findsNothingToRepairInConsistentStates() {
    List<SymbolState> consistent =
        List.of(
            TestData.ready(),
            SymbolState.initial(TestData.BTCUSDT),
            TestData.inPosition("binance-BTCUSDT-2", "1", "100"),
            state(SymbolPhase.ENTRY_WORKING, Position.FLAT, ENTRY_ORDER),
            state(SymbolPhase.EXIT_WORKING, position("1", "100"), EXIT_ORDER),
            state(SymbolPhase.HALTED, position("1", "100"), null),
            state(SymbolPhase.ERROR, position("1", "100"), null));

    for (SymbolState state : consistent) {
      assertEquals(List.of(), RecoveryCheck.violations(state), state.phase().name());
      assertNull(RecoveryCheck.repair(state), state.phase().name());
    }
  }

  @Test
  void repairsAHoldingPhaseWithZeroQuantityToReadyDroppingTheOrder() {
    SymbolState inPosition = state(SymbolPhase.IN_POSITION, Position.FLAT, null);
    SymbolState exitWorking = state(SymbolPhase.EXIT_WORKING, Position.FLAT, EXIT_ORDER);

    assertEquals(List.of("POSITION_WITHOUT_QUANTITY"), codes(inPosition));
    assertRepair(SymbolPhase.READY, false, RecoveryCheck.repair(inPosition));
    assertEquals(List.of("POSITION_WITHOUT_QUANTITY"), codes(exitWorking));
    assertRepair(SymbolPhase.READY, true, RecoveryCheck.repair(exitWorking));
  }

  @Test
  void repairsAFlatPhaseHoldingQuantityToInPosition() {
    SymbolState ready = state(SymbolPhase.READY, position("0.5", "100"), null);
    SymbolState cooldown = state(SymbolPhase.COOLDOWN, position("0.5", "100"), null);

    assertEquals(List.of("QUANTITY_IN_FLAT_PHASE"), codes(ready));
    assertRepair(SymbolPhase.IN_POSITION, false, RecoveryCheck.repair(ready));
    assertEquals(List.of("QUANTITY_IN_FLAT_PHASE"), codes(cooldown));
    assertRepair(SymbolPhase.IN_POSITION, false, RecoveryCheck.repair(cooldown));
  }

  @Test
  void repairsAWorkingPhaseWithoutAnOrderToReadyOrInPositionByQuantity() {
    SymbolState flatEntry = state(SymbolPhase.ENTRY_WORKING, Position.FLAT, null);
    SymbolState pendingEntry = state(SymbolPhase.ENTRY_PENDING, Position.FLAT, null);
    SymbolState holdingExit = state(SymbolPhase.EXIT_WORKING, position("1", "100"), null);

    assertEquals(List.of("WORKING_PHASE_WITHOUT_ORDER"), codes(flatEntry));
    assertRepair(SymbolPhase.READY, false, RecoveryCheck.repair(flatEntry));
    assertEquals(List.of("WORKING_PHASE_WITHOUT_ORDER"), codes(pendingEntry));
    assertRepair(SymbolPhase.READY, false, RecoveryCheck.repair(pendingEntry));
    assertEquals(List.of("WORKING_PHASE_WITHOUT_ORDER"), codes(holdingExit));
    assertRepair(SymbolPhase.IN_POSITION, false, RecoveryCheck.repair(holdingExit));
  }

  @Test
  void acceptsAFullyFilledExitWaitingForItsEndAsALegitimateCrashPoint() {
    Fill lastFill = new Fill("t1", EXIT_ORDER.clientOrderId(), TestData.BTCUSDT, Side.SELL,
        new java.math.BigDecimal("1"), new java.math.BigDecimal("101"), java.math.BigDecimal.ZERO, 1L);
    SymbolState filledExit = state(SymbolPhase.EXIT_WORKING, Position.FLAT, EXIT_ORDER.withFill(lastFill));

    assertEquals(List.of(), RecoveryCheck.violations(filledExit));
    assertNull(RecoveryCheck.repair(filledExit));
  }

  @Test
  void keepsAWarmUpOrCooldownWhenOnlyAStaleOrderIsRepaired() {
    SymbolState warming = state(SymbolPhase.WARMING_UP, Position.FLAT, ENTRY_ORDER);
    SymbolState cooling = state(SymbolPhase.COOLDOWN, Position.FLAT, EXIT_ORDER);

    assertRepair(SymbolPhase.WARMING_UP, true, RecoveryCheck.repair(warming));
    assertRepair(SymbolPhase.COOLDOWN, true, RecoveryCheck.repair(cooling));
  }

  @Test
  void dropsAnOrderLeftOpenInAPhaseThatCannotHaveOne() {
    SymbolState ready = state(SymbolPhase.READY, Position.FLAT, ENTRY_ORDER);
    SymbolState inPosition = state(SymbolPhase.IN_POSITION, position("1", "100"), EXIT_ORDER);
    SymbolState halted = state(SymbolPhase.HALTED, position("1", "100"), EXIT_ORDER);

    assertEquals(List.of("STALE_OPEN_ORDER"), codes(ready));
    assertTrue(RecoveryCheck.violations(ready).get(0).detail().contains("binance-BTCUSDT-2"));
    assertRepair(SymbolPhase.READY, true, RecoveryCheck.repair(ready));
    assertEquals(List.of("STALE_OPEN_ORDER"), codes(inPosition));
    assertRepair(SymbolPhase.IN_POSITION, true, RecoveryCheck.repair(inPosition));
    assertEquals(List.of("STALE_OPEN_ORDER"), codes(halted));
    assertRepair(SymbolPhase.HALTED, true, RecoveryCheck.repair(halted));
  }

  @Test
  void sendsANegativeQuantityToErrorDroppingTheOrder() {
    SymbolState negative = state(SymbolPhase.EXIT_WORKING, position("-0.5", "100"), EXIT_ORDER);

    List<String> found = codes(negative);
    RecoveryCheck.Repair repair = RecoveryCheck.repair(negative);

    assertEquals(List.of("NEGATIVE_QUANTITY"), found);
    assertRepair(SymbolPhase.ERROR, true, repair);
  }

  @Test
  void reportsEachRejectedTransitionAndRederivesThePhase() {
    SymbolState holding = TestData.inPosition("binance-BTCUSDT-2", "1", "100").warmUpCompleted().cooldownElapsed();
    SymbolState working = state(SymbolPhase.ENTRY_WORKING, Position.FLAT, ENTRY_ORDER, "ENTRY_INTENDED is not allowed");

    List<RecoveryCheck.Violation> holdingViolations = RecoveryCheck.violations(holding);

    assertEquals(List.of("REJECTED_TRANSITION", "REJECTED_TRANSITION"), codes(holding));
    assertEquals("WARM_UP_COMPLETED is not allowed in phase IN_POSITION", holdingViolations.get(0).detail());
    assertEquals("COOLDOWN_ELAPSED is not allowed in phase IN_POSITION", holdingViolations.get(1).detail());
    assertRepair(SymbolPhase.IN_POSITION, false, RecoveryCheck.repair(holding));
    assertEquals(List.of("REJECTED_TRANSITION"), codes(working));
    assertRepair(SymbolPhase.ENTRY_WORKING, false, RecoveryCheck.repair(working));
  }

  @Test
  void namesEveryViolationInOneRepair() {
    SymbolState broken = state(SymbolPhase.READY, position("1", "100"), ENTRY_ORDER, "odd event");

    RecoveryCheck.Repair repair = RecoveryCheck.repair(broken);

    assertEquals(
        List.of("REJECTED_TRANSITION", "QUANTITY_IN_FLAT_PHASE", "STALE_OPEN_ORDER"),
        repair.violations().stream().map(RecoveryCheck.Violation::code).toList());
    assertRepair(SymbolPhase.IN_POSITION, true, repair);
  }

  @Test
  void aRepairedStatePassesTheCheck() {
    SymbolState broken = state(SymbolPhase.READY, position("1", "100"), ENTRY_ORDER, "odd event");
    RecoveryCheck.Repair repair = RecoveryCheck.repair(broken);

    SymbolState repaired = broken.corrected(repair.phase(), repair.dropOrder());

    assertEquals(List.of(), RecoveryCheck.violations(repaired));
  }
}

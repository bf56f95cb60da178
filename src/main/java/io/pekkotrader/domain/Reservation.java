package io.pekkotrader.domain;

import java.math.BigDecimal;

/** Quote funds held for one order until its fills commit them or its end releases them. */
public record Reservation(String clientOrderId, SymbolId symbol, BigDecimal amount) {}

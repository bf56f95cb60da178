package io.pekkotrader.serialization;

/**
 * Marker for every message, event and snapshot that may be serialized: bound to Pekko's
 * Jackson CBOR serializer in {@code serialization.conf}. Event classes implementing it are never
 * renamed or deleted; they evolve through Jackson migrations.
 */
public interface CborSerializable {}

package io.pekkotrader.domain;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The trade ids of the most recent fills, oldest first, at most a fixed number: an immutable
 * {@link List} whose {@link #contains} is a few hash lookups and whose {@link #appended} shares
 * almost everything with the window before it. The {@link Ledger} keeps one to apply each fill
 * once; as a plain list of strings it serializes exactly as the list it replaces.
 *
 * <p>Ids sit in sealed chunks of {@value #CHUNK} (each with an index from id to its last place in
 * the chunk, built once when the chunk seals) and a tail of fewer than {@value #CHUNK} that is
 * copied on append. Appending past the capacity evicts the oldest id by moving a start offset
 * into the oldest chunk, which is dropped once every id in it is evicted. So an append copies at
 * most one tail (and, every {@value #CHUNK} appends, the chunk array), and a lookup probes one
 * index per sealed chunk and scans the tail.
 */
public final class TradeIdWindow extends AbstractList<String> {
  static final int CHUNK = 256;

  private static final TradeIdWindow EMPTY = new TradeIdWindow(new Chunk[0], 0, new String[0], false);

  /** Ids that no longer change, with the last place of each id among them. */
  private static final class Chunk {
    final String[] ids;
    final Map<String, Integer> lastIndex;

    Chunk(String[] ids) {
      this.ids = ids;
      this.lastIndex = new HashMap<>(ids.length * 2);
      for (int i = 0; i < ids.length; i++) {
        lastIndex.put(ids[i], i);
      }
    }
  }

  private final Chunk[] chunks;
  /** Ids of {@code chunks[0]} before this index are evicted. */
  private final int skip;
  private final String[] tail;
  private final int size;
  private final boolean duplicates;

  private TradeIdWindow(Chunk[] chunks, int skip, String[] tail, boolean duplicates) {
    this.chunks = chunks;
    this.skip = skip;
    this.tail = tail;
    this.size = chunks.length * CHUNK - skip + tail.length;
    this.duplicates = duplicates;
  }

  public static TradeIdWindow empty() {
    return EMPTY;
  }

  /**
   * The window holding {@code ids} (oldest first) as they are, duplicates included (a journal
   * may hold them: {@link #hasDuplicates} tells); {@code ids} itself when it is a window already.
   */
  public static TradeIdWindow of(List<String> ids) {
    if (ids instanceof TradeIdWindow window) {
      return window;
    }
    TradeIdWindow window = EMPTY;
    for (String id : ids) {
      window = window.appended(Objects.requireNonNull(id, "trade id"), Integer.MAX_VALUE);
    }
    return window;
  }

  /** This window with {@code id} added as the newest, the oldest evicted while it holds more than {@code capacity} (>= 1). */
  public TradeIdWindow appended(String id, int capacity) {
    Objects.requireNonNull(id, "trade id");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    boolean nowDuplicates = duplicates || contains(id);
    Chunk[] nextChunks = chunks;
    String[] nextTail = Arrays.copyOf(tail, tail.length + 1);
    nextTail[tail.length] = id;
    if (nextTail.length == CHUNK) {
      nextChunks = Arrays.copyOf(chunks, chunks.length + 1);
      nextChunks[chunks.length] = new Chunk(nextTail);
      nextTail = new String[0];
    }
    int nextSkip = skip;
    int nextSize = size + 1;
    while (nextSize > capacity) {
      if (nextChunks.length == 0) {
        // everything left is in the tail: drop its oldest
        nextTail = Arrays.copyOfRange(nextTail, 1, nextTail.length);
      } else if (++nextSkip == CHUNK) {
        nextChunks = Arrays.copyOfRange(nextChunks, 1, nextChunks.length);
        nextSkip = 0;
      }
      nextSize--;
    }
    // an evicted duplicate does not make the ids held unique again: the flag only records one was applied twice
    return new TradeIdWindow(nextChunks, nextSkip, nextTail, nowDuplicates);
  }

  @Override
  public boolean contains(Object o) {
    if (!(o instanceof String id)) {
      return false;
    }
    for (int i = tail.length - 1; i >= 0; i--) {
      if (tail[i].equals(id)) {
        return true;
      }
    }
    for (int c = chunks.length - 1; c >= 0; c--) {
      Integer last = chunks[c].lastIndex.get(id);
      if (last != null && (c > 0 || last >= skip)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an id was ever held twice (a fill applied twice), since this window was built from a list. */
  public boolean hasDuplicates() {
    return duplicates;
  }

  @Override
  public String get(int index) {
    Objects.checkIndex(index, size);
    int inChunks = chunks.length * CHUNK - skip;
    if (index >= inChunks) {
      return tail[index - inChunks];
    }
    int at = index + skip;
    return chunks[at / CHUNK].ids[at % CHUNK];
  }

  @Override
  public int size() {
    return size;
  }
}

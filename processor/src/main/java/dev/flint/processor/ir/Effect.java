package dev.flint.processor.ir;

import java.util.List;

/**
 * A statement the forward pass runs for its side effect, outside the gradient: batch norm's
 * running-statistics update. {@code format}'s {@code %s} are replaced by the names of {@code args}.
 *
 * @param after the statement runs once every value with a smaller id is defined
 */
public record Effect(String format, List<Value> args, SourceRef where, int after) {
  public Effect {
    args = List.copyOf(args);
  }
}

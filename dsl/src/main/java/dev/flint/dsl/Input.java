package dev.flint.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The shape and element type of a parameter of a {@link Forward} method, for models that take several
 * tensors: {@code forward(Tensor x, @Input(value = {"B", "T"}, dtype = "BOOL") Tensor padding)}. The
 * first parameter's shape comes from {@link Model#input} or {@link Model#inputDims} (or the first layer
 * that reads it) unless it has this annotation; every other parameter needs it.
 *
 * <pre>{@code
 * @Model(inputDims = {"T", "16"})
 * public class Encoder extends Module {
 *   ...
 *   @Forward
 *   public Tensor forward(Tensor x, @Input(value = {"B", "T"}, dtype = "BOOL") Tensor keep) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Input {
  /**
   * The whole shape, with the batch written {@code "B"} where the tensor has one: {@code {"B", "T"}} for a
   * padding mask per sample, {@code {"T", "T"}} for a mask the batch shares. Entries are positive numbers
   * or names of sizes, as in {@link Model#inputDims}; a name the first input uses is the same size.
   */
  String[] value();

  /** {@code "FLOAT"} (the model's floating dtype), {@code "INT64"} (token ids) or {@code "BOOL"} (a mask). */
  String dtype() default "FLOAT";
}

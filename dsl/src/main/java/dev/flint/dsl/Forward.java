package dev.flint.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a model's forward method: {@code Tensor forward(Tensor x)}. Its body is what the processor
 * compiles: local variables, calls to {@link Layer} fields, {@code F} functions, Tensor methods,
 * numeric literals and {@code if (isTraining())} branches.
 *
 * <pre>{@code
 * @Forward
 * public Tensor forward(Tensor x) {
 *   Tensor h = F.relu(fc1.forward(x));
 *   return fc2.forward(h);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Forward {}

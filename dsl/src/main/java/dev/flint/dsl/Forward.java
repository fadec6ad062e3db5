package dev.flint.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a model's forward method: {@code Tensor forward(Tensor x)}. Its body is what the processor
 * compiles: {@code Tensor} local variables and reassignment, {@code field.forward(x)} on {@link Layer}
 * fields, {@code F} functions, Tensor methods ({@code add}, {@code matmul}, {@code reshape},
 * {@code softmax}, ...), {@code Tensor.cat/stack}, layer parameters read directly ({@code fc.weight}),
 * numeric literals, constant fields, and {@code if (isTraining()) ... else ...}. Anything else is a
 * javac error that names the construct and lists what is supported.
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

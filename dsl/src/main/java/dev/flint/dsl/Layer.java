package dev.flint.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field that holds a child module (a layer). Its parameters and buffers are registered under
 * the field's name, as PyTorch names them ({@code fc1.weight}, {@code bn.running_mean}). The field
 * must not be private, because generated code reads it directly.
 *
 * <pre>{@code
 * @Layer Linear fc1 = new Linear(117, 64);
 * @Layer Sequential body = new Sequential(new Linear(64, 32), new ReLU());
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Layer {}

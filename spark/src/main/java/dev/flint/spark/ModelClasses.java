package dev.flint.spark;

import dev.flint.nn.Module;
import java.lang.reflect.InvocationTargetException;

/**
 * Creates a model from its class name, on the driver (to check it before a job starts) and on each
 * executor, with errors that name the class and say what to do.
 */
final class ModelClasses {
  private ModelClasses() {}

  /** A new instance of {@code className}, a public {@link Module} with a public no-argument constructor. */
  static Module instantiate(String className, String where) {
    Class<?> type;
    try {
      type = Class.forName(className, true, classLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("model class " + className + " is not on the classpath of the " + where
          + " (" + e + "); ship the jar that holds it with the application (spark-submit --jars, or spark.jars)", e);
    }
    if (!Module.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("model class " + className + " is not a dev.flint.nn.Module (it extends "
          + type.getSuperclass().getName() + ")");
    }
    try {
      return (Module) type.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("model class " + className
          + " has no public no-argument constructor; the " + where + " creates it by name", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("the constructor of model class " + className + " failed on the " + where
          + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("could not create model class " + className + " on the " + where + ": " + e, e);
    }
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : ModelClasses.class.getClassLoader();
  }
}

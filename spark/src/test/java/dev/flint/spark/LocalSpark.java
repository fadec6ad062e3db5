package dev.flint.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** Spark sessions for the tests, from the Maven jars alone (no Spark installation). */
final class LocalSpark {
  private LocalSpark() {}

  /** Two executor threads in this JVM; each task may be tried 4 times (for the fault tests). */
  static SparkSession local() {
    return base("local[2,4]").getOrCreate();
  }

  /**
   * Two executors in two separate JVMs ({@code local-cluster[2,1,1024]}) started from this JVM's
   * classpath, so closures, models and weights really cross process boundaries.
   */
  static SparkSession localCluster() {
    Path home = Path.of("target", "spark-home").toAbsolutePath();
    try {
      Files.createDirectories(home.resolve("jars"));   // Spark checks that $SPARK_HOME/jars exists
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return base("local-cluster[2,1,1024]")
        .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .config("spark.executorEnv.SPARK_HOME", home.toString())
        .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
        .config("spark.home", home.toString())
        .config("spark.executor.memory", "512m")
        .getOrCreate();
  }

  private static SparkSession.Builder base(String master) {
    return SparkSession.builder()
        .master(master)
        .appName("flint-spark-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2");
  }
}

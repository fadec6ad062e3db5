package dev.flint.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import javax.annotation.processing.Processor;
import javax.lang.model.SourceVersion;
import org.junit.jupiter.api.Test;

/** The processor is found by javac (AutoService) and declared isolating to Gradle. */
class RegistrationTest {
  @Test
  void javacFindsTheProcessorThroughServiceLoader() {
    boolean found = ServiceLoader.load(Processor.class, getClass().getClassLoader()).stream()
        .anyMatch(p -> p.type() == ModelProcessor.class);
    assertTrue(found);
    assertEquals(SourceVersion.latestSupported(), new ModelProcessor().getSupportedSourceVersion());
  }

  @Test
  void gradleSeesAnIsolatingProcessor() throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/gradle/incremental.annotation.processors")) {
      assertNotNull(in);
      assertEquals("dev.flint.processor.ModelProcessor,isolating", new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }
}

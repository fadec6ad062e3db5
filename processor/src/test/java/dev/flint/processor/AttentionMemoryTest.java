package dev.flint.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * Compiled attention saves one log-sum-exp per query row, never the {@code [T, T]} weights: the bytes a
 * compiled training step saves for backward (the summary's figure) double when T doubles, for causal
 * {@code F.scaledDotProductAttention} and for a causal or unmasked {@code MultiheadAttention}.
 */
class AttentionMemoryTest {

  private static String[] model(int t, String attention) {
    return new String[] {
        "package demo;",
        "import dev.flint.dsl.*;",
        "import dev.flint.nn.*;",
        "import dev.flint.nn.Module;",
        "import dev.flint.tensor.Tensor;",
        "import java.util.List;",
        "@Model(input = {" + t + ", 32})",
        "public class Att extends Module {",
        "  @Layer Linear qkv = new Linear(32, 96);",
        "  @Layer MultiheadAttention mha = new MultiheadAttention(32, 4);",
        "  @Forward",
        "  public Tensor forward(Tensor x) {",
        "    int b = x.size(0);",
        "    int t = x.size(1);",
        "    List<Tensor> p = qkv.forward(x).split(32, 2);",
        "    Tensor q = p.get(0).reshape(b, t, 4, 8).transpose(1, 2);",
        "    Tensor k = p.get(1).reshape(b, t, 4, 8).transpose(1, 2);",
        "    Tensor v = p.get(2).reshape(b, t, 4, 8).transpose(1, 2);",
        "    Tensor y = F.scaledDotProductAttention(q, k, v, true).transpose(1, 2).contiguous().view(b, t, 32);",
        "    return " + attention + ";",
        "  }",
        "}"};
  }

  /** The summary's "Saved activations per sample" in bytes. */
  private static long savedBytes(int t, String attention) throws IOException {
    Compilation c = Compile.source("demo.Att", model(t, attention));
    assertThat(c).succeeded();
    String text = c.generatedFile(StandardLocation.CLASS_OUTPUT, "demo", "CompiledAtt.summary.txt")
        .orElseThrow(() -> new AssertionError("no summary among " + c.generatedFiles()))
        .getCharContent(true).toString();
    String line = text.lines().filter(l -> l.startsWith("Saved activations per sample: ")).findFirst()
        .orElseThrow(() -> new AssertionError(text));
    return Long.parseLong(line.substring("Saved activations per sample: ".length(), line.indexOf(" bytes"))
        .replace(",", ""));
  }

  @Test
  void causalAttentionSavesMemoryLinearInT() throws IOException {
    for (String attention : new String[] {"mha.forward(y, y, y, true)", "mha.forward(y)"}) {
      long at128 = savedBytes(128, attention);
      long at256 = savedBytes(256, attention);
      long at512 = savedBytes(512, attention);
      assertEquals(2 * at128, at256, attention + ": " + at128 + " -> " + at256 + " bytes");
      assertEquals(2 * at256, at512, attention + ": " + at256 + " -> " + at512 + " bytes");
      // far below a single [4 heads, T, T] FLOAT32 matrix per sample
      assertTrue(at512 < 4L * 512 * 512 * 4, at512 + " bytes");
    }
  }
}

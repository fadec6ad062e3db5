package dev.flint.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.compiled.ForwardGraph;
import dev.flint.nn.CompiledModel;
import dev.flint.nn.Module;
import dev.flint.onnx.models.CompiledExportAttention;
import dev.flint.onnx.models.CompiledExportCnn;
import dev.flint.onnx.models.CompiledExportConv1d;
import dev.flint.onnx.models.CompiledExportGpt;
import dev.flint.onnx.models.CompiledExportRecurrent;
import dev.flint.onnx.models.CompiledExportJoin;
import dev.flint.onnx.models.CompiledExportMath;
import dev.flint.onnx.models.CompiledExportMha;
import dev.flint.onnx.models.CompiledExportMlp;
import dev.flint.onnx.models.CompiledExportResidual;
import dev.flint.onnx.models.CompiledExportTokens;
import dev.flint.tensor.DType;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each test model, compiled by the processor, is exported and run in ONNX Runtime at two batch sizes
 * (and two sequence lengths where it has one); the outputs match Flint's evaluation forward within
 * 1e-5. Where Debian's python3-onnx is installed, {@code onnx.checker} (full check, with shape
 * inference) accepts each file too.
 */
class OnnxExportTest {
  @TempDir Path dir;

  @Test
  void mlpWithEveryActivation() throws Exception {
    check(new CompiledExportMlp(), "x", b -> Tensor.randn(b, 6));
  }

  @Test
  void cnnWithBatchNormPoolsDropoutAndFlatten() throws Exception {
    CompiledExportCnn model = new CompiledExportCnn();
    trainRunningStats(model, Tensor.randn(8, 2, 12, 12).mul(2).add(0.5));
    check(model, "x", b -> Tensor.randn(b, 2, 12, 12));
  }

  @Test
  void residualBlocksAndElementwiseMath() throws Exception {
    CompiledExportResidual model = new CompiledExportResidual();
    trainRunningStats(model, Tensor.randn(16, 8).mul(3).sub(1));
    check(model, "x", b -> Tensor.randn(b, 8));
  }

  @Test
  void sinCosFloorCeilRoundAndContiguous() throws Exception {
    check(new CompiledExportMath(), "x", b -> Tensor.randn(b, 5));
  }

  @Test
  void catStackSplitNarrowIndexAndViews() throws Exception {
    check(new CompiledExportJoin(), "x", b -> Tensor.randn(b, 4, 6));
  }

  @Test
  void embeddingLayerNormAndSoftmaxOverTokensOfAnyLength() throws Exception {
    CompiledExportTokens model = new CompiledExportTokens();
    Path file = export(model);
    for (int[] bt : new int[][] {{2, 3}, {5, 7}}) {
      OnnxRuntimeCheck.assertSameOutputs(model, file, "tokens", Tensor.randint(0, 10, bt[0], bt[1]));
    }
    OnnxChecker.assertValid(file);
  }

  @Test
  void attentionWithSymbolicSequenceLength() throws Exception {
    CompiledExportAttention model = new CompiledExportAttention();
    Path file = export(model);
    for (int[] bt : new int[][] {{2, 3}, {5, 7}}) {
      OnnxRuntimeCheck.assertSameOutputs(model, file, "x", Tensor.randn(bt[0], bt[1], 12));
    }
    OnnxChecker.assertValid(file);
  }

  @Test
  void conv1dWithPaddingAndStride() throws Exception {
    check(new CompiledExportConv1d(), "x", b -> Tensor.randn(b, 4, 10));
  }

  /**
   * A model moved to FLOAT64 exports DOUBLE initializers and takes DOUBLE inputs; ORT agrees to 1e-12.
   * (ONNX Runtime's CPU provider has no DOUBLE Conv, so the convolutional models are checked in FLOAT32.)
   */
  @Test
  void float64ModelsExportInDouble() throws Exception {
    CompiledExportResidual model = new CompiledExportResidual();
    trainRunningStats(model, Tensor.randn(16, 8));
    model.to(DType.FLOAT64);
    check(model, "x", b -> Tensor.randn(b, 8).to(DType.FLOAT64));
  }

  /** Causal self-attention (F.scaledDotProductAttention), a ModuleList of blocks, positions narrowed to T, a tied head. */
  @Test
  void gptWithCausalAttentionOverAnyLength() throws Exception {
    CompiledExportGpt model = new CompiledExportGpt();
    Path file = export(model);
    for (int[] bt : new int[][] {{2, 3}, {3, 8}}) {
      OnnxRuntimeCheck.assertSameOutputs(model, file, "idx", Tensor.randint(0, 10, bt[0], bt[1]));
    }
    OnnxChecker.assertValid(file);
  }

  /** A GRU and a two-layer LSTM over T steps (Scan over the time axis), residual and mean over T. */
  @Test
  void gruAndLstmOverAnyLength() throws Exception {
    CompiledExportRecurrent model = new CompiledExportRecurrent();
    Path file = export(model);
    for (int[] bt : new int[][] {{2, 3}, {5, 9}}) {
      OnnxRuntimeCheck.assertSameOutputs(model, file, "x", Tensor.randn(bt[0], bt[1], 4));
    }
    OnnxChecker.assertValid(file);
  }

  @Test
  void multiheadAttentionOverAnyLength() throws Exception {
    CompiledExportMha model = new CompiledExportMha();
    Path file = export(model);
    for (int[] bt : new int[][] {{2, 3}, {5, 9}}) {
      OnnxRuntimeCheck.assertSameOutputs(model, file, "x", Tensor.randn(bt[0], bt[1], 8));
    }
    OnnxChecker.assertValid(file);
  }

  @Test
  void initializersAreTheStateDictAndSizesAreSymbolic() {
    CompiledExportAttention model = new CompiledExportAttention();
    ForwardGraph graph = model.forwardGraph();
    assertEquals(List.of("B", "T", "12"), graph.inputs().get(0).dims());
    assertEquals(List.of("qkv.weight", "qkv.bias", "norm.weight", "norm.bias", "head.weight", "head.bias"),
        graph.states().stream().map(ForwardGraph.State::key).toList());
    String text = new String(Onnx.toBytes(model), java.nio.charset.StandardCharsets.ISO_8859_1);
    for (String key : model.stateDict().keySet()) {
      assertTrue(text.contains(key), "an initializer named " + key);
    }
  }

  /** The README's export → ONNX Runtime example, as written there (values by getValue()). */
  @Test
  void readmeExample() throws Exception {
    CompiledExportMlp model = new CompiledExportMlp();
    Path file = dir.resolve("mlp.onnx");
    Onnx.export(model, file);
    int batch = 3;
    float[] pixels = Tensor.randn(batch, 6).toFloatArray();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
        OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {batch, 6});
        OrtSession.Result result = session.run(Map.of("x", x))) {
      float[][] logits = (float[][]) result.get(0).getValue();
      model.eval();
      float[] expected = Autograd.noGrad(() -> model.forward(Tensor.of(pixels, batch, 6))).toFloatArray();
      for (int i = 0; i < batch; i++) {
        for (int j = 0; j < 5; j++) {
          assertEquals(expected[i * 5 + j], logits[i][j], 1e-5);
        }
      }
    }
  }

  /** A few training steps' forwards, so batch norm's running statistics are not the initial 0 and 1. */
  private static void trainRunningStats(Module model, Tensor x) {
    model.train();
    Autograd.noGrad(() -> {
      for (int i = 0; i < 3; i++) {
        model.forward(x);
      }
    });
    model.eval();
  }

  private void check(Module model, String input, IntFunction<Tensor> inputs) throws Exception {
    Path file = export(model);
    for (int batch : new int[] {2, 5}) {
      OnnxRuntimeCheck.assertSameOutputs(model, file, input, inputs.apply(batch));
    }
    OnnxChecker.assertValid(file);
  }

  private Path export(Module model) throws Exception {
    Generator.seedAll(7);
    Path file = dir.resolve(((CompiledModel) model).forwardGraph().model() + ".onnx");
    Onnx.export(model, file);
    assertTrue(Files.size(file) > 0);
    return file;
  }
}

package dev.flint.layers;

import dev.flint.ops.Algebra;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every layer the compiler knows, described once: its class in {@code dev.flint.nn}, its constructor
 * parameters with names and defaults, its parameters and buffers with their shapes as functions of
 * the arguments ({@link #state}), what it expects of its input ({@link #expects}), and its forward,
 * written against {@link Algebra} and a {@link LayerContext} so that eager modules run it on tensors
 * and the annotation processor traces it into op-table rows. {@code LayerSpecTest} checks each row
 * against its module (constructors, fields, state dict, outputs).
 */
public enum LayerSpec {
  /** {@code y = x·Wᵀ + b}. */
  LINEAR("Linear", Input.FLOATING, Param.required("inFeatures", Param.Kind.INT),
      Param.required("outFeatures", Param.Kind.INT), Param.optional("bias", Param.Kind.BOOL, true)) {
    @Override
    public List<StateSpec> state(LayerArgs a) {
      return withBias(a.bool("bias"), StateSpec.param("weight", a.integer("outFeatures"), a.integer("inFeatures")),
          a.integer("outFeatures"));
    }

    @Override
    public String expects(LayerArgs a, int[] s) {
      int in = a.integer("inFeatures");
      return s.length < 2 ? "input [B, " + in + "]" : s[s.length - 1] != in ? "last dim " + in : null;
    }

    @Override
    public int[] sampleShape(LayerArgs a) {
      return new int[] {a.integer("inFeatures")};
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      T y = Composites.matmulTransposed(ops, x, layer.state("weight"));
      return Composites.bias(ops, y, layer.has("bias") ? layer.state("bias") : null);
    }

    @Override
    public String describe(List<String> args) {
      return args.size() >= 2 ? className() + " " + args.get(0) + "→" + args.get(1) : className();
    }
  },
  /** {@code max(x, 0)}. */
  RELU("ReLU", Input.FLOATING) {
    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return ops.relu(x);
    }
  },
  /** {@code 1 / (1 + e^-x)}. */
  SIGMOID("Sigmoid", Input.FLOATING) {
    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return ops.sigmoid(x);
    }
  },
  /** The hyperbolic tangent. */
  TANH("Tanh", Input.FLOATING) {
    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return ops.tanh(x);
    }
  },
  /** GELU, exact ({@code "none"}) or with the tanh approximation. */
  GELU("GELU", Input.ANY, Param.optional("approximate", Param.Kind.TEXT, "none")) {
    @Override
    void validate(LayerArgs a) {
      String approximate = a.text("approximate");
      if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
        throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", but got \"" + approximate + "\"");
      }
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return Composites.gelu(ops, x, a.text("approximate").equals("tanh"));
    }
  },
  /** {@code x} where positive, else {@code negativeSlope·x}. */
  LEAKY_RELU("LeakyReLU", Input.ANY, Param.optional("negativeSlope", Param.Kind.REAL, 0.01)) {
    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return ops.mul(x, layer.leakyReluSlopes(x, a.real("negativeSlope")));
    }
  },
  /** Softmax along {@code dim}. */
  SOFTMAX("Softmax", Input.ANY, Param.required("dim", Param.Kind.DIM)) {
    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return ops.softmax(x, Composites.dim(a.integer("dim"), layer.shape(x).length));
    }
  },
  /** Log-softmax along {@code dim}. */
  LOG_SOFTMAX("LogSoftmax", Input.ANY, Param.required("dim", Param.Kind.DIM)) {
    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return ops.logSoftmax(x, Composites.dim(a.integer("dim"), layer.shape(x).length));
    }
  },
  /** Inverted dropout in training; the identity in evaluation. */
  DROPOUT("Dropout", Input.ANY, Param.optional("p", Param.Kind.REAL, 0.5)) {
    @Override
    void validate(LayerArgs a) {
      double p = a.real("p");
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
      }
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      double p = a.real("p");
      return Composites.dropout(ops, x, p, layer.training(), () -> layer.dropoutMask(x, p));
    }
  },
  /** Batch normalization of {@code [N, C]} or {@code [N, C, L]} per channel. */
  BATCH_NORM_1D("BatchNorm1d", Input.ANY, batchNormParams()) {
    @Override
    public List<StateSpec> state(LayerArgs a) {
      return batchNormState(a);
    }

    @Override
    public String expects(LayerArgs a, int[] s) {
      int c = a.integer("numFeatures");
      return (s.length == 2 || s.length == 3) && s[1] == c ? null : "input [B, " + c + "] or [B, " + c + ", L]";
    }

    @Override
    public int[] sampleShape(LayerArgs a) {
      return new int[] {a.integer("numFeatures")};
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return batchNorm(ops, layer, a, x);
    }
  },
  /** Batch normalization of {@code [N, C, H, W]} per channel. */
  BATCH_NORM_2D("BatchNorm2d", Input.ANY, batchNormParams()) {
    @Override
    public List<StateSpec> state(LayerArgs a) {
      return batchNormState(a);
    }

    @Override
    public String expects(LayerArgs a, int[] s) {
      int c = a.integer("numFeatures");
      return s.length == 4 && s[1] == c ? null : "input [B, " + c + ", H, W]";
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return batchNorm(ops, layer, a, x);
    }
  },
  /** Layer normalization over the trailing {@code normalizedShape} dims. */
  LAYER_NORM("LayerNorm", Input.ANY, Param.required("normalizedShape", Param.Kind.INTS),
      Param.optional("eps", Param.Kind.REAL, 1e-5), Param.optional("elementwiseAffine", Param.Kind.BOOL, true)) {
    @Override
    public List<StateSpec> state(LayerArgs a) {
      int[] shape = a.integers("normalizedShape");
      return a.bool("elementwiseAffine") ? List.of(StateSpec.param("weight", shape), StateSpec.param("bias", shape)) : List.of();
    }

    @Override
    public String expects(LayerArgs a, int[] s) {
      int[] n = a.integers("normalizedShape");
      boolean fits = s.length >= n.length;
      for (int i = 0; fits && i < n.length; i++) {
        fits = s[s.length - n.length + i] == n[i];
      }
      return fits ? null : "trailing dims " + Arrays.toString(n);
    }

    @Override
    public int[] sampleShape(LayerArgs a) {
      return a.integers("normalizedShape");
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return Composites.layerNorm(ops, layer, x, layer.shape(x), a.integers("normalizedShape"), a.real("eps"),
          layer.has("weight") ? layer.state("weight") : null, layer.has("bias") ? layer.state("bias") : null);
    }
  },
  /** 2-D convolution with square filters, equal stride and zero padding. */
  CONV2D("Conv2d", Input.FLOATING, Param.required("inChannels", Param.Kind.INT),
      Param.required("outChannels", Param.Kind.INT), Param.required("kernelSize", Param.Kind.INT),
      Param.optional("stride", Param.Kind.INT, 1), Param.optional("padding", Param.Kind.INT, 0),
      Param.optional("bias", Param.Kind.BOOL, true)) {
    @Override
    public List<StateSpec> state(LayerArgs a) {
      int k = a.integer("kernelSize");
      return withBias(a.bool("bias"),
          StateSpec.param("weight", a.integer("outChannels"), a.integer("inChannels"), k, k), a.integer("outChannels"));
    }

    @Override
    public String expects(LayerArgs a, int[] s) {
      int c = a.integer("inChannels");
      return s.length == 4 && s[1] == c ? null : "input [B, " + c + ", H, W]";
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return Composites.conv2d(ops, x, layer.shape(x), layer.state("weight"), a.integer("outChannels"),
          a.integer("kernelSize"), layer.has("bias") ? layer.state("bias") : null, a.integer("stride"),
          a.integer("padding"));
    }

    @Override
    public String describe(List<String> args) {
      return args.size() >= 3 ? className() + " " + args.get(0) + "→" + args.get(1) + " k" + args.get(2) : className();
    }
  },
  /** 1-D convolution of {@code [N, C, L]} with zero padding. */
  CONV1D("Conv1d", Input.FLOATING, Param.required("inChannels", Param.Kind.INT),
      Param.required("outChannels", Param.Kind.INT), Param.required("kernelSize", Param.Kind.INT),
      Param.optional("stride", Param.Kind.INT, 1), Param.optional("padding", Param.Kind.INT, 0),
      Param.optional("bias", Param.Kind.BOOL, true)) {
    @Override
    public List<StateSpec> state(LayerArgs a) {
      return withBias(a.bool("bias"), StateSpec.param("weight", a.integer("outChannels"), a.integer("inChannels"),
          a.integer("kernelSize")), a.integer("outChannels"));
    }

    @Override
    public String expects(LayerArgs a, int[] s) {
      int c = a.integer("inChannels");
      return (s.length == 3 || s.length == 2) && s[s.length - 2] == c ? null : "input [B, " + c + ", L]";
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return Composites.conv1d(ops, x, layer.shape(x), layer.state("weight"), a.integer("outChannels"),
          a.integer("kernelSize"), layer.has("bias") ? layer.state("bias") : null, a.integer("stride"),
          a.integer("padding"));
    }

    @Override
    public String describe(List<String> args) {
      return CONV2D.describe(args).replace(CONV2D.className(), className());
    }
  },
  /**
   * A multi-layer LSTM, batch first: {@code [B, T, inputSize] -> [B, T, hiddenSize]} (the output sequence) from
   * zero initial states; per layer one product for all steps' input projections, then the fused step loop.
   */
  LSTM("LSTM", Input.FLOATING, recurrentParams()) {
    @Override
    void validate(LayerArgs a) {
      validateRecurrent(this, a);
    }

    @Override
    public List<StateSpec> state(LayerArgs a) {
      return recurrentState(a, 4);
    }

    @Override
    public String expects(LayerArgs a, int[] s) {
      return recurrentInput(a, s);
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return recurrent(ops, layer, a, x, true);
    }

    @Override
    public List<String> recordComponents(int more) {
      return more == 2 ? List.of("output", "hn", "cn") : null;
    }

    @Override
    public <T> List<T> forwardRecord(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x, List<Object> more) {
      return recurrentWithStates(this, ops, layer, a, x, more, true);
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x, List<Object> more) {
      if (!more.isEmpty()) {
        throw new UnsupportedOperationException(className() + ".forward(x) → Tensor, and forward(x, h0, c0) → LSTM.Output (h0, c0 [numLayers, B, hidden] or null)");
      }
      return forward(ops, layer, a, x);
    }

    @Override
    public String describe(List<String> args) {
      return describeRecurrent(this, args);
    }
  },
  /** A multi-layer GRU, batch first: {@code [B, T, inputSize] -> [B, T, hiddenSize]}, as {@link #LSTM}. */
  GRU("GRU", Input.FLOATING, recurrentParams()) {
    @Override
    void validate(LayerArgs a) {
      validateRecurrent(this, a);
    }

    @Override
    public List<StateSpec> state(LayerArgs a) {
      return recurrentState(a, 3);
    }

    @Override
    public String expects(LayerArgs a, int[] s) {
      return recurrentInput(a, s);
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return recurrent(ops, layer, a, x, false);
    }

    @Override
    public List<String> recordComponents(int more) {
      return more == 1 ? List.of("output", "hn") : null;
    }

    @Override
    public <T> List<T> forwardRecord(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x, List<Object> more) {
      return recurrentWithStates(this, ops, layer, a, x, more, false);
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x, List<Object> more) {
      if (!more.isEmpty()) {
        throw new UnsupportedOperationException(className() + ".forward(x) → Tensor, and forward(x, h0) → GRU.Output (h0 [numLayers, B, hidden] or null)");
      }
      return forward(ops, layer, a, x);
    }

    @Override
    public String describe(List<String> args) {
      return describeRecurrent(this, args);
    }
  },
  /**
   * Batch-first multi-head attention, {@code [B, T, E] -> [B, T, E]}, self- or cross-attention (key and value
   * {@code [B, S, E]}), masked or not, without the
   * attention weights (PyTorch's {@code need_weights=False}). Compiled as its steps
   * ({@link Composites#selfAttention}, {@link Composites#crossAttention}): the fused attention row without a
   * mask or with the causal one, the composition with an explicit or padding mask; the eager module runs the
   * fused kernel.
   */
  MULTIHEAD_ATTENTION("MultiheadAttention", Input.FLOATING, Param.required("embedDim", Param.Kind.INT),
      Param.required("numHeads", Param.Kind.INT)) {
    @Override
    void validate(LayerArgs a) {
      int e = a.integer("embedDim");
      int h = a.integer("numHeads");
      if (e <= 0 || h <= 0 || e % h != 0) {
        throw new IllegalArgumentException("MultiheadAttention: embed_dim (" + e + ") must be divisible by num_heads ("
            + h + "), both positive");
      }
    }

    @Override
    public List<StateSpec> state(LayerArgs a) {
      int e = a.integer("embedDim");
      return List.of(new StateSpec("inProjWeight", "in_proj_weight", false, false, new int[] {3 * e, e}),
          new StateSpec("inProjBias", "in_proj_bias", false, false, new int[] {3 * e}),
          new StateSpec("outProj.weight", "out_proj.weight", false, false, new int[] {e, e}),
          new StateSpec("outProj.bias", "out_proj.bias", false, false, new int[] {e}));
    }

    @Override
    public String expects(LayerArgs a, int[] s) {
      int e = a.integer("embedDim");
      return s.length == 3 && s[2] == e ? null : "input [B, T, " + e + "] (batch first)";
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return forward(ops, layer, a, x, List.of());
    }

    /**
     * {@code forward(x)}, and attention of query x over a key and value with masks: {@code forward(x, k, v,
     * attnMask)} with a {@code [T, S]} mask (BOOL: true where a query may not attend, as the module's;
     * floating: added to the scores), {@code forward(x, k, v, keyPaddingMask, attnMask)} with a {@code [B, S]}
     * key padding mask (BOOL: true for a padding key; either mask may be null), or {@code forward(x, k, v,
     * isCausal)}. Self-attention when k and v are x (one product for the three projections); else
     * cross-attention, k and v {@code [B, S, E]} (S may differ from T; causal only where S is T).
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x, List<Object> more) {
      int[] s = layer.shape(x);
      T mask = null;
      T key = x;
      T value = x;
      boolean causal = false;
      if (!more.isEmpty()) {
        Object k = more.isEmpty() ? null : more.get(0);
        Object v = more.size() < 2 ? null : more.get(1);
        if (more.size() < 3 || more.size() > 4 || k == null || v == null || k instanceof Boolean || v instanceof Boolean) {
          throw new UnsupportedOperationException("MultiheadAttention's forward(x), and forward(query, key, value, "
              + "attnMask), forward(query, key, value, keyPaddingMask, attnMask) or forward(query, key, value, isCausal)"
              + " with tensors as query, key and value");
        }
        key = (T) k;
        value = (T) v;
      }
      int[] kv = layer.shape(key);
      int e = a.integer("embedDim");
      if (!Arrays.equals(kv, layer.shape(value)) || kv.length != 3 || kv[0] != s[0] || kv[2] != e) {
        throw new IllegalArgumentException("MultiheadAttention: key and value must be [B, S, " + e + "] with the "
            + "query's B and one S for both, but got query " + layer.dims().str(s) + ", key " + layer.dims().str(kv)
            + " and value " + layer.dims().str(layer.shape(value)));
      }
      if (!more.isEmpty()) {
        Object last = more.get(more.size() - 1);
        if (last instanceof Boolean isCausal && isCausal && kv[1] != s[1]) {
          throw new UnsupportedOperationException("MultiheadAttention's isCausal with a key as long as the query (here"
              + " S is " + layer.dims().show(kv[1]) + " and T is " + layer.dims().show(s[1]) + "); pass a [T, S] attnMask"
              + " for keys of another length");
        } else if (last instanceof Boolean isCausal) {
          causal = isCausal;
        } else if (last != null) {
          mask = layer.attentionBias(checkedMask(layer, (T) last, "attnMask", new int[] {s[1], kv[1]}), x);
        }
        if (more.size() == 4 && more.get(2) != null) {
          T pad = layer.attentionBias(checkedMask(layer, (T) more.get(2), "keyPaddingMask", new int[] {s[0], kv[1]}), x);
          pad = ops.reshape(pad, new int[] {s[0], 1, 1, kv[1]});
          if (causal) {   // the fused row has no padding mask: both as one additive mask
            mask = layer.causalBias(x);
            causal = false;
          }
          mask = mask == null ? pad : ops.add(mask, pad);
        }
      }
      if (key == x && value == x) {
        return Composites.selfAttention(ops, x, s, a.integer("numHeads"), layer.state("inProjWeight"),
            layer.state("inProjBias"), layer.state("outProj.weight"), layer.state("outProj.bias"), mask, causal);
      }
      return Composites.crossAttention(ops, x, key, value, s, kv, a.integer("numHeads"), layer.state("inProjWeight"),
          layer.state("inProjBias"), layer.state("outProj.weight"), layer.state("outProj.bias"), mask, causal);
    }

    @Override
    public String describe(List<String> args) {
      return args.size() < 2 ? className() : className() + " " + args.get(0) + ", " + args.get(1) + " heads";
    }
  },
  /** The maximum of each {@code kernelSize²} window. */
  MAX_POOL2D("MaxPool2d", Input.ANY, poolParams()) {
    @Override
    public String expects(LayerArgs a, int[] s) {
      return poolInput(s);
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return ops.maxPool2d(x, window(a, "kernelSize"), window(a, "stride"), window(a, "padding"));
    }
  },
  /** The mean of each {@code kernelSize²} window (zero padding counts). */
  AVG_POOL2D("AvgPool2d", Input.ANY, poolParams()) {
    @Override
    public String expects(LayerArgs a, int[] s) {
      return poolInput(s);
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return ops.avgPool2d(x, window(a, "kernelSize"), window(a, "stride"), window(a, "padding"));
    }
  },
  /** Merges dims {@code startDim..endDim} into one. */
  FLATTEN("Flatten", Input.ANY, Param.optional("startDim", Param.Kind.DIM, 1),
      Param.optional("endDim", Param.Kind.DIM, -1)) {
    @Override
    public String expects(LayerArgs a, int[] s) {
      int r = Math.max(s.length, 1);
      int start = a.integer("startDim");
      int end = a.integer("endDim");
      boolean ok = start >= -r && start < r && end >= -r && end < r && Composites.dim(start, s.length) <= Composites.dim(end, s.length);
      return ok ? null : "start_dim " + start + " <= end_dim " + end + ", both dims of the input";
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      int[] s = layer.shape(x);
      int start = Composites.dim(a.integer("startDim"), s.length);
      int end = Composites.dim(a.integer("endDim"), s.length);
      return ops.reshape(x, Composites.flattened(layer, s, start, end));
    }
  },
  /** Rows of a table picked by integer indices. */
  EMBEDDING("Embedding", Input.INDICES, Param.required("numEmbeddings", Param.Kind.INT),
      Param.required("embeddingDim", Param.Kind.INT),
      Param.optional("paddingIdx", Param.Kind.INT, Integer.MIN_VALUE)) {   // Embedding.NO_PADDING
    @Override
    void validate(LayerArgs a) {
      if (a.integer("paddingIdx") != Integer.MIN_VALUE) {   // its gradient mask needs a detach the op table lacks
        throw new IllegalArgumentException("Embedding with a paddingIdx runs eagerly only; it does not compile yet");
      }
    }

    @Override
    public List<StateSpec> state(LayerArgs a) {
      return List.of(StateSpec.param("weight", a.integer("numEmbeddings"), a.integer("embeddingDim")));
    }

    @Override
    public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
      return Composites.embedding(ops, x, layer.shape(x), layer.state("weight"), a.integer("embeddingDim"));
    }

    @Override
    public String describe(List<String> args) {
      return LINEAR.describe(args).replace(LINEAR.className(), className());
    }
  };

  /** What a layer accepts as input. */
  public enum Input {
    /** Floating-point values. */
    FLOATING,
    /** Integer indices (INT64 or INT32). */
    INDICES,
    /** Any dtype its ops accept. */
    ANY
  }

  /** The package of the modules these specs describe. */
  public static final String NN_PACKAGE = "dev.flint.nn";

  private final String className;
  private final Input input;
  private final List<Param> params;

  LayerSpec(String className, Input input, Param... params) {
    this.className = className;
    this.input = input;
    this.params = List.of(params);
  }

  /** The spec of the module class {@code qualifiedName} ({@code dev.flint.nn.Linear}), or null when the compiler does not know it. */
  public static LayerSpec forClass(String qualifiedName) {
    for (LayerSpec s : values()) {
      if (qualifiedName.equals(NN_PACKAGE + "." + s.className)) {
        return s;
      }
    }
    return null;
  }

  /** The module's simple class name in {@code dev.flint.nn}. */
  public String className() {
    return className;
  }

  public Input input() {
    return input;
  }

  /** The constructor parameters in order (each public constructor takes a prefix of them). */
  public List<Param> params() {
    return params;
  }

  /** Binds positional constructor arguments (see {@link LayerArgs#bind}). */
  public LayerArgs bind(Object... positional) {
    return LayerArgs.bind(this, Arrays.asList(positional));
  }

  /** The layer's parameters and buffers for these arguments, in registration order. */
  public List<StateSpec> state(LayerArgs a) {
    return List.of();
  }

  /** What the layer expects of an input of shape {@code s} ({@code "last dim 10"}), or null when it fits. */
  public String expects(LayerArgs a, int[] s) {
    return null;
  }

  /**
   * The shape of one input sample when this layer alone fixes it (a Linear's {@code [inFeatures]}),
   * else null: how the processor types a model's input when {@code @Model} does not give it.
   */
  public int[] sampleShape(LayerArgs a) {
    return null;
  }

  /** The output for input {@code x}: the layer's math in the rows of {@code ops}. */
  public abstract <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x);

  /**
   * The output of {@code forward(x, more...)}: {@code more} holds the further arguments in order, values
   * of type T or constants ({@code Boolean}). Fails with an {@link UnsupportedOperationException} naming
   * the forms it takes when the layer has no such form.
   */
  public <T> T forward(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x, List<Object> more) {
    if (!more.isEmpty()) {
      throw new UnsupportedOperationException(className + ".forward(x) with one tensor");
    }
    return forward(ops, layer, a, x);
  }

  /**
   * The accessors of the record that {@code forward(x, more...)} returns when given {@code more} further
   * arguments ({@code LSTM.Output}: output, hn, cn), in order; null when that form returns a tensor.
   */
  public List<String> recordComponents(int more) {
    return null;
  }

  /** The record's type as Java names it ({@code LSTM.Output}), for messages and comments. */
  public String recordType() {
    return className + ".Output";
  }

  /**
   * The components of the record that {@code forward(x, more...)} returns, in the order of
   * {@link #recordComponents}; only for a form that {@link #recordComponents} names.
   */
  public <T> List<T> forwardRecord(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x, List<Object> more) {
    throw new UnsupportedOperationException(className + ".forward(x, ...) returns no record");
  }

  /** How messages name the layer, from its arguments as written: {@code Linear 10→20}, {@code Dropout 0.5}. */
  public String describe(List<String> args) {
    return args.isEmpty() ? className : className + " " + String.join(", ", args);
  }

  /** Fails with an {@link IllegalArgumentException} when the bound arguments are out of range. */
  void validate(LayerArgs a) {}

  private static List<StateSpec> withBias(boolean bias, StateSpec weight, int outFeatures) {
    List<StateSpec> state = new ArrayList<>();
    state.add(weight);
    if (bias) {
      state.add(StateSpec.param("bias", outFeatures));
    }
    return state;
  }

  private static Param[] batchNormParams() {
    return new Param[] {Param.required("numFeatures", Param.Kind.INT), Param.optional("eps", Param.Kind.REAL, 1e-5),
        Param.optional("momentum", Param.Kind.REAL, 0.1), Param.optional("affine", Param.Kind.BOOL, true),
        Param.optional("trackRunningStats", Param.Kind.BOOL, true)};
  }

  private static List<StateSpec> batchNormState(LayerArgs a) {
    int c = a.integer("numFeatures");
    List<StateSpec> state = new ArrayList<>();
    if (a.bool("affine")) {
      state.add(StateSpec.param("weight", c));
      state.add(StateSpec.param("bias", c));
    }
    if (a.bool("trackRunningStats")) {
      state.add(StateSpec.buffer("runningMean", "running_mean", c));
      state.add(StateSpec.buffer("runningVar", "running_var", c));
      state.add(StateSpec.counter("numBatchesTracked", "num_batches_tracked"));
    }
    return state;
  }

  /**
   * Batch norm: batch statistics in training (moving the running ones, when tracked) and in
   * evaluation without running statistics; the running statistics otherwise; then weight and bias.
   */
  private static <T> T batchNorm(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x) {
    int[] s = layer.shape(x);
    int[] s3 = Composites.asNcl(layer, s);
    boolean tracked = layer.has("runningMean") && layer.has("runningVar");
    boolean batchStats = layer.training() || !tracked;
    T rm = batchStats ? null : layer.state("runningMean");
    T rv = batchStats ? null : layer.state("runningVar");
    T x3 = ops.reshape(x, s3);
    double momentum = a.real("momentum");
    T y = Composites.batchNormalize(ops, layer, x3, s3, batchStats, rm, rv, a.real("eps"),
        layer.training() && tracked ? (mean, var) -> layer.updateRunningStats(x3, mean, var, momentum) : null);
    y = Composites.channelAffine(ops, y, s3[1], layer.has("weight") ? layer.state("weight") : null,
        layer.has("bias") ? layer.state("bias") : null);
    return ops.reshape(y, s);
  }

  /** {@code mask}, when its shape is {@code expected}; else an IllegalArgumentException naming both. */
  private static <T> T checkedMask(LayerContext<T> layer, T mask, String name, int[] expected) {
    int[] ms = layer.shape(mask);
    if (!Arrays.equals(ms, expected)) {
      throw new IllegalArgumentException("MultiheadAttention: " + name + " must be "
          + (name.equals("attnMask") ? "[T, S] = " : "[B, S] = ") + layer.dims().str(expected) + ", but got "
          + layer.dims().str(ms));
    }
    return mask;
  }

  private static Param[] recurrentParams() {
    return new Param[] {Param.required("inputSize", Param.Kind.INT), Param.required("hiddenSize", Param.Kind.INT),
        Param.optional("numLayers", Param.Kind.INT, 1)};
  }

  private static void validateRecurrent(LayerSpec spec, LayerArgs a) {
    if (a.integer("inputSize") <= 0 || a.integer("hiddenSize") <= 0 || a.integer("numLayers") <= 0) {
      throw new IllegalArgumentException(spec.className + ": input_size, hidden_size and num_layers must be positive, "
          + "but got " + a.integer("inputSize") + ", " + a.integer("hiddenSize") + " and " + a.integer("numLayers"));
    }
  }

  /**
   * PyTorch's {@code weight_ih_l<k>}, {@code weight_hh_l<k>}, {@code bias_ih_l<k>}, {@code bias_hh_l<k>} per
   * layer, read through the module's accessors ({@code weightIh(k)}).
   */
  private static List<StateSpec> recurrentState(LayerArgs a, int gates) {
    int h = a.integer("hiddenSize");
    List<StateSpec> state = new ArrayList<>();
    for (int k = 0; k < a.integer("numLayers"); k++) {
      int in = k == 0 ? a.integer("inputSize") : h;
      state.add(new StateSpec("weightIh(" + k + ")", "weight_ih_l" + k, false, false, new int[] {gates * h, in}));
      state.add(new StateSpec("weightHh(" + k + ")", "weight_hh_l" + k, false, false, new int[] {gates * h, h}));
      state.add(new StateSpec("biasIh(" + k + ")", "bias_ih_l" + k, false, false, new int[] {gates * h}));
      state.add(new StateSpec("biasHh(" + k + ")", "bias_hh_l" + k, false, false, new int[] {gates * h}));
    }
    return state;
  }

  private static String recurrentInput(LayerArgs a, int[] s) {
    int in = a.integer("inputSize");
    return s.length == 3 && s[2] == in ? null : "input [B, T, " + in + "] (batch first)";
  }

  /** The output sequence of the last layer, from zero initial states. */
  private static <T> T recurrent(Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x, boolean lstm) {
    int[] s = layer.shape(x);
    int h = a.integer("hiddenSize");
    List<T> params = new ArrayList<>();
    List<T> zeros = new ArrayList<>();
    T zero = layer.zeroState(x, h);
    for (int k = 0; k < a.integer("numLayers"); k++) {
      for (String name : new String[] {"weightIh", "weightHh", "biasIh", "biasHh"}) {
        params.add(layer.state(name + "(" + k + ")"));
      }
      zeros.add(zero);
    }
    List<T> scans = Composites.recurrent(ops, lstm, x, params, zeros, zeros, s, h);
    return Composites.scanSlot(ops, scans.get(scans.size() - 1), lstm ? Composites.LSTM_H : Composites.GRU_H, s[0],
        s[1], h);
  }

  /**
   * {@code forward(x, h0, c0)} of an LSTM or {@code forward(x, h0)} of a GRU: the output sequence and the final
   * states, from the given initial states ({@code [numLayers, B, hidden]}, checked) or zeros where null.
   */
  @SuppressWarnings("unchecked")
  private static <T> List<T> recurrentWithStates(LayerSpec spec, Algebra<T> ops, LayerContext<T> layer, LayerArgs a, T x,
      List<Object> more, boolean lstm) {
    int[] s = layer.shape(x);
    int h = a.integer("hiddenSize");
    int[] expected = {a.integer("numLayers"), s[0], h};
    List<T> states = new ArrayList<>();
    for (int i = 0; i < more.size(); i++) {
      String name = i == 0 ? "h0" : "c0";
      Object m = more.get(i);
      if (m instanceof Boolean) {
        throw new UnsupportedOperationException(spec.className + "'s " + name + " as a tensor or null, not " + m);
      }
      T state = (T) m;
      if (state != null && !Arrays.equals(layer.shape(state), expected)) {
        throw new IllegalArgumentException(spec.className + ": " + name + " must be [num_layers, B, hidden_size] = "
            + layer.dims().str(expected) + ", but got " + layer.dims().str(layer.shape(state)));
      }
      states.add(state);
    }
    List<T> params = new ArrayList<>();
    for (int k = 0; k < a.integer("numLayers"); k++) {
      for (String name : new String[] {"weightIh", "weightHh", "biasIh", "biasHh"}) {
        params.add(layer.state(name + "(" + k + ")"));
      }
    }
    return Composites.recurrentWithStates(ops, layer, lstm, x, params, states.get(0), lstm ? states.get(1) : null,
        () -> layer.zeroState(x, h), s, h);
  }

  private static String describeRecurrent(LayerSpec spec, List<String> args) {
    if (args.size() < 2) {
      return spec.className;
    }
    return spec.className + " " + args.get(0) + "→" + args.get(1) + (args.size() > 2 ? " ×" + args.get(2) : "");
  }

  private static String poolInput(int[] s) {
    return s.length == 4 ? null : "input [N, C, H, W]";
  }

  /** A pool's square {@code kernelSize}, {@code stride} or {@code padding} as (h, w). */
  private static int[] window(LayerArgs a, String param) {
    return Composites.pair(a.integer(param));
  }

  private static Param[] poolParams() {
    return new Param[] {Param.required("kernelSize", Param.Kind.INT),
        Param.optional("stride", Param.Kind.INT, new Param.SameAs("kernelSize")),
        Param.optional("padding", Param.Kind.INT, 0)};
  }
}

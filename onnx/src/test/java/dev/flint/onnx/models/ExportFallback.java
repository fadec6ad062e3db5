package dev.flint.onnx.models;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.Conv2d;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/**
 * A Conv2d first and no {@code @Model(input)}: the processor warns [input-shape-needed] and its
 * compiled class keeps the eager forward, so there is no graph to export.
 */
@Model
public class ExportFallback extends Module {
  @Layer Conv2d conv = new Conv2d(1, 2, 3);

  @Forward
  public Tensor forward(Tensor x) {
    return conv.forward(x);
  }
}

package com.example.consumer;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A small MLP written as a Flint user would: {@code x: [batch, 4] -> [batch, 1]}. */
@Model
public class Regressor extends Module {
  @Layer Linear fc1 = new Linear(4, 16);
  @Layer Linear fc2 = new Linear(16, 1);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    Tensor h = F.tanh(fc1.forward(x));
    return fc2.forward(h);
  }
}

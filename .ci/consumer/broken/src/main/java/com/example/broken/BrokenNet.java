package com.example.broken;

import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.Module;
import dev.flint.tensor.Tensor;

/** A model with a shape mistake: fc2 expects 30 features but fc1 gives 20. Its build must fail. */
@Model
public class BrokenNet extends Module {
  @Layer Linear fc1 = new Linear(10, 20);
  @Layer Linear fc2 = new Linear(30, 5);

  @Forward
  @Override
  public Tensor forward(Tensor x) {
    Tensor h = F.relu(fc1.forward(x));
    return fc2.forward(h);   // consumer-check.sh expects the javac error on this line
  }
}

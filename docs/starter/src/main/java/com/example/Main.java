package com.example;

import dev.flint.autograd.Autograd;
import dev.flint.dsl.Forward;
import dev.flint.dsl.Layer;
import dev.flint.dsl.Model;
import dev.flint.nn.F;
import dev.flint.nn.Linear;
import dev.flint.nn.MSELoss;
import dev.flint.nn.Module;   // explicit: `import dev.flint.nn.*` alone clashes with java.lang.Module
import dev.flint.optim.SGD;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;

/** Fits y = sin(x) with a small compiled network; the first argument, if any, is the number of epochs. */
public class Main {
  @Model
  public static class Net extends Module {
    @Layer Linear fc1 = new Linear(1, 32);
    @Layer Linear fc2 = new Linear(32, 1);

    @Forward
    public Tensor forward(Tensor x) {
      return fc2.forward(F.tanh(fc1.forward(x)));
    }
  }

  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    Generator.seedAll(0);
    Net model = new CompiledMain_Net();
    Tensor x = Tensor.linspace(-3, 3, 64).unsqueeze(1);
    Tensor y = x.sin();
    SGD optimizer = new SGD(model.parameters(), 0.1).momentum(0.9);
    MSELoss lossFn = new MSELoss();
    double first = Double.NaN;
    double last = Double.NaN;
    for (int epoch = 0; epoch < epochs; epoch++) {
      Tensor loss = lossFn.forward(model.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      last = loss.item();
      first = epoch == 0 ? last : first;
    }
    Tensor atOne = Autograd.noGrad(() -> model.forward(Tensor.of(new float[] {1}, 1, 1)));
    System.out.printf("%d epochs: loss %.4f -> %.4f; f(1) = %.3f (sin 1 = %.3f)%n", epochs, first, last,
        atOne.item(), Math.sin(1));
  }
}

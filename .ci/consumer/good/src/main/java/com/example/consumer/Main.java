package com.example.consumer;

import dev.flint.nn.MSELoss;
import dev.flint.optim.SGD;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import java.util.Map;

/**
 * Uses the generated {@code CompiledRegressor}: checks it runs generated code and agrees with the
 * eager model, then trains it with SGD on y = sum(x * w) and exits with status 1 unless the loss fell.
 */
public final class Main {
  private static final int STEPS = 60;

  private Main() {}

  public static void main(String[] args) {
    Generator.seedAll(0);
    Regressor model = new CompiledRegressor();   // the class the annotation processor wrote
    Tensor x = Tensor.randn(64, 4);
    Tensor y = x.matmul(Tensor.of(new float[] {0.5f, -1f, 0.25f, 2f}, 4, 1));
    MSELoss lossFn = new MSELoss();

    Tensor first = lossFn.forward(model.forward(x), y);
    String node = model.forward(x).gradFn().name();
    if (!node.equals("CompiledRegressorBackward")) {
      fail("CompiledRegressor.forward should end in its generated backward node, but its output's grad_fn is "
          + node + " (did the processor fall back to the eager forward?)");
    }
    agreesWithEager(model, x, y, lossFn);

    SGD optimizer = new SGD(model.parameters(), 0.05);
    double loss = first.item();
    for (int step = 0; step < STEPS; step++) {
      Tensor l = lossFn.forward(model.forward(x), y);
      optimizer.zeroGrad();
      l.backward();
      optimizer.step();
      loss = l.item();
    }
    System.out.printf("consumer: CompiledRegressor loss %.4f -> %.4f after %d SGD steps%n", first.item(), loss, STEPS);
    if (!(loss < 0.5 * first.item())) {
      fail("the loss should have at least halved in " + STEPS + " SGD steps, but went from " + first.item()
          + " to " + loss);
    }
    System.out.println(((CompiledRegressor) model).summary());
  }

  /** The compiled model's loss and every parameter gradient match the eager model's with the same weights. */
  private static void agreesWithEager(Regressor compiled, Tensor x, Tensor y, MSELoss lossFn) {
    Regressor eager = new Regressor();
    eager.loadStateDict(compiled.stateDict());
    Tensor lc = lossFn.forward(compiled.forward(x), y);
    Tensor le = lossFn.forward(eager.forward(x), y);
    lc.backward();
    le.backward();
    close("loss", lc, le);
    Map<String, Tensor> pe = eager.namedParameters();
    for (Map.Entry<String, Tensor> p : compiled.namedParameters().entrySet()) {
      close(p.getKey() + ".grad", p.getValue().grad(), pe.get(p.getKey()).grad());
    }
    compiled.zeroGrad();
  }

  private static void close(String what, Tensor compiled, Tensor eager) {
    if (compiled == null || eager == null || !compiled.allclose(eager, 1e-4, 1e-6)) {
      fail(what + " differs between CompiledRegressor and the eager Regressor: " + compiled + " vs " + eager);
    }
  }

  private static void fail(String message) {
    System.err.println("consumer: FAILED: " + message);
    System.exit(1);
  }
}

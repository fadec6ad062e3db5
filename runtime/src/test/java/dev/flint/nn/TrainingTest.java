package dev.flint.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flint.autograd.Autograd;
import dev.flint.dsl.Layer;
import dev.flint.optim.SGD;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** A small CNN learns to tell horizontal from vertical bars: every layer's gradient has to be right for this. */
class TrainingTest {
  static class BarNet extends Module {
    @Layer Conv2d conv = new Conv2d(1, 4, 3, 1, 1);
    @Layer BatchNorm2d bn = new BatchNorm2d(4);
    @Layer MaxPool2d pool = new MaxPool2d(2);
    @Layer AvgPool2d avg = new AvgPool2d(2);
    @Layer Flatten flatten = new Flatten();
    @Layer Linear fc = new Linear(4 * 2 * 2, 8);
    @Layer LayerNorm ln = new LayerNorm(8);
    @Layer GELU gelu = new GELU();
    @Layer Dropout drop = new Dropout(0.1);
    @Layer Linear out = new Linear(8, 2);

    @Override
    public Tensor forward(Tensor x) {
      Tensor h = avg.forward(pool.forward(F.relu(bn.forward(conv.forward(x)))));
      return out.forward(drop.forward(gelu.forward(ln.forward(fc.forward(flatten.forward(h))))));
    }
  }

  /** 8x8 images with one bright bar (horizontal: class 0, vertical: class 1) plus noise. */
  static Tensor[] bars(Generator g, int n) {
    float[] img = new float[n * 64];
    long[] label = new long[n];
    for (int s = 0; s < n; s++) {
      label[s] = s % 2;
      int line = (int) g.nextLong(8);
      for (int i = 0; i < 64; i++) {
        int r = i / 8;
        int c = i % 8;
        boolean on = label[s] == 0 ? r == line : c == line;
        img[s * 64 + i] = (on ? 1f : 0f) + (float) (0.2 * g.nextGaussian());
      }
    }
    return new Tensor[] {Tensor.of(img, n, 1, 8, 8), Tensor.of(label)};
  }

  @Test
  void lossFallsAndTheModelGeneralizes() {
    Generator.seedAll(17);
    Generator data = new Generator(5);
    BarNet net = new BarNet();
    SGD opt = new SGD(net.parameters(), 0.1).momentum(0.9);
    CrossEntropyLoss lossFn = new CrossEntropyLoss();
    double first = 0;
    double last = 0;
    for (int step = 0; step < 60; step++) {
      Tensor[] batch = bars(data, 16);
      Tensor loss = lossFn.forward(net.forward(batch[0]), batch[1]);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      if (step < 5) {
        first += loss.item() / 5;
      }
      if (step >= 55) {
        last += loss.item() / 5;
      }
    }
    assertTrue(last < first / 3, "training loss fell from " + first + " to " + last);
    net.eval();
    Tensor[] test = bars(data, 64);
    try (var noGrad = Autograd.noGrad()) {
      long[] predicted = net.forward(test[0]).argmax(1).toLongArray();
      long[] truth = test[1].toLongArray();
      int correct = 0;
      for (int i = 0; i < truth.length; i++) {
        correct += predicted[i] == truth[i] ? 1 : 0;
      }
      assertTrue(correct >= 60, "accuracy " + correct + "/64");
    }
    assertEquals(60, net.bn.numBatchesTracked.getLong());
  }
}

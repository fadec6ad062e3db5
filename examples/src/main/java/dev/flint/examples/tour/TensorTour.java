package dev.flint.examples.tour;

import dev.flint.autograd.Autograd;
import dev.flint.examples.training.Console;
import dev.flint.examples.training.RunOptions;
import dev.flint.nn.BCEWithLogitsLoss;
import dev.flint.tensor.DType;
import dev.flint.tensor.Device;
import dev.flint.tensor.Generator;
import dev.flint.tensor.Index;
import dev.flint.tensor.Tensor;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The PyTorch tutorial's tensor and autograd walkthrough, in Flint: creating tensors, their shape,
 * dtype and device, math, indexing views, transpose, squeeze/unsqueeze, cat, moving to a device,
 * and gradients with requiresGrad, backward, grad and noGrad. Each step prints what the tutorial
 * prints.
 *
 * <pre>
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.flint.examples.tour.TensorTour
 * </pre>
 */
public final class TensorTour {
  private TensorTour() {}

  public static void main(String[] args) {
    Console.launch("tour", 1, args, options -> run(System.out, options.seed()));
  }

  /** Prints the walkthrough to {@code out}; random tensors are drawn after seeding with {@code seed}. */
  public static void run(PrintStream out, long seed) {
    Generator.seedAll(seed);
    creation(out);
    attributes(out);
    Tensor tensor = indexing(out);
    math(out, tensor);
    shapes(out);
    devices(out);
    autograd(out);
  }

  static void creation(PrintStream out) {
    section(out, "Initializing a tensor");
    Tensor xData = Tensor.of(new float[][] {{1, 2}, {3, 4}});          // directly from data
    out.println("From data:\n" + xData + "\n");
    Tensor xOnes = Tensor.onesLike(xData);                              // keeps the shape and dtype
    out.println("Ones Tensor:\n" + xOnes + "\n");
    Tensor xRand = Tensor.rand(xData.shape());                          // same shape, random values in [0, 1)
    out.println("Random Tensor:\n" + xRand + "\n");
    int[] shape = {2, 3};
    out.println("Random Tensor:\n" + Tensor.rand(shape) + "\n");
    out.println("Ones Tensor:\n" + Tensor.ones(shape) + "\n");
    out.println("Zeros Tensor:\n" + Tensor.zeros(shape) + "\n");
    out.println("arange(5): " + Tensor.arange(5) + ", linspace(0, 1, 5): " + Tensor.linspace(0, 1, 5));
  }

  static void attributes(PrintStream out) {
    section(out, "Attributes of a tensor");
    Tensor tensor = Tensor.rand(3, 4);
    out.println("Shape of tensor: " + tensor.shapeString());   // shape() and size() are int[]
    out.println("Datatype of tensor: " + tensor.dtype());
    out.println("Device tensor is stored on: " + tensor.device());
    Tensor doubles = tensor.to(DType.FLOAT64);
    out.println("After to(DType.FLOAT64): " + doubles.dtype() + ", " + doubles.numel() + " elements in " + doubles.dim() + " dims");
  }

  /**
   * Indexing as PyTorch's subscripts, {@code x.index(...)} with {@link Index} entries: integers and slices
   * give views, so writing through {@code tensor[:, 1]} changes {@code tensor}; a mask gives a copy.
   */
  static Tensor indexing(PrintStream out) {
    section(out, "Standard numpy-like indexing and slicing");
    Tensor tensor = Tensor.ones(4, 4);
    out.println("First row: " + tensor.index(Index.at(0)));                          // tensor[0]
    out.println("First column: " + tensor.index(Index.all(), Index.at(0)));          // tensor[:, 0]
    out.println("Last column: " + tensor.index(Index.ellipsis(), Index.at(-1)));     // tensor[..., -1]
    tensor.index(Index.all(), Index.at(1)).fill(0);                                  // tensor[:, 1] = 0
    out.println(tensor);
    out.println("Rows 1..2 (tensor[1:3]):\n" + tensor.index(Index.slice(1, 3)));
    out.println("Every other column (tensor[:, ::2]): " + tensor.index(Index.all(), Index.slice(0, 4, 2)).shapeString());
    out.println("The zeros, by mask (tensor[tensor == 0]): " + tensor.index(tensor.eq(0)));

    section(out, "Joining tensors");
    Tensor t1 = Tensor.cat(1, tensor, tensor, tensor);
    out.println(t1);
    out.println("cat along dim 1: " + Arrays.toString(t1.shape()) + "; stack along a new dim 0: "
        + Arrays.toString(Tensor.stack(0, tensor, tensor).shape()));
    return tensor;
  }

  static void math(PrintStream out, Tensor tensor) {
    section(out, "Arithmetic operations");
    // Matrix multiplication: tensor @ tensor.T
    Tensor y1 = tensor.matmul(tensor.t());
    out.println("tensor.matmul(tensor.t()):\n" + y1);
    // Element-wise product: tensor * tensor
    Tensor z1 = tensor.mul(tensor);
    out.println("tensor.mul(tensor):\n" + z1);

    section(out, "Single-element tensors");
    Tensor agg = tensor.sum();
    double aggItem = agg.item();
    out.println(aggItem + " " + agg.dtype());
    out.println("mean of each column: " + tensor.mean(0) + ", row maxima at: " + tensor.argmax(1));
    out.println("exp, then log, of [1, 2]: " + Tensor.of(new float[] {1, 2}).exp().log());
    out.println("tensor.add(5):\n" + tensor.add(5));
  }

  static void shapes(PrintStream out) {
    section(out, "Reshaping: transpose, view, squeeze and unsqueeze");
    Tensor x = Tensor.arange(6).reshape(2, 3);
    out.println("x = arange(6).reshape(2, 3):\n" + x);
    out.println("x.transpose(0, 1), a view with swapped strides " + Arrays.toString(x.transpose(0, 1).strides()) + ":\n"
        + x.transpose(0, 1));
    out.println("x.view(3, 2):\n" + x.view(3, 2));
    Tensor u = x.unsqueeze(0);
    out.println("x.unsqueeze(0).shape: " + Arrays.toString(u.shape()) + "; x.unsqueeze(-1).shape: "
        + Arrays.toString(x.unsqueeze(-1).shape()));
    out.println("x.unsqueeze(0).squeeze().shape: " + Arrays.toString(u.squeeze().shape()) + "; flatten(0): "
        + x.flatten(0));
  }

  static void devices(PrintStream out) {
    section(out, "Devices");
    // The tutorial's idiom: use a GPU when there is one.
    Device device = Device.cudaAvailable() ? Device.cuda(0) : Device.CPU;
    out.println("Using " + device + " device (" + Device.cudaDeviceCount() + " CUDA device(s) found)");
    Tensor tensor = Tensor.ones(2, 2);
    try {
      tensor = tensor.to(device);
    } catch (RuntimeException unavailable) {
      // Flint computes on the CPU; a machine with a GPU says so instead of silently falling back.
      out.println("Staying on the CPU: " + unavailable.getMessage());
    }
    out.println("Device tensor is stored on: " + tensor.device());
  }

  static void autograd(PrintStream out) {
    section(out, "Automatic differentiation with autograd");
    Tensor x = Tensor.ones(5);                       // input tensor
    Tensor y = Tensor.zeros(3);                      // expected output
    Tensor w = Tensor.randn(5, 3).requiresGrad(true);
    Tensor b = Tensor.randn(3).requiresGrad(true);
    Tensor z = x.matmul(w).add(b);
    Tensor loss = new BCEWithLogitsLoss().forward(z, y);
    out.println("Gradient function for z = " + z.gradFn());
    out.println("Gradient function for loss = " + loss.gradFn());

    loss.backward();
    out.println("w.grad():\n" + w.grad());
    out.println("b.grad():\n" + b.grad());
    // Hand-derived: dloss/dz = (sigmoid(z) - y) / 3, dloss/db = that, dloss/dw = outer(x, that).
    double[] zv = z.toDoubleArray();
    double[] expected = new double[3];
    for (int j = 0; j < 3; j++) {
      expected[j] = (1 / (1 + Math.exp(-zv[j])) - 0) / 3;
    }
    double[] bg = b.grad().toDoubleArray();
    double[] wg = w.grad().toDoubleArray();
    double err = 0;
    for (int j = 0; j < 3; j++) {
      err = Math.max(err, Math.abs(bg[j] - expected[j]));
      for (int i = 0; i < 5; i++) {
        err = Math.max(err, Math.abs(wg[i * 3 + j] - expected[j]));
      }
    }
    out.printf("gradients match the hand-derived (sigmoid(z) - y) / 3: %s (max error %.1e)%n", err < 1e-6, err);

    section(out, "Disabling gradient tracking");
    z = x.matmul(w).add(b);
    out.println(z.requiresGrad());
    try (var noGrad = Autograd.noGrad()) {
      z = x.matmul(w).add(b);
    }
    out.println(z.requiresGrad());
    Tensor zDet = x.matmul(w).add(b).detach();
    out.println(zDet.requiresGrad());
  }

  private static void section(PrintStream out, String title) {
    out.println();
    out.println("## " + title);
  }
}

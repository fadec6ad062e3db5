package dev.flint.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flint.ops.Attrs;
import dev.flint.ops.ResultType;
import org.junit.jupiter.api.Test;

/** torch.result_type's rules, including 0-d tensors and Python-like scalars. */
class DTypesTest {

  @Test
  void promotion() {
    Tensor i32 = Tensor.of(new int[] {1});
    Tensor i64 = Tensor.of(new long[] {1});
    Tensor f32 = Tensor.of(new float[] {1});
    Tensor b = Tensor.of(new boolean[] {true});
    assertEquals(DType.INT64, DTypes.promote(i32, i64));
    assertEquals(DType.FLOAT32, DTypes.promote(i64, f32));
    assertEquals(DType.INT32, DTypes.promote(b, i32));
    assertEquals(DType.INT32, DTypes.promote(i32, Tensor.scalar(1, DType.INT64)), "0-d of the same category doesn't win");
    assertEquals(DType.FLOAT64, DTypes.promote(i32, Tensor.scalar(1, DType.FLOAT64)), "0-d of a higher category does");
    assertEquals(DType.FLOAT64, DTypes.promote(Tensor.scalar(1, DType.FLOAT64), Tensor.scalar(1)));
  }

  @Test
  void resultRules() {
    Tensor i = Tensor.of(new long[] {1});
    assertEquals(DType.FLOAT32, DTypes.result(ResultType.PROMOTE_FLOAT, new Tensor[] {i, i}, Attrs.NONE));
    assertEquals(DType.INT64, DTypes.result(ResultType.SCALAR, new Tensor[] {i}, Attrs.of(Attrs.VALUE, 2.0)));
    assertEquals(DType.FLOAT32, DTypes.result(ResultType.SCALAR, new Tensor[] {i}, Attrs.of(Attrs.VALUE, 2.5)));
    assertEquals(DType.INT64, DTypes.result(ResultType.ACCUMULATE, new Tensor[] {Tensor.of(new boolean[] {true})}, Attrs.NONE));
    assertEquals(DType.FLOAT64, DTypes.result(ResultType.ATTR, new Tensor[] {i}, Attrs.of(Attrs.DTYPE, "FLOAT64")));
  }
}

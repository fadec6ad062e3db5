package dev.flint.tensor;

/** The one {@link TensorAccess}: forwards to {@link Tensor}'s package-private methods. */
final class TensorInternals extends TensorAccess {
  @Override
  public int[] shapeRef(Tensor t) {
    return t.shapeRef();
  }

  @Override
  public int[] stridesRef(Tensor t) {
    return t.stridesRef();
  }

  @Override
  public Tensor view(Storage storage, int offset, int[] shape, int[] strides) {
    return Tensor.view(storage, offset, shape, strides);
  }

  @Override
  public Tensor wrap(Storage storage, int... shape) {
    return Tensor.wrap(storage, shape);
  }

  @Override
  public Tensor lend(Tensor buffer) {
    return buffer.lend();
  }

  @Override
  public void repoint(Tensor t, Storage storage, int offset) {
    t.repoint(storage, offset);
  }

  @Override
  public boolean readsStorageOf(Tensor view, Tensor base) {
    return view.readsStorageOf(base);
  }

  @Override
  public void reclaim(Tensor buffer) {
    buffer.reclaim();
  }

  @Override
  public Tensor gradForUpdate(Tensor t) {
    return t.gradForUpdate();
  }

  @Override
  public void setFirstGrad(Tensor t, Tensor g) {
    t.setFirstGrad(g);
  }

  @Override
  public void setGradFn(Tensor t, GradFn fn) {
    t.setGradFn(fn);
  }
}

package dev.flint.tensor;

import java.io.File;
import java.util.Objects;

/**
 * Where a tensor's storage lives. Flint computes on the CPU; {@link #cuda(int)} names an NVIDIA GPU
 * and {@link #cudaAvailable()} answers truthfully from the driver's device files, so code written
 * for PyTorch's {@code device = "cuda" if available else "cpu"} idiom runs unchanged.
 */
public final class Device {
  /** The host CPU. */
  public static final Device CPU = new Device("cpu", -1);

  private final String type;
  private final int index;

  private Device(String type, int index) {
    this.type = type;
    this.index = index;
  }

  /** The CUDA device with this index ({@code cuda:index}); it need not exist until a tensor moves there. */
  public static Device cuda(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("cuda device index must be >= 0, but got " + index);
    }
    return new Device("cuda", index);
  }

  /** Whether an NVIDIA driver with at least one GPU is present on this machine. */
  public static boolean cudaAvailable() {
    return cudaDeviceCount() > 0;
  }

  /** How many NVIDIA GPUs the driver exposes ({@code /dev/nvidia0}, {@code /dev/nvidia1}, ...); 0 without a driver. */
  public static int cudaDeviceCount() {
    if (!new File("/proc/driver/nvidia/version").exists()) {
      return 0;
    }
    int n = 0;
    while (new File("/dev/nvidia" + n).exists()) {
      n++;
    }
    return n;
  }

  /** {@code "cpu"} or {@code "cuda"}. */
  public String type() {
    return type;
  }

  /** The device index, or -1 for the CPU. */
  public int index() {
    return index;
  }

  public boolean isCpu() {
    return index < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Device && ((Device) o).type.equals(type) && ((Device) o).index == index;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, index);
  }

  @Override
  public String toString() {
    return isCpu() ? type : type + ":" + index;
  }
}

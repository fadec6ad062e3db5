package dev.flint.io;

import dev.flint.tensor.DType;

/**
 * The element types a safetensors file may hold that Flint reads, with their header names and
 * sizes, and the Flint dtype each one loads as (F16 and BF16 widen exactly to FLOAT32).
 */
enum StDType {
  F32("F32", 4, DType.FLOAT32),
  F64("F64", 8, DType.FLOAT64),
  I64("I64", 8, DType.INT64),
  I32("I32", 4, DType.INT32),
  BOOL("BOOL", 1, DType.BOOL),
  F16("F16", 2, DType.FLOAT32),
  BF16("BF16", 2, DType.FLOAT32);

  /** The list that error messages show. */
  static final String SUPPORTED = "F32, F64, I64, I32, BOOL, F16, BF16";

  final String headerName;
  final int byteSize;
  final DType loadsAs;

  StDType(String headerName, int byteSize, DType loadsAs) {
    this.headerName = headerName;
    this.byteSize = byteSize;
    this.loadsAs = loadsAs;
  }

  /** The type with this header name, or null. */
  static StDType named(String name) {
    for (StDType t : values()) {
      if (t.headerName.equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** The type a Flint tensor of this dtype is written as. */
  static StDType of(DType dtype) {
    switch (dtype) {
      case FLOAT32: return F32;
      case FLOAT64: return F64;
      case INT64: return I64;
      case INT32: return I32;
      case BOOL: return BOOL;
      default: throw new IllegalArgumentException("no safetensors dtype for " + dtype);
    }
  }

  /** An IEEE half-precision value widened to float; exact for every input, NaN payloads kept. */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0) {
      // zero or subnormal: mantissa * 2^-24, exactly representable in float
      float magnitude = mantissa * 0x1.0p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** A bfloat16 value widened to float (bfloat16 is the top half of a float's bits). */
  static float bfloat16ToFloat(short b) {
    return Float.intBitsToFloat((b & 0xFFFF) << 16);
  }
}

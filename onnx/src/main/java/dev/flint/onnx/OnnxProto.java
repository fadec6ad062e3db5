package dev.flint.onnx;

import java.util.List;

/**
 * The ONNX messages this exporter writes, with their field numbers from {@code onnx/onnx.proto}
 * (github.com/onnx/onnx): ModelProto, OperatorSetIdProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto, TypeProto.Tensor and TensorShapeProto.
 */
final class OnnxProto {
  private OnnxProto() {}

  /** TensorProto.DataType values. */
  static final int FLOAT = 1;
  static final int INT64 = 7;
  static final int BOOL = 9;
  static final int DOUBLE = 11;

  /** IR version 8 (2021-07-30): the one that goes with opset 17. */
  static final int IR_VERSION = 8;
  static final int OPSET = 17;

  // AttributeProto.AttributeType
  private static final int ATTR_FLOAT = 1;
  private static final int ATTR_INT = 2;
  private static final int ATTR_STRING = 3;
  private static final int ATTR_TENSOR = 4;
  private static final int ATTR_INTS = 7;
  private static final int ATTR_GRAPH = 5;

  /** ModelProto: ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7, opset_import 8. */
  static ProtoWriter model(String producer, String version, String doc, ProtoWriter graph) {
    ProtoWriter opset = new ProtoWriter().string(1, "").varint(2, OPSET);   // OperatorSetIdProto: domain 1, version 2
    return new ProtoWriter().varint(1, IR_VERSION).string(2, producer).string(3, version).string(6, doc)
        .message(7, graph).message(8, opset);
  }

  /** GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12. */
  static ProtoWriter graph(String name, String doc, List<ProtoWriter> nodes, List<ProtoWriter> initializers,
      List<ProtoWriter> inputs, List<ProtoWriter> outputs) {
    ProtoWriter g = new ProtoWriter();
    nodes.forEach(n -> g.message(1, n));
    g.string(2, name);
    initializers.forEach(t -> g.message(5, t));
    g.string(10, doc);
    inputs.forEach(v -> g.message(11, v));
    outputs.forEach(v -> g.message(12, v));
    return g;
  }

  /** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, doc_string 6. */
  static ProtoWriter node(String opType, List<String> inputs, List<String> outputs, String name, String doc,
      List<ProtoWriter> attributes) {
    ProtoWriter n = new ProtoWriter();
    inputs.forEach(i -> n.string(1, i));
    outputs.forEach(o -> n.string(2, o));
    n.string(3, name).string(4, opType);
    attributes.forEach(a -> n.message(5, a));
    if (!doc.isEmpty()) {
      n.string(6, doc);
    }
    return n;
  }

  /** AttributeProto (name 1, type 20) of type INT: i 3. */
  static ProtoWriter intAttr(String name, long value) {
    return new ProtoWriter().string(1, name).varint(20, ATTR_INT).varint(3, value);
  }

  /** AttributeProto of type INTS: ints 8. */
  static ProtoWriter intsAttr(String name, long... values) {
    return new ProtoWriter().string(1, name).varint(20, ATTR_INTS).varints(8, values);
  }

  /** AttributeProto of type FLOAT: f 2. */
  static ProtoWriter floatAttr(String name, float value) {
    return new ProtoWriter().string(1, name).varint(20, ATTR_FLOAT).float32(2, value);
  }

  /** AttributeProto of type STRING: s 4. */
  static ProtoWriter stringAttr(String name, String value) {
    return new ProtoWriter().string(1, name).varint(20, ATTR_STRING).string(4, value);
  }

  /** AttributeProto of type TENSOR: t 5. */
  static ProtoWriter tensorAttr(String name, ProtoWriter tensor) {
    return new ProtoWriter().string(1, name).varint(20, ATTR_TENSOR).message(5, tensor);
  }

  /** AttributeProto of type GRAPH: g 6 (a loop's body). */
  static ProtoWriter graphAttr(String name, ProtoWriter graph) {
    return new ProtoWriter().string(1, name).varint(20, ATTR_GRAPH).message(6, graph);
  }

  /** ValueInfoProto of a tensor whose element type is known and shape is not (a subgraph's values). */
  static ProtoWriter valueInfo(String name, int elemType) {
    ProtoWriter tensorType = new ProtoWriter().varint(1, elemType);
    return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
  }

  /** TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian elements). */
  static ProtoWriter tensor(String name, int dataType, long[] dims, byte[] raw) {
    return new ProtoWriter().varints(1, dims).varint(2, dataType).string(8, name).bytes(9, raw);
  }

  /**
   * ValueInfoProto (name 1, type 2) of a tensor: TypeProto.tensor_type 1 → TypeProto.Tensor (elem_type 1,
   * shape 2) → TensorShapeProto (dim 1) → Dimension (dim_value 1 for a {@code Long}, dim_param 2 for a
   * {@code String}).
   */
  static ProtoWriter valueInfo(String name, int elemType, List<Object> dims) {
    ProtoWriter shape = new ProtoWriter();
    for (Object d : dims) {
      ProtoWriter dim = d instanceof Long n ? new ProtoWriter().varint(1, n) : new ProtoWriter().string(2, (String) d);
      shape.message(1, dim);
    }
    ProtoWriter tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
    ProtoWriter type = new ProtoWriter().message(1, tensorType);
    return new ProtoWriter().string(1, name).message(2, type);
  }
}

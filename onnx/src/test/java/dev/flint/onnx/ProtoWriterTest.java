package dev.flint.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The wire format against the worked examples of the protobuf encoding guide and hand-encoded bytes. */
class ProtoWriterTest {
  @Test
  void varintsAsInTheEncodingGuide() {
    // "message Test1 { optional int32 a = 1; }" with a = 150 is 08 96 01
    assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray());
    assertArrayEquals(bytes(0x08, 0x01), new ProtoWriter().varint(1, 1).toByteArray());
    assertArrayEquals(bytes(0x08, 0x00), new ProtoWriter().varint(1, 0).toByteArray());
    // a negative int64 is its two's complement: ten bytes
    assertArrayEquals(bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
        new ProtoWriter().varint(1, -1).toByteArray());
    // field 20 needs a two-byte tag: (20 << 3) | 0 = 160 = a0 01
    assertArrayEquals(bytes(0xa0, 0x01, 0x07), new ProtoWriter().varint(20, 7).toByteArray());
  }

  @Test
  void stringsAndNestedMessagesAreLengthDelimited() {
    // "message Test2 { optional string b = 2; }" with b = "testing" is 12 07 74 65 73 74 69 6e 67
    assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'),
        new ProtoWriter().string(2, "testing").toByteArray());
    // "message Test3 { optional Test1 c = 3; }" with c.a = 150 is 1a 03 08 96 01
    assertArrayEquals(bytes(0x1a, 0x03, 0x08, 0x96, 0x01),
        new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray());
    assertArrayEquals(bytes(0x12, 0x02, 0xc3, 0xa9), new ProtoWriter().string(2, "é").toByteArray(), "UTF-8");
    assertArrayEquals(bytes(0x0a, 0x00), new ProtoWriter().bytes(1, new byte[0]).toByteArray());
  }

  @Test
  void floatsAreFourLittleEndianBytesAndRepeatedFieldsOneTagEach() {
    // 1.0f is 0x3f800000; wire type 5: tag (2 << 3) | 5 = 0x15
    assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3f), new ProtoWriter().float32(2, 1.0f).toByteArray());
    assertArrayEquals(bytes(0x08, 0x02, 0x08, 0x03), new ProtoWriter().varints(1, 2, 3).toByteArray());
  }

  @Test
  void longMessagesGrowTheBufferAndTheirLengthTakesSeveralBytes() {
    byte[] payload = new byte[300];
    byte[] out = new ProtoWriter().bytes(9, payload).toByteArray();
    // tag 0x4a, length 300 = ac 02, then the bytes
    assertArrayEquals(bytes(0x4a, 0xac, 0x02), java.util.Arrays.copyOf(out, 3));
    org.junit.jupiter.api.Assertions.assertEquals(303, out.length);
  }

  @Test
  void fieldNumbersOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().varint(0, 1));
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }
}

package dev.flint.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The {@code static final int[]} constants of one generated class: kernel attributes that do not
 * depend on the batch size ({@code PERM_1_0}, {@code SHAPE_32}), so a forward or backward pass does
 * not allocate an array per call. Kernels read attribute arrays and never keep or change them.
 */
final class Constants {
  private final Map<String, int[]> fields = new LinkedHashMap<>();

  /** The field holding {@code values}, named after the attribute ({@code perm}) and the values. */
  CodeBlock intArray(String attribute, int[] values) {
    StringBuilder name = new StringBuilder(attribute.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase());
    if (values.length == 0) {
      name.append("_NONE");
    }
    for (int v : values) {
      name.append('_').append(v < 0 ? "M" + -v : Integer.toString(v));
    }
    String field = name.toString();
    int[] have = fields.putIfAbsent(field, values.clone());
    if (have != null && !Arrays.equals(have, values)) {
      throw new IllegalStateException("two constants named " + field);
    }
    return CodeBlock.of("$N", field);
  }

  /** The field declarations, in first-use order. */
  List<FieldSpec> fields() {
    List<FieldSpec> out = new ArrayList<>();
    fields.forEach((name, values) -> {
      List<CodeBlock> items = new ArrayList<>();
      for (int v : values) {
        items.add(CodeBlock.of("$L", v));
      }
      out.add(FieldSpec.builder(ArrayTypeName.of(TypeName.INT), name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .initializer("{$L}", CodeBlock.join(items, ", ")).build());
    });
    return out;
  }
}

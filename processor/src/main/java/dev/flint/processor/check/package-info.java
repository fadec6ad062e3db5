/** Checks over the IR: typing with the op table's shape rules, and graph well-formedness. */
package dev.flint.processor.check;

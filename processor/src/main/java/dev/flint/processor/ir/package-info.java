/** The intermediate representation: an SSA graph of op-table rows over values with symbolic-batch tensor types. */
package dev.flint.processor.ir;

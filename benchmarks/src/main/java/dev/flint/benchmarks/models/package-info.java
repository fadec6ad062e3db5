/**
 * The reference models of {@code benchmarks/pytorch/pytorch_bench.py} written as {@code @Model} classes:
 * they run eagerly as they are, and the Flint processor compiles each into {@code Compiled<Name>}.
 */
package dev.flint.benchmarks.models;

/** Optimizations over the IR ({@link dev.flint.processor.opt.Pass}) and the saved-values analysis. */
package dev.flint.processor.opt;

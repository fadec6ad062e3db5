/** Diagnostics: the {@link dev.flint.processor.diag.Message} catalog and the collector the stages report into. */
package dev.flint.processor.diag;

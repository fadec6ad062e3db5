/**
 * Runtime-internal access to tensor internals ({@link dev.flint.internal.Internals}); not exported by
 * the {@code dev.flint.runtime} module and not part of Flint's API.
 */
package dev.flint.internal;

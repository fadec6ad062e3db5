/**
 * Saving and loading: {@link dev.flint.io.SafeTensors} reads and writes the safetensors format
 * that PyTorch and Hugging Face use, and every save is atomic (a temporary file, then a rename).
 */
package dev.flint.io;

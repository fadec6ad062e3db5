/**
 * Conveniences for a training loop, in plain Java and without dependencies: a tqdm-style
 * {@link dev.flint.train.ProgressBar}, a {@link dev.flint.train.LossCurve} drawn as SVG, metrics
 * ({@link dev.flint.train.RunningMean}, {@link dev.flint.train.Accuracy}, and
 * {@link dev.flint.train.Evaluation} for a whole loader), the best epoch's weights kept on disk
 * ({@link dev.flint.train.BestCheckpoint}) and {@link dev.flint.train.EarlyStopping}. Each is a
 * small object the loop calls, so the loop stays the user's own, as in PyTorch.
 *
 * <pre>{@code
 * BestCheckpoint best = new BestCheckpoint(dir.resolve("best.safetensors"));
 * EarlyStopping stop = new EarlyStopping(5);
 * LossCurve curve = new LossCurve("loss");
 * for (int epoch = 1; epoch <= 100; epoch++) {
 *   model.train();
 *   try (ProgressBar bar = ProgressBar.forEpoch(epoch, 100, loader.size())) {
 *     for (Batch b : loader) {
 *       Tensor loss = lossFn.forward(model.forward(b.x()), b.y());
 *       optimizer.zeroGrad(); loss.backward(); optimizer.step();
 *       bar.step(loss.item());
 *     }
 *     double valid = Evaluation.meanLoss(model, validLoader, lossFn);
 *     curve.add(bar.meanLoss(), valid);
 *     best.update(epoch, valid, model);
 *     if (stop.update(valid)) break;
 *   }
 * }
 * best.restore(model);
 * curve.writeSvg(dir.resolve("loss.svg"));
 * }</pre>
 */
package dev.flint.train;

/** The annotations users write on their models: {@code @Model}, {@code @Layer}, {@code @Forward}, {@code @Input}. */
module dev.flint.dsl {
  exports dev.flint.dsl;
}

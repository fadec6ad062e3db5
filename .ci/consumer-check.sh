#!/usr/bin/env bash
# Proves that Flint works from an outside build, as a user gets it:
#   1. installs flint-parent, flint-dsl, flint-runtime and flint-processor into the local repository
#      (`mvn install`, as the README's set-up step does);
#   2. builds .ci/consumer/good, a separate project with flint-dsl/flint-runtime as dependencies and
#      flint-processor in annotationProcessorPaths: Compiled<Name> must be generated, and its Main
#      (generated code in use, same loss and gradients as eager, loss falls under SGD) must exit 0;
#   3. builds .ci/consumer/broken, whose model feeds Linear(10, 20) into Linear(30, 5): the build must
#      fail with a javac [shape-mismatch] error on the user's file and line, and no stack trace;
#   4. builds and runs docs/starter, the outside project the README tells users to copy: its compiled
#      sin(x) fit must print a falling loss and f(1) within 0.05 of sin 1.
# Extra arguments go to every mvn call, e.g. `.ci/consumer-check.sh -o -Dmaven.repo.local=/tmp/m2`
# (offline, private local repository). Uses the JDK that Maven finds (JAVA_HOME).
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=(mvn -B -ntp "$@")
GOOD=.ci/consumer/good
BROKEN=.ci/consumer/broken
VERSION=$(sed -n '/<artifactId>flint-parent<\/artifactId>/,/<\/version>/s/.*<version>\(.*\)<\/version>.*/\1/p' pom.xml | head -n 1)
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT

fail() {
  echo "consumer-check: FAILED: $1" >&2
  if [[ $# -gt 1 ]]; then
    echo "---- key lines of $2 (Main's messages, javac diagnostics) ----" >&2
    grep -E '^consumer:|(ERROR|WARNING).*\.java' "$LOGS/$2" >&2 || true
    echo "---- last 40 lines of $2 ----" >&2
    tail -n 40 "$LOGS/$2" >&2
  fi
  exit 1
}

[[ -n "$VERSION" ]] || fail "could not read flint-parent's <version> from pom.xml"
echo "consumer-check: flint $VERSION, $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -n 1)"

# 1. Install what a consumer needs (the parent pom, dsl, runtime, processor); tests ran before this.
"${MVN[@]}" -q install -DskipTests -pl processor -am >"$LOGS/install.log" 2>&1 \
  || fail "mvn install of dsl, runtime and processor failed" install.log

# 2. The good consumer: stale outputs removed so nothing passes on an earlier build's files.
rm -rf "$GOOD/target" "$BROKEN/target"
"${MVN[@]}" -Dflint.version="$VERSION" -f "$GOOD/pom.xml" package exec:exec >"$LOGS/good.log" 2>&1 \
  || fail "the good consumer ($GOOD) did not build and run" good.log
GENERATED=$GOOD/target/generated-sources/annotations/com/example/consumer/CompiledRegressor.java
[[ -f "$GENERATED" ]] || fail "flint-processor did not write $GENERATED" good.log
[[ -f "$GOOD/target/classes/com/example/consumer/CompiledRegressor.summary.txt" ]] \
  || fail "flint-processor did not write CompiledRegressor.summary.txt beside the class" good.log
if grep -n 'WARNING.*Regressor\.java' "$LOGS/good.log" >&2; then
  fail "the good model compiled with warnings (above)" good.log
fi
grep -q '^consumer: CompiledRegressor loss' "$LOGS/good.log" \
  || fail "Main did not report its training run" good.log
echo "consumer-check: good: $(grep '^consumer: CompiledRegressor loss' "$LOGS/good.log" | sed 's/^consumer: //')"
echo "consumer-check: good: generated $GENERATED ($(wc -l <"$GENERATED") lines)"

# 3. The broken consumer must fail at javac time, on the user's line, with a diagnostic, not a crash.
if "${MVN[@]}" -Dflint.version="$VERSION" -f "$BROKEN/pom.xml" compile >"$LOGS/broken.log" 2>&1; then
  fail "the broken consumer ($BROKEN) compiled, but Linear(30, 5) fed [B, 20] must be a javac error" broken.log
fi
LINE=$(grep -n 'return fc2.forward(h);' "$BROKEN/src/main/java/com/example/broken/BrokenNet.java" | cut -d: -f1)
ERROR=$(grep -E "\[ERROR\] .*BrokenNet\.java:\[$LINE,[0-9]+\] \[shape-mismatch\]" "$LOGS/broken.log" | head -n 1 || true)
[[ -n "$ERROR" ]] || fail "expected a [shape-mismatch] error at BrokenNet.java line $LINE" broken.log
for part in fc1 fc2 30 20; do
  [[ "$ERROR" == *"$part"* ]] || fail "the shape error should name both layers and both sizes (missing '$part'): $ERROR" broken.log
done
if grep -nE 'Exception in thread|An exception has occurred in the compiler|^[[:space:]]*at (com\.sun\.|dev\.flint\.)|\[internal\]' \
    "$LOGS/broken.log" >&2; then
  fail "the broken consumer's build shows a stack trace or an internal processor error (above)" broken.log
fi
echo "consumer-check: broken: ${ERROR#\[ERROR\] }"

# 4. The starter project from the README, as a user copies it (a copy, so no target/ lands in docs/).
STARTER="$LOGS/starter"
cp -r docs/starter "$STARTER"
"${MVN[@]}" -q -Dflint.version="$VERSION" -f "$STARTER/pom.xml" compile exec:exec >"$LOGS/starter.log" 2>&1 \
  || fail "docs/starter did not build and run" starter.log
LINE=$(grep -E '^[0-9]+ epochs: loss' "$LOGS/starter.log" | head -n 1 || true)
[[ -n "$LINE" ]] || fail "docs/starter's Main did not print its result" starter.log
/usr/bin/env awk -v line="$LINE" 'BEGIN {
  split(line, w, " "); first = w[4] + 0; last = w[6]; sub(/;$/, "", last); last += 0; f1 = w[9] + 0;
  exit !(last < first && f1 - sin(1) < 0.05 && sin(1) - f1 < 0.05) }' \
  || fail "docs/starter trained badly: $LINE" starter.log
echo "consumer-check: starter: $LINE"
echo "consumer-check: OK"

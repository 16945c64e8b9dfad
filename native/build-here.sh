#!/usr/bin/env bash
# A TEST native build for machines without GraalVM, Mandrel or a container engine (CI here).
#
# Builds target/*-runner with GraalVM's native-image builder taken from Maven Central
# (org.graalvm.nativeimage:svm and its dependencies, fetched by native/pom.xml), run on the
# Temurin 25 JDK with JVMCI enabled. Maven Central does not serve the `native-image` driver nor
# GraalVM's C support libraries: native/TestDriver.java stands in for the driver, and native/c/
# holds the small C libraries the builder links into the image, compiled here with gcc.
#
# The binary links Temurin's own shared JDK libraries (libjava.so, libnio.so, ...; no registry
# serves JDK 25 static libraries) and a stub libjvm.so: it is NOT self-contained and runs only
# beside target/native-test-lib (its RUNPATH points there). The image we ship is built by the
# Mandrel builder image instead (README, docs/deployment.md).
#
# Usage: native/build-here.sh          (from anywhere; builds in the repository)
#   NATIVE_SKIP_PACKAGE=1   reuse target/native-sources from an earlier sources-only package
#   NATIVE_XMX=6g           builder heap (default 6g)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

JDK=${NATIVE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JDK/bin/java"
builder="$root/native/target/builder"
clib="$root/native/target/clibraries"
runtime_lib="$root/target/native-test-lib"
log() { echo "native/build-here: $*"; }

[[ -x "$java" ]] || { log "needs a JDK 25 with JVMCI at $JDK (set NATIVE_JDK)"; exit 1; }
command -v gcc >/dev/null || { log "needs gcc"; exit 1; }

# 1. The builder's jars, from Maven Central through Maven (cached in ~/.m2).
if ! ls "$builder"/svm-*.jar >/dev/null 2>&1; then
  log "fetching GraalVM's builder jars from Maven Central"
  ./mvnw -B -q -f native/pom.xml dependency:copy-dependencies
fi
jar_of() { ls "$builder"/"$1"-[0-9]*.jar; }

# 2. The application as Quarkus hands it to native-image: jars plus native-image.args.
if [[ -z "${NATIVE_SKIP_PACKAGE:-}" ]]; then
  log "packaging the native sources (Quarkus's build steps, no GraalVM needed)"
  ./mvnw -B -q package -Dnative -Dquarkus.native.sources-only=true -DskipTests -Dspotless.check.skip=true
fi
sources="$root/target/native-sources"
[[ -f "$sources/native-image.args" ]] || { log "no $sources/native-image.args"; exit 1; }

# 3. The C support libraries (native/c/build.sh says what each one is).
NATIVE_JDK="$JDK" bash native/c/build.sh "$clib" "$runtime_lib"

# 4. The JVM that runs the builder: JVMCI on, the builder's modules on the module path, Graal's
#    compiler replacing Temurin's stub jdk.graal.compiler module, JVMCI's packages opened to them.
module_path=$(ls "$builder"/*.jar | grep -v '/compiler-[0-9]' | tr '\n' ':')
builder_modules=org.graalvm.nativeimage.builder,org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.objectfile,org.graalvm.nativeimage.base,org.graalvm.nativeimage.configure,jdk.graal.compiler,org.graalvm.truffle.compiler,ALL-UNNAMED
jvmci_exports=(); jvmci_to_unnamed=()
for pkg in $("$java" --describe-module jdk.internal.vm.ci | awk '/^(contains|qualified exports)/ {print ($1 == "contains") ? $2 : $3}'); do
  jvmci_exports+=("--add-exports=jdk.internal.vm.ci/$pkg=$builder_modules")
  jvmci_to_unnamed+=("--add-exports=jdk.internal.vm.ci/$pkg=ALL-UNNAMED")
done
common_jvm=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI -XX:-UseJVMCICompiler
  --upgrade-module-path "$(jar_of compiler)" --module-path "$module_path" "${jvmci_exports[@]}")

# 5. Translate Quarkus's native-image arguments into a builder command line (TestDriver.java).
driver_out="$root/target/native-test-command.txt"
# The driver reads the builder's option annotations, so it loads the builder's classes: from the
# class path (reflection needs no module opens there), the compiler's own modules as above.
driver_mp=$(for j in word collections nativeimage truffle-compiler; do jar_of $j; done | tr '\n' ':')
driver_cp=$(ls "$builder"/*.jar | grep -v -E '/(compiler|word|collections|nativeimage|truffle-compiler)-[0-9]' | tr '\n' ':')
"$java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path "$(jar_of compiler)" \
  --module-path "$driver_mp" --add-modules jdk.graal.compiler,ALL-MODULE-PATH "${jvmci_to_unnamed[@]}" \
  --add-exports=jdk.graal.compiler/jdk.graal.compiler.options=ALL-UNNAMED -cp "$driver_cp" \
  native/TestDriver.java "$sources/native-image.args" "$builder" > "$driver_out"
mapfile -t lines < "$driver_out"
jvm_args=(); image_args=(); seen=""
for l in "${lines[@]}"; do
  if [[ -z "$seen" ]]; then [[ "$l" == "--" ]] && seen=yes || jvm_args+=("$l"); else image_args+=("$l"); fi
done

version=$(basename "$(jar_of svm)" .jar); version=${version#svm-}
log "running GraalVM $version's builder on $("$java" -version 2>&1 | sed -n 2p)"
cd "$sources"
"$java" "${common_jvm[@]}" \
  -Xss10m -Xms1g "-Xmx${NATIVE_XMX:-6g}" -XX:+UseParallelGC -Xshare:off \
  -Djava.awt.headless=true -Dcom.oracle.graalvm.isaot=true \
  -Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader \
  -Dorg.graalvm.nativeimage.imagecode=buildtime \
  "-Dorg.graalvm.version=$version" -Dorg.graalvm.vendor=event-hub-test-toolchain \
  -Dorg.graalvm.vendorversion="GraalVM CE $version (event-hub test toolchain)" \
  "${jvm_args[@]}" "-Djava.home=$root/native/target/jdk" \
  -m org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner \
  "${image_args[@]}" "-H:CLibraryPath=$clib" \
  -H:-UseContainerSupport \
  -H:NativeLinkerOption=-Wl,--no-as-needed "-H:NativeLinkerOption=-L$runtime_lib" \
  "-H:NativeLinkerOption=-Wl,-rpath,$runtime_lib" \
  $(for l in jvm java nio net zip extnet management_ext; do echo "-H:NativeLinkerOption=-l:lib$l.so"; done) 2>&1 |
  # The driver exports JDK internals of every default module; those the builder does not load warn.
  grep -v --line-buffered '^WARNING: Unknown module: .* specified to --add-exports'

name=$(sed -n 's/^-H:Name=//p' "$driver_out")
cp "$sources/$name" "$root/target/$name"
log "built target/$name ($(du -m "$root/target/$name" | cut -f1) MB; links $runtime_lib)"

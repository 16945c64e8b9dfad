import com.oracle.svm.core.option.APIOption;
import com.oracle.svm.core.option.APIOptionGroup;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.graal.compiler.options.OptionDescriptor;
import jdk.graal.compiler.options.OptionDescriptors;

/**
 * A TEST stand-in for GraalVM's {@code native-image} driver, which Maven Central does not serve.
 *
 * <p>Run by {@code native/build-here.sh} with the builder's jars on its module path. It reads the
 * argument file Quarkus writes ({@code target/native-sources/native-image.args}) and prints, one per
 * line, the command that starts GraalVM's builder ({@code NativeImageGeneratorRunner}) on this JDK.
 * It does only what the real driver does for such a build:
 *
 * <ul>
 *   <li>{@code -J<flag>} and {@code -D...} become flags of the builder JVM; {@code -H:}/{@code -R:}
 *       pass through;
 *   <li>{@code --name[=value]} options are translated with the builder's own {@link APIOption}
 *       annotations (so new Quarkus or user options need no change here);
 *   <li>{@code -jar} adds the jar, its manifest {@code Class-Path} and {@code Main-Class};
 *   <li>every class-path jar's {@code META-INF/native-image}: {@code native-image.properties}
 *       ({@code Args}, {@code JavaArgs}) are applied, configuration files become
 *       {@code -H:*Resources=} options, all minus {@code --exclude-config} matches;
 *   <li>manifest {@code Add-Opens}/{@code Add-Exports} (jboss-threads has one) open the package to
 *       the image's classes in the builder JVM, as the real driver does.
 * </ul>
 *
 * Anything it does not understand stops the build with a message, rather than being dropped.
 */
public final class TestDriver {

    private record Exclude(Pattern jar, Pattern resource) {}

    private record Api(String builderOption, boolean isBoolean, boolean negated, String fixed, String dflt,
            List<Function<Object, Object>> transformers) {}

    private final Map<String, Api> api = new HashMap<>();
    private final Map<String, Api> groups = new HashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> builderArgs = new ArrayList<>();
    private final Set<Path> classpath = new LinkedHashSet<>();
    private final List<Exclude> excludes = new ArrayList<>();
    private final Path workDir;
    private String mainClass;
    private String imageName;

    private TestDriver(Path workDir) {
        this.workDir = workDir;
    }

    public static void main(String[] argv) throws Exception {
        Path argsFile = Path.of(argv[0]).toAbsolutePath();
        TestDriver driver = new TestDriver(argsFile.getParent());
        driver.loadApiOptions(Path.of(argv[1]));
        driver.process(tokens(Files.readString(argsFile)), "the argument file");
        driver.applyMetaInf();
        driver.print();
    }

    /** The argument file: tokens separated by white space, as Quarkus writes it. */
    private static Deque<String> tokens(String text) {
        Deque<String> out = new ArrayDeque<>();
        for (String t : text.trim().split("\\s+")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** The builder's {@code --option} spellings, read from its option descriptors. */
    @SuppressWarnings("unchecked")
    private void loadApiOptions(Path builderDir) throws Exception {
        try (Stream<Path> jars = Files.list(builderDir)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                try (JarFile jf = new JarFile(jar.toFile())) {
                    for (var e : (Iterable<java.util.jar.JarEntry>) jf.stream()::iterator) {
                        String n = e.getName();
                        if (!n.endsWith("_OptionDescriptors.class")) {
                            continue;
                        }
                        String cls = n.substring(0, n.length() - ".class".length()).replace('/', '.');
                        Object d;
                        try {
                            var ctor = Class.forName(cls, false, TestDriver.class.getClassLoader())
                                    .getDeclaredConstructor();
                            ctor.setAccessible(true);
                            d = ctor.newInstance();
                        } catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
                            // the compiler's own modules (not exported here): no native-image options there
                            continue;
                        }
                        for (OptionDescriptor od : (OptionDescriptors) d) {
                            register(od);
                        }
                    }
                }
            }
        }
    }

    private void register(OptionDescriptor od) throws ReflectiveOperationException {
        Field field;
        try {
            field = od.getDeclaringClass().getDeclaredField(od.getFieldName());
        } catch (NoSuchFieldException | LinkageError e) {
            return;
        }
        String prefix = od.getOptionKey().getClass().getName().endsWith("RuntimeOptionKey") ? "-R:" : "-H:";
        boolean bool = od.getOptionValueType() == Boolean.class;
        for (APIOption a : field.getAnnotationsByType(APIOption.class)) {
            List<Function<Object, Object>> tf = new ArrayList<>();
            for (Class<? extends Function<Object, Object>> c : a.valueTransformer()) {
                var ctor = c.getDeclaredConstructor();
                ctor.setAccessible(true);
                tf.add(ctor.newInstance());
            }
            Api entry = new Api(prefix + od.getName(), bool, a.kind() == APIOption.APIOptionKind.Negated,
                    a.fixedValue().length > 0 ? a.fixedValue()[0] : null,
                    a.defaultValue().length > 0 ? a.defaultValue()[0] : null, tf);
            if (a.group() != APIOption.NullGroup.class) {
                var ctor = a.group().getDeclaredConstructor();
                ctor.setAccessible(true);
                APIOptionGroup g = ctor.newInstance();
                groups.put(APIOption.Utils.optionName(g.name()) + "=" + a.name()[0], entry);
            } else {
                for (String name : a.name()) {
                    api.put(APIOption.Utils.optionName(name), entry);
                }
            }
        }
    }

    private void process(Deque<String> args, String origin) throws IOException {
        while (!args.isEmpty()) {
            String a = args.poll();
            if (a.startsWith("-J")) {
                jvmArgs.add(a.substring(2));
            } else if (a.startsWith("-D")) {
                jvmArgs.add(a);
            } else if (a.equals("-H:+UnlockExperimentalVMOptions") || a.equals("-H:-UnlockExperimentalVMOptions")) {
                // One unlock for the whole build (below): this is a test toolchain.
            } else if (a.startsWith("-H:") || a.startsWith("-R:")) {
                builderArgs.add(a);
            } else if (a.startsWith("-O")) {
                builderArgs.add("-H:Optimize=" + a.substring(2));
            } else if (a.equals("-jar")) {
                addJar(workDir.resolve(args.poll()));
            } else if (a.equals("-cp") || a.equals("--class-path") || a.equals("-classpath")) {
                for (String p : args.poll().split(":")) {
                    classpath.add(workDir.resolve(p).normalize());
                }
            } else if (a.equals("--exclude-config")) {
                excludes.add(new Exclude(Pattern.compile(args.poll()), Pattern.compile(args.poll())));
            } else if (a.equals("--verbose") || a.equals("--no-server")) {
                // nothing to do
            } else if (a.startsWith("--") || a.startsWith("-g") || a.startsWith("-march")) {
                builderArgs.add(translate(a, origin));
            } else if (!a.startsWith("-") && imageName == null) {
                imageName = a;
            } else {
                throw new IllegalArgumentException("test driver: unknown argument '" + a + "' from " + origin);
            }
        }
    }

    private String translate(String arg, String origin) {
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String value = eq < 0 ? null : arg.substring(eq + 1);
        Api g = groups.get(arg);
        if (g != null) {
            return g.builderOption().replace("-H:", g.negated() ? "-H:-" : "-H:+");
        }
        Api o = api.get(name);
        if (o == null) {
            throw new IllegalArgumentException("test driver: no builder option is named '" + name + "' (from " + origin + ")");
        }
        if (o.isBoolean()) {
            return o.builderOption().replaceFirst(":", o.negated() ? ":-" : ":+");
        }
        Object v = o.fixed() != null ? o.fixed() : value != null ? value : o.dflt();
        if (v == null) {
            throw new IllegalArgumentException("test driver: '" + arg + "' needs a value (from " + origin + ")");
        }
        for (Function<Object, Object> t : o.transformers()) {
            v = t.apply(v);
        }
        return o.builderOption() + "=" + v;
    }

    private void addJar(Path jar) throws IOException {
        classpath.add(jar);
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            if (m == null) {
                return;
            }
            String main = m.getMainAttributes().getValue("Main-Class");
            if (main != null && mainClass == null) {
                mainClass = main;
            }
            String cp = m.getMainAttributes().getValue("Class-Path");
            if (cp != null) {
                for (String p : cp.trim().split("\\s+")) {
                    classpath.add(jar.getParent().resolve(p).normalize());
                }
            }
        }
    }

    /** What each class-path jar asks of the build: its META-INF/native-image and manifest. */
    private void applyMetaInf() throws Exception {
        Map<String, String> configOptions = new HashMap<>();
        Class<?> cf = Class.forName("com.oracle.svm.configure.ConfigurationFile");
        String[][] kinds = {
            {"REACHABILITY_METADATA", "ReachabilityMetadataResources"},
            {"JNI", "JNIConfigurationResources"},
            {"FOREIGN", "ForeignResources"},
            {"REFLECTION", "ReflectionConfigurationResources"},
            {"RESOURCES", "ResourceConfigurationResources"},
            {"DYNAMIC_PROXY", "DynamicProxyConfigurationResources"},
            {"SERIALIZATION", "SerializationConfigurationResources"},
            {"SERIALIZATION_DENY", "SerializationDenyConfigurationResources"},
            {"PREDEFINED_CLASSES_NAME", "PredefinedClassesConfigurationResources"}
        };
        for (String[] k : kinds) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object constant = Enum.valueOf((Class) cf, k[0]);
            configOptions.put((String) cf.getMethod("getFileName").invoke(constant), k[1]);
        }
        for (Path entry : List.copyOf(classpath)) {
            if (!Files.isRegularFile(entry)) {
                continue;
            }
            addManifestOpens(entry);
            try (FileSystem fs = FileSystems.newFileSystem(entry)) {
                Path base = fs.getPath("/META-INF/native-image");
                if (!Files.isDirectory(base)) {
                    continue;
                }
                List<Path> files;
                try (Stream<Path> walk = Files.walk(base)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    if (isExcluded(entry, f)) {
                        continue;
                    }
                    String fileName = f.getFileName().toString();
                    String relative = f.toString().substring(1);
                    if (fileName.equals("native-image.properties")) {
                        applyProperties(f, entry);
                    } else if (configOptions.containsKey(fileName)) {
                        builderArgs.add("-H:" + configOptions.get(fileName) + "=" + relative);
                    }
                }
            }
        }
    }

    private boolean isExcluded(Path jar, Path resource) {
        return excludes.stream()
                .anyMatch(e -> e.jar().matcher(jar.toString()).find()
                        && e.resource().matcher(resource.toString()).find());
    }

    private void applyProperties(Path file, Path jar) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        String dir = file.getParent().toString().substring(1);
        String origin = jar.getFileName() + "!/" + file;
        String javaArgs = p.getProperty("JavaArgs");
        if (javaArgs != null) {
            tokens(javaArgs.replace("${.}", dir)).forEach(jvmArgs::add);
        }
        String args = p.getProperty("Args");
        if (args != null) {
            process(tokens(args.replace("${.}", dir)), origin);
        }
    }

    private void addManifestOpens(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            if (m == null) {
                return;
            }
            for (String kind : new String[] {"Add-Opens", "Add-Exports"}) {
                String v = m.getMainAttributes().getValue(kind);
                if (v != null) {
                    for (String pkg : v.trim().split("\\s+")) {
                        jvmArgs.add("--" + kind.toLowerCase() + "=" + pkg + "=ALL-UNNAMED");
                    }
                }
            }
        }
    }

    /**
     * The builder reaches into the JDK's internals (as the real driver's flag list allows it): every
     * package of every system module that is not exported to all is exported to the builder.
     */
    private static List<String> jdkExports() {
        List<String> out = new ArrayList<>();
        String to = "org.graalvm.nativeimage.builder,org.graalvm.nativeimage.base,org.graalvm.nativeimage.pointsto,"
                + "org.graalvm.nativeimage.objectfile,jdk.graal.compiler,ALL-UNNAMED";
        for (var ref : java.lang.module.ModuleFinder.ofSystem().findAll()) {
            var d = ref.descriptor();
            if (ModuleLayer.boot().findModule(d.name()).isEmpty()) {
                continue; // not resolved by default (jdk.hotspot.agent, ...): nothing to export
            }
            Set<String> open = new java.util.HashSet<>();
            d.exports().stream().filter(e -> !e.isQualified()).forEach(e -> open.add(e.source()));
            d.packages().stream()
                    .filter(p -> !open.contains(p))
                    .sorted()
                    .forEach(p -> out.add("--add-exports=" + d.name() + "/" + p + "=" + to));
        }
        return out;
    }

    /** One builder JVM flag per line, then {@code --}, then one builder argument per line. */
    private void print() {
        if (mainClass == null || imageName == null) {
            throw new IllegalStateException("test driver: no main class or image name in the arguments");
        }
        StringBuilder out = new StringBuilder();
        for (String j : jdkExports()) {
            out.append(j).append('\n');
        }
        out.append("--enable-native-access=org.graalvm.nativeimage.builder,ALL-UNNAMED\n");
        for (String j : jvmArgs) {
            out.append(j).append('\n');
        }
        out.append("--\n");
        out.append("-imagecp\n");
        out.append(String.join(":", classpath.stream().map(Path::toString).toList())).append('\n');
        out.append("-H:+UnlockExperimentalVMOptions\n");
        out.append("-H:Path=").append(workDir).append('\n');
        out.append("-H:Name=").append(imageName).append('\n');
        out.append("-H:Class=").append(mainClass).append('\n');
        // The real driver names every build; the image uses it to salt its hash seeds.
        out.append("-H:ImageBuildID=").append(java.util.UUID.randomUUID()).append('\n');
        for (String b : builderArgs) {
            out.append(b).append('\n');
        }
        System.out.print(out);
    }
}

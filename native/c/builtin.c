/*
 * lib<NAME>.a, compiled once per JDK library the image treats as built in (java, nio, net, zip,
 * ...; -DLIB=name). The image calls JNI_OnLoad_<name> for each at start-up, as it would for the
 * JDK's static libraries, which no registry serves for JDK 25. We link Temurin's shared
 * lib<name>.so instead: this forwarder runs that library's own JNI_OnLoad (libnet's sets up IPv6
 * support, for example) and reports JNI 1.8, the version the image requires of built-in libraries.
 */
#include <dlfcn.h>
#include <jni.h>
#include <stdio.h>

#define STR2(x) #x
#define STR(x) STR2(x)
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

JNIEXPORT jint JNICALL CAT(JNI_OnLoad_, LIB)(JavaVM *vm, void *reserved) {
  void *lib = dlopen("lib" STR(LIB) ".so", RTLD_LAZY | RTLD_NOLOAD);
  if (lib == NULL) lib = dlopen("lib" STR(LIB) ".so", RTLD_LAZY);
  if (lib != NULL) {
    jint (*onload)(JavaVM *, void *) = (jint(*)(JavaVM *, void *)) dlsym(lib, "JNI_OnLoad");
    if (onload != NULL && onload(vm, reserved) < 0) {
      fprintf(stderr, "JNI_OnLoad of lib%s.so failed\n", STR(LIB));
      return JNI_ERR;
    }
  }
  return JNI_VERSION_1_8;
}

/*
 * libjvm.a as svm links it (@CLibrary("jvm") in svm's Jvm.java): initialize() at start-up and the
 * processor count. Not HotSpot: the stub libjvm.so (jvmstub.c) is a different library.
 */
#include <unistd.h>

void initialize(void) {}

int JVM_ActiveProcessorCount(void) { return (int) sysconf(_SC_NPROCESSORS_ONLN); }

/*
 * The libjvm.so the image loads instead of HotSpot's. Temurin's libjava.so, libnet.so, libzip.so,
 * ... import about 160 JVM_* / jio_* functions from libjvm.so. An image implements most of what
 * they back in Java, so few are ever called: those are implemented here; build.sh generates a
 * stub for every other imported name that stops the process with the function's name, so a call
 * no one expected is seen at once rather than misbehaving.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

void event_hub_jvm_stub_unimplemented(const char *name) {
  fprintf(stderr, "event-hub test libjvm.so: %s is not implemented (test toolchain only)\n", name);
  abort();
}

int jio_vsnprintf(char *str, size_t count, const char *fmt, va_list args) {
  if ((intptr_t) count <= 0) return -1;
  int r = vsnprintf(str, count, fmt, args);
  return (r >= 0 && (size_t) r < count) ? r : -1;
}

int jio_snprintf(char *str, size_t count, const char *fmt, ...) {
  va_list a;
  va_start(a, fmt);
  int r = jio_vsnprintf(str, count, fmt, a);
  va_end(a);
  return r;
}

int jio_vfprintf(FILE *f, const char *fmt, va_list args) { return vfprintf(f, fmt, args); }

int jio_fprintf(FILE *f, const char *fmt, ...) {
  va_list a;
  va_start(a, fmt);
  int r = vfprintf(f, fmt, a);
  va_end(a);
  return r;
}

jlong JVM_NanoTime(JNIEnv *env, jclass c) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (jlong) t.tv_sec * 1000000000L + t.tv_nsec;
}

jlong JVM_CurrentTimeMillis(JNIEnv *env, jclass c) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (jlong) t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Nanoseconds since offset_secs, or -1 when that does not fit (as HotSpot's jvm.cpp). */
jlong JVM_GetNanoTimeAdjustment(JNIEnv *env, jclass c, jlong offset_secs) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  jlong diff = (jlong) t.tv_sec - offset_secs;
  if (diff >= 0x100000000L || diff <= -0x100000000L) return -1;
  return diff * 1000000000L + t.tv_nsec;
}

int JVM_ActiveProcessorCount(void) { return (int) sysconf(_SC_NPROCESSORS_ONLN); }

char *JVM_NativePath(char *path) { return path; }

void *JVM_FindLibraryEntry(void *handle, const char *name) { return dlsym(handle, name); }

void *JVM_RawMonitorCreate(void) {
  pthread_mutex_t *m = malloc(sizeof(*m));
  if (m != NULL) pthread_mutex_init(m, NULL);
  return m;
}

void JVM_RawMonitorDestroy(void *m) {
  pthread_mutex_destroy(m);
  free(m);
}

jint JVM_RawMonitorEnter(void *m) { return pthread_mutex_lock(m) == 0 ? 0 : -1; }

void JVM_RawMonitorExit(void *m) { pthread_mutex_unlock(m); }

/*
 * Runtime.halt and the end of System.exit: libjava's Shutdown.halt0 calls this once the shutdown
 * hooks have run, so only the process's end is left to do (no atexit handlers, like HotSpot's halt).
 */
void JVM_Halt(jint code) { _exit(code); }

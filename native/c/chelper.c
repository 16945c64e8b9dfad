/*
 * liblibchelper.a (with cpufeatures.c and locale.c): the small C helpers GraalVM's image calls
 * directly (@CFunction in svm's LibCHelper, LinuxLibCHelper, CodeSynchronizationOperations,
 * CSunMiscSignal). GraalVM ships them prebuilt; Maven Central does not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* The process environment, for System.getenv. */
char **getEnviron(void) { return environ; }

/* The time-zone id for java.util.TimeZone's default, as the JDK's TimeZone_md.c finds it:
 * $TZ, else /etc/timezone, else the zoneinfo path /etc/localtime links to. NULL: GMT. */
char *SVM_FindJavaTZmd(const char *tzMappings, int length) {
  const char *tz = getenv("TZ");
  char buf[PATH_MAX];
  if (tz != NULL && *tz != '\0') {
    return strdup(*tz == ':' ? tz + 1 : tz);
  }
  FILE *f = fopen("/etc/timezone", "r");
  if (f != NULL) {
    char *line = fgets(buf, sizeof(buf), f);
    fclose(f);
    if (line != NULL) {
      line[strcspn(line, " \t\n")] = '\0';
      if (*line != '\0') return strdup(line);
    }
  }
  ssize_t n = readlink("/etc/localtime", buf, sizeof(buf) - 1);
  if (n > 0) {
    buf[n] = '\0';
    char *zi = strstr(buf, "zoneinfo/");
    if (zi != NULL) return strdup(zi + strlen("zoneinfo/"));
  }
  return NULL;
}

int getThreadId(void) { return (int) syscall(SYS_gettid); }

/* User CPU time of thread `tid` in nanoseconds, from /proc (field 14 of its stat line). */
long getThreadUserTimeSlow(int tid) {
  char path[64], line[1024];
  snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
  FILE *f = fopen(path, "r");
  if (f == NULL) return -1;
  char *ok = fgets(line, sizeof(line), f);
  fclose(f);
  char *p = ok ? strrchr(line, ')') : NULL;
  if (p == NULL) return -1;
  unsigned long utime = 0;
  /* after ") ": state(3) ... utime is the 12th field from there */
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu", &utime) != 1) return -1;
  return (long) (utime * (1000000000L / sysconf(_SC_CLK_TCK)));
}

void *mremapP(void *old, size_t oldSize, size_t newSize, int flags, void *newAddress) {
  return mremap(old, oldSize, newSize, flags, newAddress);
}

/* x86 keeps instruction caches coherent: nothing to flush. */
void codeSynchronization_clearCache(long start, long size) { (void) start; (void) size; }

/*
 * Signals for sun.misc.Signal / jdk.internal.misc.Signal (SIGTERM, SIGINT, SIGHUP: Quarkus's
 * graceful shutdown). The handler only counts the signal and posts a semaphore; a Java thread
 * waits on the semaphore and asks which signal is pending.
 */
static sem_t signal_semaphore;
static volatile sig_atomic_t pending[NSIG];

int cSunMiscSignal_open(void) { return sem_init(&signal_semaphore, 0, 0); }
int cSunMiscSignal_close(void) { return sem_destroy(&signal_semaphore); }

int cSunMiscSignal_awaitSemaphore(void) {
  int r;
  while ((r = sem_wait(&signal_semaphore)) != 0 && errno == EINTR) {
  }
  return r;
}

int cSunMiscSignal_signalSemaphore(void) { return sem_post(&signal_semaphore); }

int cSunMiscSignal_signalRangeCheck(int sig) { return sig > 0 && sig < NSIG; }

int cSunMiscSignal_checkPendingSignal(void) {
  for (int s = 1; s < NSIG; s++) {
    if (pending[s] > 0) {
      __atomic_sub_fetch(&pending[s], 1, __ATOMIC_SEQ_CST);
      return s;
    }
  }
  return -1;
}

static void count_signal(int sig) {
  if (sig > 0 && sig < NSIG) {
    __atomic_add_fetch(&pending[sig], 1, __ATOMIC_SEQ_CST);
    sem_post(&signal_semaphore);
  }
}

void *cSunMiscSignal_signalHandlerFunctionPointer(void) { return (void *) count_signal; }

/* Fixed-arity names the image calls for two variadic libc functions (Fcntl.openSII,
 * PosixVMThreads.fprintfSD): a C call through them gets the variadic calling convention right. */
int openSII(const char *path, int flags, int mode) { return open(path, flags, mode); }

int fprintfSD(FILE *stream, const char *format, const char *arg0, int arg1) {
  return fprintf(stream, format, arg0, arg1);
}

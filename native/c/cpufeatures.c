/*
 * Part of liblibchelper.a. The image checks at start-up that this CPU has every feature the
 * build compiled for: determineCPUFeatures fills the struct of include/amd64cpufeatures.h from
 * CPUID, and the check compares it with the build's mask (one byte per feature: 0xfe where the
 * feature is required, 0xff elsewhere; so byte | mask must be 0xff everywhere).
 */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amd64cpufeatures.h"

#define BIT(reg, n) (((reg) >> (n)) & 1)

static unsigned long long xgetbv0(void) {
  unsigned int lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((unsigned long long) hi << 32) | lo;
}

void determineCPUFeatures(CPUFeatures *f) {
  unsigned int a, b, c, d, max;
  memset(f, 0, sizeof(*f));
  max = __get_cpuid_max(0, 0);
  if (max < 1) return;
  __cpuid(1, a, b, c, d);
  f->fCX8 = BIT(d, 8); f->fCMOV = BIT(d, 15); f->fFXSR = BIT(d, 24); f->fHT = BIT(d, 28);
  f->fMMX = BIT(d, 23); f->fSSE = BIT(d, 25); f->fSSE2 = BIT(d, 26); f->fTSC = BIT(d, 4);
  f->fFLUSH = BIT(d, 19);
  f->fSSE3 = BIT(c, 0); f->fCLMUL = BIT(c, 1); f->fSSSE3 = BIT(c, 9); f->fFMA = BIT(c, 12);
  f->fSSE4_1 = BIT(c, 19); f->fSSE4_2 = BIT(c, 20); f->fPOPCNT = BIT(c, 23); f->fAES = BIT(c, 25);
  f->fF16C = BIT(c, 29); f->fHV = BIT(c, 31);
  /* AVX needs the OS to save the YMM state (OSXSAVE and XCR0 bits 1-2). */
  int os_avx = BIT(c, 27) && (xgetbv0() & 6) == 6;
  int os_avx512 = os_avx && (xgetbv0() & 0xe0) == 0xe0;
  f->fAVX = BIT(c, 28) && os_avx;
  if (!os_avx) f->fFMA = f->fF16C = 0;
  f->fVZEROUPPER = f->fAVX;
  if (max >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    f->fBMI1 = BIT(b, 3); f->fAVX2 = BIT(b, 5) && os_avx; f->fBMI2 = BIT(b, 8); f->fERMS = BIT(b, 9);
    f->fRTM = BIT(b, 11); f->fADX = BIT(b, 19); f->fSHA = BIT(b, 29); f->fFLUSHOPT = BIT(b, 23);
    f->fCLWB = BIT(b, 24); f->fPKU = BIT(c, 3); f->fOSPKE = BIT(c, 4); f->fGFNI = BIT(c, 8);
    f->fRDPID = BIT(c, 22); f->fFSRM = BIT(d, 4); f->fSERIALIZE = BIT(d, 14);
    if (os_avx512) {
      f->fAVX512F = BIT(b, 16); f->fAVX512DQ = BIT(b, 17); f->fAVX512_IFMA = BIT(b, 21);
      f->fAVX512PF = BIT(b, 26); f->fAVX512ER = BIT(b, 27); f->fAVX512CD = BIT(b, 28);
      f->fAVX512BW = BIT(b, 30); f->fAVX512VL = BIT(b, 31); f->fAVX512_VBMI = BIT(c, 1);
      f->fAVX512_VBMI2 = BIT(c, 6); f->fAVX512_VNNI = BIT(c, 11); f->fAVX512_BITALG = BIT(c, 12);
      f->fAVX512_VPOPCNTDQ = BIT(c, 14); f->fAVX512_VAES = BIT(c, 9);
      f->fAVX512_VPCLMULQDQ = BIT(c, 10); f->fAVX512_FP16 = BIT(d, 23);
    }
  }
  __cpuid(0x80000000, a, b, c, d);
  unsigned int ext = a;
  if (ext >= 0x80000001) {
    __cpuid(0x80000001, a, b, c, d);
    f->fLZCNT = BIT(c, 5); f->fSSE4A = BIT(c, 6); f->fAMD_3DNOW_PREFETCH = BIT(c, 8) || BIT(d, 31);
    f->fRDTSCP = BIT(d, 27);
  }
  if (ext >= 0x80000007) {
    __cpuid(0x80000007, a, b, c, d);
    f->fTSCINV_BIT = BIT(d, 8); f->fTSCINV = f->fTSCINV_BIT;
  }
}

int checkCPUFeatures(const unsigned char *mask) {
  unsigned char have[(sizeof(CPUFeatures) + 7) / 8 * 8] = {0};
  determineCPUFeatures((CPUFeatures *) have);
  for (size_t i = 0; i < sizeof(have); i++) {
    if ((unsigned char) (have[i] | mask[i]) != 0xff) return -1;
  }
  return 0;
}

int checkCPUFeaturesOrExit(const unsigned char *mask, const char *message) {
  if (checkCPUFeatures(mask) != 0) {
    fprintf(stderr, "%s\n", message);
    exit(1);
  }
  return 0;
}

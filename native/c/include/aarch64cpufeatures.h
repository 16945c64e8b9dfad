/* AArch64 CPU-feature struct (svm's AArch64LibCHelper.CPUFeatures). The builder reads it for every
 * architecture it knows while it prepares the build; only amd64's is used in the image here. */
#ifndef EVENT_HUB_AARCH64CPUFEATURES_H
#define EVENT_HUB_AARCH64CPUFEATURES_H
typedef struct {
  char fFP;
  char fASIMD;
  char fEVTSTRM;
  char fAES;
  char fPMULL;
  char fSHA1;
  char fSHA2;
  char fCRC32;
  char fLSE;
  char fDCPOP;
  char fSHA3;
  char fSHA512;
  char fSVE;
  char fSVE2;
  char fSTXR_PREFETCH;
  char fA53MAC;
  char fDMB_ATOMICS;
  char fPACA;
  char fSVEBITPERM;
  char fFPHP;
  char fASIMDHP;
} CPUFeatures;
#endif

/* RISCV64 CPU-feature struct (svm's RISCV64LibCHelper.CPUFeatures). The builder reads it for every
 * architecture it knows while it prepares the build; only amd64's is used in the image here. */
#ifndef EVENT_HUB_RISCV64CPUFEATURES_H
#define EVENT_HUB_RISCV64CPUFEATURES_H
typedef struct {
  char fI;
  char fM;
  char fA;
  char fF;
  char fD;
  char fC;
  char fV;
} CPUFeatures;
#endif

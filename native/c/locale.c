/*
 * Part of liblibchelper.a: the default locale for Locale.getDefault(), parsed from the
 * environment's LC_CTYPE / LC_MESSAGES ("en_US.UTF-8@euro" -> en, US, euro) as the JDK's
 * java_props_md.c does, in short: "C"/"POSIX" mean en.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include "svm_locale.h"

static svm_locale_props_t props;

static void parse(const char *name, char **language, char **country, char **variant) {
  if (name == NULL || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 || *name == '\0') {
    *language = strdup("en");
    return;
  }
  char *copy = strdup(name);
  char *at = strchr(copy, '@');
  if (at != NULL) {
    *at = '\0';
    *variant = strdup(at + 1);
  }
  char *dot = strchr(copy, '.');
  if (dot != NULL) *dot = '\0';
  char *underscore = strchr(copy, '_');
  if (underscore != NULL) {
    *underscore = '\0';
    *country = strdup(underscore + 1);
  }
  *language = strdup(copy);
  free(copy);
}

int svm_initialize_locale(void) {
  setlocale(LC_ALL, "");
  parse(setlocale(LC_CTYPE, NULL), &props.format_language, &props.format_country, &props.format_variant);
  parse(setlocale(LC_MESSAGES, NULL), &props.display_language, &props.display_country, &props.display_variant);
  return props.format_language && props.display_language ? SVM_LOCALE_INITIALIZATION_SUCCEEDED
                                                         : SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
}

svm_locale_props_t *svm_get_locale(void) { return &props; }

/*
 * The locale struct and result codes GraalVM's builder reads (LocaleCHelper): the image asks
 * svm_initialize_locale() once and then reads svm_get_locale() (locale.c fills it from setlocale).
 */
#ifndef EVENT_HUB_SVM_LOCALE_H
#define EVENT_HUB_SVM_LOCALE_H
#define SVM_LOCALE_INITIALIZATION_SUCCEEDED 0
#define SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY 1
typedef struct {
  char *display_language, *display_script, *display_country, *display_variant;
  char *format_language, *format_script, *format_country, *format_variant;
} svm_locale_props_t;
int svm_initialize_locale(void);
svm_locale_props_t *svm_get_locale(void);
#endif

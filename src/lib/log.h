/* log.h - cella's console messages. Everything goes to the platform console with a "cella: "
 * prefix, printf-checked. Messages a guest can trigger go through pr_guest(), which is limited
 * per cell so a guest cannot flood the console. */
#ifndef CELLA_LIB_LOG_H
#define CELLA_LIB_LOG_H

#include <stdint.h>

/* log_printf - print a formatted message to the console, whole lines kept together. */
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define pr_err(...) log_printf("cella: error: " __VA_ARGS__)
#define pr_warn(...) log_printf("cella: warning: " __VA_ARGS__)
#define pr_info(...) log_printf("cella: " __VA_ARGS__)

/* panic - a broken invariant of cella itself: print the message and where, stop this pCPU. */
void panic(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
#define PANIC(...) panic(__FILE__, __LINE__, __VA_ARGS__)
#define BUG_ON(c) do { if (c) panic(__FILE__, __LINE__, "BUG_ON(%s)", #c); } while (0)

#endif

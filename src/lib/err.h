/* err.h - cella's internal error codes: functions return 0 or -ERR_x. */
#ifndef CELLA_LIB_ERR_H
#define CELLA_LIB_ERR_H

enum {
	ERR_INVAL = 1,	/* malformed argument or data */
	ERR_NOENT,	/* not found */
	ERR_NOMEM,	/* out of a fixed pool */
	ERR_RANGE,	/* value or address out of range, or arithmetic overflow */
	ERR_EXIST,	/* overlaps or duplicates something that exists */
	ERR_BADFMT,	/* blob has a bad magic, version or layout */
	ERR_NOSPC,	/* output buffer too small */
	ERR_PERM,	/* not allowed */
	ERR_BUSY,	/* object in a state that forbids the request */
};

/* err_str - short English name of an error code (positive or negative). */
const char *err_str(int err);

#endif

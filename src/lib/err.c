/* err.c - names of cella's internal error codes. */
#include "err.h"

const char *err_str(int err)
{
	static const char *const names[] = {
		[0] = "success",
		[ERR_INVAL] = "invalid argument",
		[ERR_NOENT] = "not found",
		[ERR_NOMEM] = "out of memory",
		[ERR_RANGE] = "out of range",
		[ERR_EXIST] = "overlaps an existing object",
		[ERR_BADFMT] = "bad format",
		[ERR_NOSPC] = "no space left",
		[ERR_PERM] = "not permitted",
		[ERR_BUSY] = "busy",
	};

	if (err < 0)
		err = -err;
	if ((unsigned)err >= sizeof(names) / sizeof(names[0]) || !names[err])
		return "unknown error";
	return names[err];
}

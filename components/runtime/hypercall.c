/* hypercall.c - the component runtime's ABI probe (the calls themselves are inline in
 * rt/hypercall.h). */
#include <rt/hypercall.h>

int cella_abi_probe(struct cella_abi_info *info)
{
	uint32_t uid[4], major = 0, minor = 0, calls = 0;
	int st = cella_call_uid(uid);

	if (info)
		*info = (struct cella_abi_info){ 0, 0, 0 };
	if (st != CELLA_OK)
		return st;
	if (uid[0] != CELLA_UID0 || uid[1] != CELLA_UID1 || uid[2] != CELLA_UID2 ||
	    uid[3] != CELLA_UID3)
		return CELLA_E_INVAL;
	st = cella_revision(&major, &minor);
	if (st != CELLA_OK)
		return st;
	cella_call_count(&calls);
	if (info)
		*info = (struct cella_abi_info){ calls, major, minor };
	return major == CELLA_ABI_VERSION_MAJOR ? CELLA_OK : CELLA_E_INVAL;
}

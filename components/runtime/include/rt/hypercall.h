/* hypercall.h - cella's guest ABI (include/cella/abi.h, docs/abi.md) as one inline function per
 * call. Each makes an SMCCC 1.1 fast call with HVC #0 (Arm DEN0028, 2.5 "SMC and HVC calling
 * conventions", 3 "Calling convention"): function ID in w0, arguments in x1..x6; returns the
 * status from x0 (CELLA_OK or a negative CELLA_E_*) and stores the results x1..x3 through the
 * pointers given, which may be NULL. A result is stored only when the call returns CELLA_OK.
 * Slots are indexes into the calling cell's cspace (0 .. CELLA_CSPACE_SLOTS - 1). */
#ifndef RT_HYPERCALL_H
#define RT_HYPERCALL_H

#include <stdint.h>

#include <cella/abi.h>

/* cella_hvc - the raw call: @fid with arguments @a1..@a3 (x4..x6 are 0), results x1..x3 in
 * @res[0..2]. abi.h: registers other than x0..x3 are preserved. Returns x0. */
static inline int64_t cella_hvc(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
				uint64_t res[3])
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = 0;
	register uint64_t x5 __asm__("x5") = 0;
	register uint64_t x6 __asm__("x6") = 0;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 : "r"(x4), "r"(x5), "r"(x6)
			 : "memory");
	res[0] = x1;
	res[1] = x2;
	res[2] = x3;
	return (int64_t)x0;
}

/* cella_nop - CELLA_FN_NOP, the null hypercall (a round trip, no effect). Returns the status. */
static inline int cella_nop(void)
{
	uint64_t r[3];

	return (int)cella_hvc(CELLA_FN_NOP, 0, 0, 0, r);
}

/* cella_call_count - CELLA_FN_CALL_COUNT (DEN0028 6.2, SMC32): the number of calls in *@count.
 * Returns CELLA_OK, or CELLA_E_NOT_SUPPORTED (w0 = 0xffffffff) from a hypervisor that does not
 * answer it. */
static inline int cella_call_count(uint32_t *count)
{
	uint64_t r[3];
	int32_t w0 = (int32_t)cella_hvc(CELLA_FN_CALL_COUNT, 0, 0, 0, r);

	if (w0 == CELLA_E_NOT_SUPPORTED)
		return CELLA_E_NOT_SUPPORTED;
	if (count)
		*count = (uint32_t)w0;
	return CELLA_OK;
}

/* cella_call_uid - CELLA_FN_CALL_UID (DEN0028 6.2, SMC32): the UID words x0..x3 (32 bits each)
 * in @uid[0..3]; cella's are CELLA_UID0..3. Returns CELLA_OK, or CELLA_E_NOT_SUPPORTED when w0
 * is 0xffffffff (the spec's "not supported"). */
static inline int cella_call_uid(uint32_t uid[4])
{
	uint64_t r[3];
	uint64_t x0 = (uint64_t)cella_hvc(CELLA_FN_CALL_UID, 0, 0, 0, r);

	if ((uint32_t)x0 == 0xffffffffu)
		return CELLA_E_NOT_SUPPORTED;
	if (uid) {
		uid[0] = (uint32_t)x0;
		uid[1] = (uint32_t)r[0];
		uid[2] = (uint32_t)r[1];
		uid[3] = (uint32_t)r[2];
	}
	return CELLA_OK;
}

/* cella_revision - CELLA_FN_REVISION (DEN0028 6.2, SMC32): the ABI version, major in *@major,
 * minor in *@minor (CELLA_ABI_VERSION_MAJOR/MINOR for this header). Returns CELLA_OK, or
 * CELLA_E_NOT_SUPPORTED. */
static inline int cella_revision(uint32_t *major, uint32_t *minor)
{
	uint64_t r[3];
	int32_t w0 = (int32_t)cella_hvc(CELLA_FN_REVISION, 0, 0, 0, r);

	if (w0 < 0)
		return CELLA_E_NOT_SUPPORTED;
	if (major)
		*major = (uint32_t)w0;
	if (minor)
		*minor = (uint32_t)r[0];
	return CELLA_OK;
}

/* cella_cap_identify - CELLA_FN_CAP_IDENTIFY: what slot @slot holds, its CELLA_CAP_* type in
 * *@type and its CELLA_R_* rights in *@rights. Returns CELLA_OK, CELLA_E_RANGE (slot outside
 * the cspace) or CELLA_E_NOCAP (empty). */
static inline int cella_cap_identify(uint64_t slot, uint64_t *type, uint64_t *rights)
{
	uint64_t r[3];
	int st = (int)cella_hvc(CELLA_FN_CAP_IDENTIFY, slot, 0, 0, r);

	if (st == CELLA_OK && type)
		*type = r[0];
	if (st == CELLA_OK && rights)
		*rights = r[1];
	return st;
}

/* cella_cap_copy - CELLA_FN_CAP_COPY: copy the cap in slot @src into the empty slot @dst with
 * the rights of @src masked by @rights (never more). Returns CELLA_OK, CELLA_E_RANGE,
 * CELLA_E_NOCAP (@src empty), CELLA_E_FULL (@dst not empty) or CELLA_E_INVAL (@rights has bits
 * no right has). */
static inline int cella_cap_copy(uint64_t src, uint64_t dst, uint64_t rights)
{
	uint64_t r[3];

	return (int)cella_hvc(CELLA_FN_CAP_COPY, src, dst, rights, r);
}

/* cella_cap_delete - CELLA_FN_CAP_DELETE: empty slot @slot. Returns CELLA_OK, CELLA_E_RANGE or
 * CELLA_E_NOCAP. */
static inline int cella_cap_delete(uint64_t slot)
{
	uint64_t r[3];

	return (int)cella_hvc(CELLA_FN_CAP_DELETE, slot, 0, 0, r);
}

/* cella_cell_query - CELLA_FN_CELL_QUERY (right CELLA_R_QUERY) on the cell cap in @slot: its
 * CELLA_CELL_* state in *@state, x2 in *@reason (CELLA_STOP_* in bits 7:0, see
 * cella_stop_reason; restart count in 63:32, see cella_restarts), x3 in *@detail (ESR_EL2 of
 * the fault for CELLA_STOP_FAULT). Returns CELLA_OK, CELLA_E_RANGE, CELLA_E_NOCAP,
 * CELLA_E_TYPE or CELLA_E_PERM. */
static inline int cella_cell_query(uint64_t slot, uint64_t *state, uint64_t *reason,
				   uint64_t *detail)
{
	uint64_t r[3];
	int st = (int)cella_hvc(CELLA_FN_CELL_QUERY, slot, 0, 0, r);

	if (st == CELLA_OK && state)
		*state = r[0];
	if (st == CELLA_OK && reason)
		*reason = r[1];
	if (st == CELLA_OK && detail)
		*detail = r[2];
	return st;
}

/* cella_stop_reason / cella_restarts - the fields of cella_cell_query's *@reason. */
static inline unsigned cella_stop_reason(uint64_t reason) { return (unsigned)(reason & 0xff); }
static inline uint32_t cella_restarts(uint64_t reason) { return (uint32_t)(reason >> 32); }

/* cella_cell_start - CELLA_FN_CELL_START (right CELLA_R_START): start the stopped cell in
 * @slot. Returns CELLA_OK, CELLA_E_BUSY (not stopped) or a cap error as cella_cell_query. */
static inline int cella_cell_start(uint64_t slot)
{
	uint64_t r[3];

	return (int)cella_hvc(CELLA_FN_CELL_START, slot, 0, 0, r);
}

/* cella_cell_stop - CELLA_FN_CELL_STOP (right CELLA_R_STOP): stop the cell in @slot (its
 * reason becomes CELLA_STOP_BY_CAP). Returns CELLA_OK, CELLA_E_BUSY or a cap error. */
static inline int cella_cell_stop(uint64_t slot)
{
	uint64_t r[3];

	return (int)cella_hvc(CELLA_FN_CELL_STOP, slot, 0, 0, r);
}

/* cella_cell_restart - CELLA_FN_CELL_RESTART (right CELLA_R_RESTART): stop the cell in @slot
 * if it runs and start it again from its images. Returns CELLA_OK, CELLA_E_BUSY or a cap
 * error. */
static inline int cella_cell_restart(uint64_t slot)
{
	uint64_t r[3];

	return (int)cella_hvc(CELLA_FN_CELL_RESTART, slot, 0, 0, r);
}

/* cella_vcpu_query - CELLA_FN_VCPU_QUERY (right CELLA_R_QUERY, ABI 1.1) on the vCPU cap in
 * @slot: its CELLA_VCPU_* state (the values of PSCI AFFINITY_INFO) in *@state, the index of the
 * pCPU it is pinned to in *@pcpu, its index within its cell in *@index. Returns CELLA_OK,
 * CELLA_E_RANGE, CELLA_E_NOCAP, CELLA_E_TYPE (a cap of another type, e.g. a cell's) or
 * CELLA_E_PERM; CELLA_E_NOT_SUPPORTED from a cella older than ABI 1.1. */
static inline int cella_vcpu_query(uint64_t slot, uint64_t *state, uint64_t *pcpu,
				   uint64_t *index)
{
	uint64_t r[3];
	int st = (int)cella_hvc(CELLA_FN_VCPU_QUERY, slot, 0, 0, r);

	if (st == CELLA_OK && state)
		*state = r[0];
	if (st == CELLA_OK && pcpu)
		*pcpu = r[1];
	if (st == CELLA_OK && index)
		*index = r[2];
	return st;
}

/* chan_info - CELLA_FN_CHAN_INFO (ABI 1.2, no right needed) on the channel cap in @slot: the
 * IPA of the channel's memory in the caller in *@ipa, its size in bytes in *@size, in *@flags
 * the cap's rights (bits 7:0), CELLA_CHAN_PEER_RUNNING, CELLA_CHAN_END1 and the doorbell's SPI
 * INTID (CELLA_CHAN_INTID). Returns CELLA_OK, CELLA_E_RANGE, CELLA_E_NOCAP or CELLA_E_TYPE;
 * CELLA_E_NOT_SUPPORTED from a cella older than ABI 1.2. */
static inline int chan_info(uint64_t slot, uint64_t *ipa, uint64_t *size, uint64_t *flags)
{
	uint64_t r[3];
	int st = (int)cella_hvc(CELLA_FN_CHAN_INFO, slot, 0, 0, r);

	if (st == CELLA_OK && ipa)
		*ipa = r[0];
	if (st == CELLA_OK && size)
		*size = r[1];
	if (st == CELLA_OK && flags)
		*flags = r[2];
	return st;
}

/* chan_notify - CELLA_FN_CHAN_NOTIFY (right CELLA_R_NOTIFY): ring the peer of the channel in
 * @slot (its doorbell SPI becomes pending; it needs not be running). Returns CELLA_OK or a cap
 * error (CELLA_E_PERM without the right). */
static inline int chan_notify(uint64_t slot)
{
	uint64_t r[3];

	return (int)cella_hvc(CELLA_FN_CHAN_NOTIFY, slot, 0, 0, r);
}

/* cella_wait - CELLA_FN_WAIT: sleep until an interrupt is pending for this vCPU (masked by
 * PSTATE.I or not, as WFI) or @timeout_ns nanoseconds pass (0: only look; CELLA_WAIT_FOREVER:
 * no timeout). The interrupt stays pending: take it, or acknowledge it with gic_poll. Returns
 * CELLA_OK (an interrupt is pending) or CELLA_E_TIMEOUT. */
static inline int cella_wait(uint64_t timeout_ns)
{
	uint64_t r[3];

	return (int)cella_hvc(CELLA_FN_WAIT, timeout_ns, 0, 0, r);
}

/* chan_call - CELLA_FN_CHAN_CALL: chan_notify(@slot), then cella_wait(@timeout_ns), in one
 * hypercall: one half of a round trip. Returns chan_notify's error (and then does not wait),
 * else cella_wait's status. */
static inline int chan_call(uint64_t slot, uint64_t timeout_ns)
{
	uint64_t r[3];

	return (int)cella_hvc(CELLA_FN_CHAN_CALL, slot, timeout_ns, 0, r);
}

/* cella_strerror - the name of status @st ("OK", "NOT_SUPPORTED", "NOCAP", ...). */
static inline const char *cella_strerror(int st)
{
	static const char *const names[] = { "OK", "NOT_SUPPORTED", "INVAL", "RANGE", "NOCAP",
					     "TYPE", "PERM", "BUSY", "FULL", "TIMEOUT" };

	return st <= 0 && st > -(int)(sizeof(names) / sizeof(names[0])) ? names[-st] : "?";
}

/* cella_cell_state_name - the name of a CELLA_CELL_* state ("running", ...). */
static inline const char *cella_cell_state_name(uint64_t state)
{
	static const char *const names[] = { "?", "running", "stopping", "restarting", "stopped" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

/* cella_stop_reason_name - what a CELLA_STOP_* value (cella_stop_reason) means, in words that
 * fit "stopped: ...": "none", "powered off", "reset", "fault", "by a capability", "by the
 * operator", "restart limit"; "?" for a value this header does not know. */
static inline const char *cella_stop_reason_name(unsigned reason)
{
	static const char *const names[] = { "none", "powered off", "reset", "fault",
					     "by a capability", "by the operator",
					     "restart limit" };

	return reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "?";
}

/* cella_vcpu_state_name - the name of a CELLA_VCPU_* state ("on", "off", "on-pending"). */
static inline const char *cella_vcpu_state_name(uint64_t state)
{
	static const char *const names[] = { "on", "off", "on-pending" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

/* what cella_abi_probe found */
struct cella_abi_info {
	uint32_t calls;			/* CELLA_FN_CALL_COUNT, 0 if not answered */
	uint32_t major, minor;		/* CELLA_FN_REVISION */
};

/* cella_abi_probe - is this cell under cella with an ABI this runtime speaks? Asks
 * CELLA_FN_CALL_UID (must be CELLA_UID0..3), then CELLA_FN_REVISION (major must equal
 * CELLA_ABI_VERSION_MAJOR, DEN0028 6.2: minor revisions are backward compatible), then
 * CELLA_FN_CALL_COUNT; fills *@info (may be NULL). Returns CELLA_OK, CELLA_E_NOT_SUPPORTED (no
 * UID answered: not cella, or a cella without the ABI), or CELLA_E_INVAL (another UID or an
 * incompatible major version). */
int cella_abi_probe(struct cella_abi_info *info);

#endif

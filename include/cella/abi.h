/* abi.h - cella's guest ABI: the hypercalls a cell makes to cella, their arguments, rights and
 * error codes. Shared by cella, native components and Linux user-space tools; documented call
 * by call in docs/abi.md, which this header must match.
 *
 * Calling convention: SMCCC 1.1 (Arm DEN0028) fast calls in the vendor-specific hypervisor
 * service range (owner 6), made with HVC #0 (SMC #0 is trapped and answered the same way).
 * Function ID in w0; arguments in x1..x6; on return x0 holds the status, 0 or a negative
 * CELLA_E_*, and x1..x3 the results (other registers are preserved). Unknown function IDs
 * answer SMCCC NOT_SUPPORTED (-1, which is CELLA_E_NOT_SUPPORTED).
 *
 * Objects are named by capabilities held in the caller's cspace, a table of
 * CELLA_CSPACE_SLOTS slots built from the system description. A slot that is empty and a slot
 * whose object does not exist answer alike (CELLA_E_NOCAP): a cell cannot learn of an object
 * it holds no capability for. */
#ifndef CELLA_ABI_H
#define CELLA_ABI_H

#define CELLA_ABI_VERSION_MAJOR 1u
#define CELLA_ABI_VERSION_MINOR 2u
/* the value CELLA_FN_REVISION returns in x0 (major) and x1 (minor), DEN0028 7.4 */
#define CELLA_ABI_VERSION ((CELLA_ABI_VERSION_MAJOR << 16) | CELLA_ABI_VERSION_MINOR)

/* function IDs: fast call (bit 31), SMC64 (bit 30) for calls taking 64-bit values, owner 6
 * (bits 29:24) = vendor-specific hypervisor service */
#define CELLA_FN_BASE32 0x86000000u
#define CELLA_FN_BASE64 0xc6000000u
#define CELLA_FN(n) (CELLA_FN_BASE64 | (n))

/* the standard queries of the range (DEN0028 6.2, "General Service Queries"), SMC32 */
#define CELLA_FN_CALL_COUNT (CELLA_FN_BASE32 | 0xff00u)	/* x0 = number of calls */
#define CELLA_FN_CALL_UID (CELLA_FN_BASE32 | 0xff01u)	/* x0..x3 = UID words */
#define CELLA_FN_REVISION (CELLA_FN_BASE32 | 0xff03u)	/* x0 = major, x1 = minor */

/* cella's UID, as CELLA_FN_CALL_UID returns it (x0..x3, 32 bits each):
 * 0c5e11a0-c311-4ab1-8e11-ce11acab1e00 */
#define CELLA_UID0 0x0c5e11a0u
#define CELLA_UID1 0xc3114ab1u
#define CELLA_UID2 0x8e11ce11u
#define CELLA_UID3 0xacab1e00u

/* the calls (x1.. arguments -> x1.. results) */
#define CELLA_FN_NOP CELLA_FN(0x00)		/* -> nothing: the null hypercall */
#define CELLA_FN_CAP_IDENTIFY CELLA_FN(0x01)	/* slot -> x1 type, x2 rights */
#define CELLA_FN_CAP_COPY CELLA_FN(0x02)	/* src slot, dst slot, rights mask -> nothing */
#define CELLA_FN_CAP_DELETE CELLA_FN(0x03)	/* slot -> nothing */
#define CELLA_FN_CELL_QUERY CELLA_FN(0x10)	/* cell slot -> x1 state, x2 reason, x3 detail */
#define CELLA_FN_CELL_START CELLA_FN(0x11)	/* cell slot -> nothing */
#define CELLA_FN_CELL_STOP CELLA_FN(0x12)	/* cell slot -> nothing */
#define CELLA_FN_CELL_RESTART CELLA_FN(0x13)	/* cell slot -> nothing */
#define CELLA_FN_VCPU_QUERY CELLA_FN(0x20)	/* vCPU slot -> x1 state, x2 pCPU, x3 index */
/* channels (since ABI 1.2) */
#define CELLA_FN_CHAN_INFO CELLA_FN(0x30)	/* channel slot -> x1 IPA, x2 size, x3 flags */
#define CELLA_FN_CHAN_NOTIFY CELLA_FN(0x31)	/* channel slot -> nothing: ring the peer */
#define CELLA_FN_WAIT CELLA_FN(0x32)		/* timeout ns -> nothing (status OK/TIMEOUT) */
#define CELLA_FN_CHAN_CALL CELLA_FN(0x33)	/* channel slot, timeout ns: NOTIFY then WAIT */
#define CELLA_FN_CALLS 13u			/* what CELLA_FN_CALL_COUNT answers */

/* status codes in x0 (negative; SMCCC NOT_SUPPORTED is -1) */
#define CELLA_OK 0
#define CELLA_E_NOT_SUPPORTED (-1)	/* unknown function ID */
#define CELLA_E_INVAL (-2)		/* a malformed argument (e.g. rights bits that do not exist) */
#define CELLA_E_RANGE (-3)		/* slot number outside the cspace */
#define CELLA_E_NOCAP (-4)		/* empty slot, or no such object: alike */
#define CELLA_E_TYPE (-5)		/* the capability is of another type */
#define CELLA_E_PERM (-6)		/* the capability lacks a right the call needs */
#define CELLA_E_BUSY (-7)		/* the object's state forbids it (start a running cell) */
#define CELLA_E_FULL (-8)		/* the destination slot is not empty */
#define CELLA_E_TIMEOUT (-9)		/* WAIT: the timeout passed with no interrupt pending */

/* the cspace */
#define CELLA_CSPACE_SLOTS 64u

/* capability types (CELLA_FN_CAP_IDENTIFY x1) */
#define CELLA_CAP_NONE 0u
#define CELLA_CAP_CELL 1u		/* control of another cell */
#define CELLA_CAP_VCPU 2u		/* one vCPU of a cell (since ABI 1.1) */
#define CELLA_CAP_CHANNEL 3u		/* one end of a channel (since ABI 1.2) */

/* rights of a cell capability (CELLA_FN_CAP_IDENTIFY x2; CELLA_FN_CAP_COPY mask) */
#define CELLA_R_QUERY (1u << 0)
#define CELLA_R_START (1u << 1)
#define CELLA_R_STOP (1u << 2)
#define CELLA_R_RESTART (1u << 3)
#define CELLA_R_CELL_ALL (CELLA_R_QUERY | CELLA_R_START | CELLA_R_STOP | CELLA_R_RESTART)
/* rights of a vCPU capability: query only */
#define CELLA_R_VCPU_ALL CELLA_R_QUERY
/* rights of a channel capability. READ and WRITE say how the memory is mapped into the
 * holder (the description decides; a copy with fewer rights does not change the mapping);
 * NOTIFY is needed to ring the peer (CHAN_NOTIFY, CHAN_CALL). */
#define CELLA_R_READ (1u << 0)
#define CELLA_R_WRITE (1u << 1)
#define CELLA_R_NOTIFY (1u << 2)
#define CELLA_R_CHAN_ALL (CELLA_R_READ | CELLA_R_WRITE | CELLA_R_NOTIFY)

/* CELLA_FN_CHAN_INFO x3: the capability's rights (bits 7:0), whether the peer (the cell at the
 * channel's other end) is running, which end the caller is, and the SPI INTID of the caller's
 * doorbell (bits 47:32; edge-triggered, pending at each ring and at each peer start or stop) */
#define CELLA_CHAN_PEER_RUNNING (1u << 8)
#define CELLA_CHAN_END1 (1u << 9)		/* the caller is the channel's second end */
#define CELLA_CHAN_INTID(x3) ((unsigned)((x3) >> 32) & 0xffffu)

/* CELLA_FN_WAIT x1 (and CELLA_FN_CHAN_CALL x2): the timeout in nanoseconds; 0 only polls,
 * CELLA_WAIT_FOREVER never times out. The call returns CELLA_OK as soon as an interrupt is
 * pending for the calling vCPU (masked by PSTATE or not, as for WFI), else CELLA_E_TIMEOUT. */
#define CELLA_WAIT_FOREVER (~0ull)

/* CELLA_FN_CELL_QUERY x1: state */
#define CELLA_CELL_RUNNING 1u
#define CELLA_CELL_STOPPING 2u		/* its vCPUs are parking */
#define CELLA_CELL_RESTARTING 3u
#define CELLA_CELL_STOPPED 4u

/* CELLA_FN_CELL_QUERY x2: why it last stopped (low 8 bits), and its restart count (bits 63:32) */
#define CELLA_STOP_NONE 0u		/* has not stopped since cella started */
#define CELLA_STOP_POWER_OFF 1u		/* PSCI SYSTEM_OFF, or all its vCPUs off */
#define CELLA_STOP_RESET 2u		/* PSCI SYSTEM_RESET */
#define CELLA_STOP_FAULT 3u		/* x3 = ESR_EL2 (bits 31:0) of the fault */
#define CELLA_STOP_BY_CAP 4u		/* stopped or restarted through a cell capability */
#define CELLA_STOP_BY_OPERATOR 5u	/* at cella's console prompt */
#define CELLA_STOP_RESTART_LIMIT 6u	/* on-fault restart limit reached */

/* CELLA_FN_VCPU_QUERY x1: state, with the values and meaning of PSCI AFFINITY_INFO (DEN0022D) */
#define CELLA_VCPU_ON 0u		/* started: runs guest code (or waits in WFI) */
#define CELLA_VCPU_OFF 1u		/* not started, CPU_OFF, or parked as its cell stopped */
#define CELLA_VCPU_ON_PENDING 2u	/* CPU_ON accepted (or its cell loaded), not yet entered */

#endif

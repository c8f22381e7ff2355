/* psci.h - PSCI calls of the cell's virtual firmware (Arm DEN0022D, PSCI 1.1, chapter 5:
 * the function IDs and return codes), over the conduit the DTB's /psci "method" names (HVC
 * in cella). */
#ifndef RT_PSCI_H
#define RT_PSCI_H

#include <stdint.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xc4000003u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_SUCCESS 0
#define PSCI_E_NOT_SUPPORTED (-1)
#define PSCI_E_INVALID_PARAMS (-2)
#define PSCI_E_ALREADY_ON (-4)

/* smccc_call - an SMCCC 1.1 call (Arm DEN0028, 2.5 and 3: function ID in w0, arguments x1-x6)
 * over the PSCI conduit; x0..x3 on return in @res[0..3] (@res may be NULL). Returns x0. */
int64_t smccc_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t res[4]);

/* psci_set_conduit - use SMC (@smc true) instead of HVC; the runtime sets it from the DTB. */
void psci_set_conduit(int smc);

/* psci_version - PSCI_VERSION: major in bits 31:16, minor in 15:0. */
uint32_t psci_version(void);

/* psci_system_off - SYSTEM_OFF (DEN0022D, "SYSTEM_OFF"): cella stops this cell. Does not
 * return (spins in WFI if the call does). */
void psci_system_off(void) __attribute__((noreturn));

/* psci_system_reset - SYSTEM_RESET (DEN0022D, "SYSTEM_RESET"): cella restarts this cell
 * from its image (or stops it, per the description's on-reset). Does not return. */
void psci_system_reset(void) __attribute__((noreturn));

/* psci_cpu_on - CPU_ON (DEN0022D, "CPU_ON"): start the vCPU with MPIDR affinity @mpidr at IPA
 * @entry, MMU off, with x0 = @context. The runtime has no secondary-CPU entry yet: @entry must
 * set up its own stack. Returns PSCI_SUCCESS or a PSCI_E_* code. */
int psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);

#endif

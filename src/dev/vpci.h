/* vpci.h - a cell's virtual PCI: a host bridge with ECAM configuration space for bus 0 (PCI
 * Express Base 6.0, 7.2.2 "ECAM"; Linux drivers/pci/controller/pci-host-generic.c,
 * "pci-host-ecam-generic"), on it the portal (device 0) and one function per channel the cell
 * is an end of (devices 1..), register-compatible with QEMU's ivshmem revision 0
 * (docs/specs/ivshmem-spec.rst: 1af4:1110, BAR0 registers, BAR2 the shared memory) with INTx
 * shaped for Linux's uio_pci_generic (docs/design.md "Channels for stock Linux").
 *
 * cella pre-assigns every BAR and tells Linux to keep them ("linux,pci-probe-only"): a BAR
 * register takes any value (sizing reads back the size mask), but the function keeps decoding
 * at its assigned IPA. BAR2 is not emulated here: it is the channel's memory, mapped by stage-2.
 *
 * Pure C over callbacks (struct vpci_ops); unit-tested (tests/unit/test_vpci.c) and fuzzed
 * (tests/fuzz/fuzz_vpci.c) on the host. Every guest value is checked: offset, size, alignment. */
#ifndef CELLA_DEV_VPCI_H
#define CELLA_DEV_VPCI_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/spinlock.h"
#include "lib/util.h"

struct mmio_bus;

#define VPCI_MAX_CHAN 8				/* channels one cell can be an end of */
#define VPCI_NR_DEV (1 + VPCI_MAX_CHAN)		/* device 0: portal; 1..: channels */

/* the IPA layout of every cell with channels (guest_dt.c describes it to the guest) */
#define VPCI_ECAM_IPA 0x3f000000ull		/* bus 0 only: 32 devices x 8 functions x 4 KiB */
#define VPCI_ECAM_SIZE 0x100000ull
#define VPCI_MMIO_IPA 0x30000000ull		/* 32-bit window: BAR0 of device d at + d * 4 KiB */
#define VPCI_MMIO_SIZE 0x0f000000ull
#define VPCI_BAR0_SIZE 0x1000ull
#define VPCI_SHM_IPA 0x10000000ull		/* prefetchable window: channel i's memory (BAR2 of */
#define VPCI_SHM_STRIDE 0x04000000ull		/* device i + 1) at + i * 64 MiB: the largest channel */
#define VPCI_SHM_SIZE ((uint64_t)VPCI_MAX_CHAN * VPCI_SHM_STRIDE)
/* INTIDs: channel i's native doorbell (edge) and its function's INTA (level); both above the
 * SPIs QEMU virt's platform devices use (passthrough keeps their INTIDs, up to 79) */
#define VPCI_DOORBELL_INTID(i) (96u + (i))
#define VPCI_INTX_INTID(i) (104u + (i))

/* IDs */
#define VPCI_VENDOR 0x1af4u			/* Red Hat, Inc. (QEMU's ivshmem) */
#define VPCI_DEVICE_IVSHMEM 0x1110u
#define VPCI_SUBSYS_IVSHMEM 0x1100u		/* QEMU's ivshmem subsystem ID */
#define VPCI_DEVICE_PORTAL 0x11ceu		/* cella's portal (not a registered ID) */

/* ivshmem BAR0 registers: 32-bit accesses at 4-byte aligned offsets only */
#define IVSHMEM_INTR_MASK 0x00u		/* RW */
#define IVSHMEM_INTR_STATUS 0x04u	/* read: returns and clears (as QEMU); write: sets */
#define IVSHMEM_IV_POSITION 0x08u	/* RO: this cell's end of the channel, 0 or 1 */
#define IVSHMEM_DOORBELL 0x0cu		/* WO: any value rings the peer; reads 0 */
/* cella's additions in revision 0's reserved space, read-only */
#define IVSHMEM_PEER_STATE 0x10u	/* 1 while the peer cell runs, else 0 */
#define IVSHMEM_SLOT 0x14u		/* the channel capability's cspace slot (for the portal) */
#define IVSHMEM_SIZE 0x18u		/* the channel's size in bytes (BAR2 may be larger) */
#define IVSHMEM_RIGHTS 0x1cu		/* CELLA_R_* of this end */
/* IntrStatus bits */
#define VPCI_INTR_DOORBELL (1u << 0)	/* the peer rang */
#define VPCI_INTR_PEER (1u << 1)	/* the peer started or stopped */

/* portal BAR0: a register file per vCPU (the one that accesses it), so a Linux process pinned
 * to one CPU makes calls without a lock. 64-bit accesses, or 32-bit halves. */
#define PORTAL_X(n) (8u * (n))		/* X0..X6 at 0x00..0x30: function ID, arguments */
#define PORTAL_CALL 0x38u		/* write (any value): make the call; X0..X3 get the
					 * status and results (hypercall.h) */

/* configuration space (PCI Local Bus 3.0, 6.1 type 0 header) */
#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)
#define PCI_STATUS_INTERRUPT (1u << 3)

/* what the model needs of the core */
struct vpci_ops {
	/* the line of SPI @intid is now @level; called with the model's lock held, only on
	 * change (lock order: device, then vGIC) */
	void (*set_irq)(void *ctx, uint32_t intid, bool level);
	/* the Doorbell of channel @chan was written: ring the peer. Called without the model's
	 * lock (the peer's model may be rung at the same time) */
	void (*notify)(void *ctx, uint32_t chan);
	/* is the peer of channel @chan running */
	bool (*peer_running)(void *ctx, uint32_t chan);
	/* make the hypercall in @x[0] with arguments x[1..6] for this cell, as from a native
	 * component (hypercall.h); status and results into x[0..3]. Without the model's lock. */
	void (*portal_call)(void *ctx, uint64_t x[7]);
};

/* one channel function as the core describes it */
struct vpci_chan {
	uint32_t end;			/* IVPosition: 0 or 1 */
	uint32_t slot;			/* its capability's cspace slot */
	uint32_t rights;		/* CELLA_R_* */
	uint64_t size;			/* bytes, a 4 KiB multiple, <= VPCI_SHM_STRIDE */
};

struct vpci_fn {
	uint16_t command;		/* Command: only MEMORY, MASTER, INTX_DISABLE are kept */
	uint8_t int_line;		/* Interrupt Line: RW, meaningless to the model */
	uint32_t bar[6];		/* BAR registers as the guest last wrote them (type bits in) */
	uint32_t intr_mask, intr_status;	/* channels only */
	bool line;			/* the SPI level last reported */
};

struct vpci {
	spinlock_t lock;			/* owns fn[], x[] */
	uint32_t nr_chan;
	struct vpci_chan chan[VPCI_MAX_CHAN];
	struct vpci_fn fn[VPCI_NR_DEV];		/* [0] the portal, [1 + i] channel i */
	uint64_t x[CELLA_MAX_VCPUS][7];		/* portal registers per vCPU */
	const struct vpci_ops *ops;
	void *ctx;
};

/* vpci_init - the model for channels @chan[0..nr-1] (nr <= VPCI_MAX_CHAN), in its reset
 * state (vpci_reset). Returns 0, or -ERR_INVAL for nr too large or a channel size of 0, not a
 * 4 KiB multiple or above VPCI_SHM_STRIDE. */
int vpci_init(struct vpci *p, const struct vpci_chan *chan, uint32_t nr,
	      const struct vpci_ops *ops, void *ctx);

/* vpci_reset - as at a cell's (re)start: BARs programmed with the assigned IPAs, Command =
 * MEMORY (decoding; INTx enabled), IntrMask = IntrStatus = 0 (as QEMU's ivshmem), lines low
 * (reported through set_irq if they were high), portal registers zero. */
void vpci_reset(struct vpci *p);

/* vpci_bar2_size - the size of channel @size's BAR2: the power of two >= @size (bytes) */
uint64_t vpci_bar2_size(uint64_t size);

/* vpci_ecam_access - a guest access to ECAM offset @off (bytes into VPCI_ECAM_SIZE) of @size
 * 1, 2 or 4 bytes, naturally aligned (else -ERR_INVAL); reads fill *@val. An absent device or
 * function reads all ones and ignores writes; registers a function does not implement read 0
 * and ignore writes. Returns 0 or -ERR_INVAL. */
int vpci_ecam_access(struct vpci *p, uint64_t off, unsigned size, bool write, uint64_t *val);

/* vpci_bar0_access - a guest access by vCPU @vcpu to the BAR0 window at offset @off (bytes
 * from VPCI_MMIO_IPA; device d's BAR0 at d * VPCI_BAR0_SIZE). ivshmem: 4 bytes, aligned; the
 * portal: 8 bytes, or 4 bytes at either half, aligned. Returns 0 or -ERR_INVAL (bad size or
 * alignment, @vcpu >= CELLA_MAX_VCPUS, a device beyond nr_chan). */
int vpci_bar0_access(struct vpci *p, uint32_t vcpu, uint64_t off, unsigned size, bool write,
		     uint64_t *val);

/* vpci_ring - the channel side: set @bits (VPCI_INTR_*) in channel @chan's IntrStatus and
 * update its INTx line. Ignores @chan >= nr_chan. */
void vpci_ring(struct vpci *p, uint32_t chan, uint32_t bits);

/* vpci_register - put @p on @bus: ECAM at VPCI_ECAM_IPA, the BAR0 window at VPCI_MMIO_IPA
 * ((1 + nr_chan) * VPCI_BAR0_SIZE bytes); reset with the bus. Returns 0 or mmio_register's
 * error. */
int vpci_register(struct vpci *p, struct mmio_bus *bus);

#endif

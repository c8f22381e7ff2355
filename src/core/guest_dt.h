/* guest_dt.h - the device tree a Linux cell boots with (Linux Documentation/arm64/booting.rst,
 * Documentation/devicetree/bindings: arm/cpus, arm/psci, interrupt-controller/arm,gic-v3,
 * timer/arm,arch_timer, serial/arm,pl011). Pure C over the FDT writer. */
#ifndef CELLA_CORE_GUEST_DT_H
#define CELLA_CORE_GUEST_DT_H

#include <stdint.h>
#include "lib/util.h"


/* the cell's virtual machine, in IPA terms (cella gives every cell QEMU virt's layout) */
#define GUEST_GICD_IPA 0x08000000ull
#define GUEST_GICR_IPA 0x080a0000ull
#define GUEST_UART_IPA 0x09000000ull
#define GUEST_UART_SPI 1u			/* INTID 33 */
#define GUEST_RAM_IPA 0x40000000ull

struct sysdesc_end;

struct guest_dt_params {
	const char *cell_name;
	uint64_t ram_ipa, ram_size;		/* bytes */
	uint32_t nr_vcpus;
	uint64_t mpidr[CELLA_MAX_VCPUS];	/* affinity of each vCPU (what VMPIDR_EL2 shows) */
	const char *bootargs;			/* may be NULL */
	uint64_t initrd_ipa, initrd_size;	/* size 0: no initrd */
	int psci_hvc;				/* conduit: 1 "hvc", 0 "smc" */
	uint32_t nr_ends;			/* channels: a PCI host bridge and /cella */
	const struct sysdesc_end *ends;
};

/* the MPIDR affinity a cell's vCPU @i sees (Aff0 = vCPU index) */
#define GUEST_VCPU_MPIDR(i) ((uint64_t)(i))

struct sysdesc_cell;

/* guest_dt_cell_params - the parameters of cell @d's DTB as cella builds it at boot: its name,
 * RAM at GUEST_RAM_IPA, its vCPUs (GUEST_VCPU_MPIDR), bootargs, PSCI over HVC, and an initrd
 * at IPA @initrd_ipa of @initrd_size bytes (0: none). Used by cella and by cella-pack
 * --guest-dtb, so the host can show (and the benchmark boot natively with) exactly the
 * devices a cell sees. */
void guest_dt_cell_params(const struct sysdesc_cell *d, uint64_t initrd_ipa, uint64_t initrd_size,
			  struct guest_dt_params *p);

/* guest_dt_build - write the cell's DTB into @buf (@cap bytes): /, /chosen (bootargs,
 * stdout-path, linux,initrd-start/-end), /memory, /cpus, /psci (arm,psci-1.0), the GICv3 at
 * GUEST_GICD_IPA / GUEST_GICR_IPA (nr_vcpus * 128 KiB), the timer (PPIs 13, 14, 11, 10), a
 * 24 MHz fixed clock and the PL011 at GUEST_UART_IPA; with channels, a PCI host bridge
 * (pci-host-ecam-generic, dev/vpci.h's layout, /chosen linux,pci-probe-only) and
 * /cella/channels/NAME per channel (docs/channels.md). *@size gets the blob size in bytes.
 * Returns 0, -ERR_INVAL (bad params: 0 or too many vCPUs, size 0, overflow), -ERR_NOSPC. */
int guest_dt_build(const struct guest_dt_params *p, void *buf, uint64_t cap, uint64_t *size);

#endif

/* chan.h - channels: shared memory between two cells with a doorbell each way
 * (docs/channels.md). The memory comes from machine RAM, is scrubbed once at boot and is
 * mapped by stage-2 into exactly the two ends (a writer read-write, a reader read-only) at
 * VPCI_SHM_IPA + i * VPCI_SHM_STRIDE for the cell's channel i. A doorbell makes the peer's
 * native doorbell SPI pending (edge) and sets IntrStatus in its ivshmem function (level INTx,
 * dev/vpci.h); a cell's start and stop ring its peers the same way (VPCI_INTR_PEER). */
#ifndef CELLA_CORE_CHAN_H
#define CELLA_CORE_CHAN_H

#include <stdbool.h>
#include <stdint.h>
#include "core/sysdesc.h"

struct cell;

/* chan_alloc_all - carve every channel's memory of @d from the machine's RAM and zero it
 * (before any cell is created). Prints a message naming the channel and returns < 0 if RAM
 * is short. */
int chan_alloc_all(const struct sysdesc *d);

/* chan_cell_create - map @c's channels into its stage-2 and put its virtual PCI (ECAM host
 * bridge, portal, one ivshmem function per channel) on its MMIO bus. Nothing for a cell
 * without channels. Returns 0 or < 0 (message printed). */
int chan_cell_create(struct cell *c);

/* chan_ring - @c rings the peer of its channel @i (an index among @c's ends, < nr_ends):
 * @bits (VPCI_INTR_DOORBELL, VPCI_INTR_PEER) into the peer's function, its doorbell SPI
 * pending. */
void chan_ring(struct cell *c, uint32_t i, uint32_t bits);

/* chan_peer_event - @c started or stopped: ring every peer of @c with VPCI_INTR_PEER. */
void chan_peer_event(struct cell *c);

/* chan_info - CELLA_FN_CHAN_INFO for @c's end @obj (SYSDESC_CHAN_OBJ): IPA, size, flags
 * (abi.h). */
void chan_info(struct cell *c, uint32_t obj, uint64_t *ipa, uint64_t *size, uint64_t *flags);

#endif

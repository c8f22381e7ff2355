/* chan.h - a cella channel as Linux user space sees it: an ivshmem-compatible PCI function
 * (src/dev/vpci.h) bound to uio_pci_generic, its registers (BAR0), its shared memory (BAR2)
 * with cella-chan's rings in it (chan_ring.h), its doorbell and INTx.
 *
 * Channels are named by the device tree cella gives the cell (/proc/device-tree/cella/channels/
 * NAME: slot, pci-device, peer, size); without that node (QEMU's own ivshmem devices) every
 * 1af4:1110 function is a channel named ivshmemN in PCI address order. A PCI address names a
 * channel too. */
#ifndef CELLA_GUEST_CHAN_H
#define CELLA_GUEST_CHAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "chan_ring.h"
#include "pci.h"

/* ivshmem BAR0 registers, 32-bit (src/dev/vpci.h) */
#define IVSHMEM_INTR_MASK 0x00u
#define IVSHMEM_INTR_STATUS 0x04u	/* read clears */
#define IVSHMEM_IV_POSITION 0x08u
#define IVSHMEM_DOORBELL 0x0cu
#define IVSHMEM_PEER_STATE 0x10u	/* cella: 1 while the peer cell runs */
#define IVSHMEM_SLOT 0x14u		/* cella: the channel capability's slot */
#define IVSHMEM_SIZE 0x18u		/* cella: the channel's size (0 on QEMU's ivshmem) */
#define IVSHMEM_RIGHTS 0x1cu		/* cella: CELLA_R_* of this end */
#define VPCI_INTR_DOORBELL (1u << 0)
#define VPCI_INTR_PEER (1u << 1)

/* QEMU's edu device (hw/misc/edu.c), BAR0 */
#define EDU_IDENT 0x00u			/* 0xRRrr00ed */
#define EDU_INTR_STATUS 0x24u
#define EDU_INTR_RAISE 0x60u
#define EDU_INTR_ACK 0x64u

#define CHAN_MAX 16
#define DT_CHANNELS "/proc/device-tree/cella/channels"

/* how to open a channel (the options every channel command takes) */
struct chan_opts {
	int end;		/* -1: IVPosition; 0 or 1: act as that end (two ends on one function) */
	int irq;		/* -1: interrupts on cella's functions, polling on others; 0: poll; 1: irq */
	const char *edu[2];	/* test doorbells (QEMU edu devices): [0] this end waits on, [1]
				 * it raises for the peer; NULL: the channel's own doorbell */
	int64_t spin_ns;	/* before sleeping, poll this long (-1: the command's default) */
};

struct chan {
	/* found */
	char name[64];
	char addr[PCI_ADDR_LEN];
	char peer_name[64];	/* from the device tree, or "" */
	bool dt;		/* described by the device tree */
	uint64_t dt_slot, dt_size, dt_dev;
	/* opened (chan_open) */
	volatile void *regs;	/* BAR0 */
	void *shm;		/* BAR2, 'size' bytes mapped */
	uint64_t size;		/* the SIZE register, else BAR2's size */
	uint64_t bar2;
	bool cella;		/* the SIZE register is non-zero: a cella channel */
	uint32_t rights;	/* the RIGHTS register (cella), CELLA_R_* */
	bool writable;		/* this end may write the memory (not cella's, or RIGHTS has W):
				 * a write to a read-only channel stops the whole cell */
	unsigned end;
	bool irq;		/* waits for doorbells (else polls) */
	int64_t spin_ns;	/* polls this long before it sleeps */
	struct uiodev uio;	/* the channel's uio device */
	bool edu;		/* test doorbells */
	struct uiodev edu_uio;
	volatile void *edu_mine, *edu_peer;
	int peer_state;		/* 1 running, 0 stopped, -1 unknown */
	FILE *notices;		/* where peer started/stopped lines go */
	struct ring ring;	/* attached (ring.hdr set) by chan_use */
	uint64_t doorbells, wakeups;
	uint32_t status;	/* IntrStatus as last read at a wakeup */
};

/* chan_find_all - the channels of this cell into @c[0..max-1], device-tree ones first; returns
 * how many (not opened) */
int chan_find_all(struct chan *c, int max);

/* what a command does with the rings: chan_open locks each for it (flock on
 * /tmp/cella-chan.ADDR.END.tx|rx.lock), waiting for another process of this end that uses it */
#define CHAN_USE_TX 1u		/* writes records (owns tx_head) */
#define CHAN_USE_RX 2u		/* takes records (owns rx_tail) */
#define CHAN_USE_ALL (CHAN_USE_TX | CHAN_USE_RX)
#define CHAN_USE_RESET 4u	/* clears them: both locks, no attach */

/* chan_open - find channel @name, bind it to uio_pci_generic, map its registers and memory
 * (read-only unless writable), set up doorbell waiting, then chan_use(@use) if @use. Dies
 * with a message on failure. */
void chan_open(struct chan *c, const char *name, const struct chan_opts *o, unsigned use);

/* chan_use - lock the rings as @use says (CHAN_USE_*) and attach them as this end (unless
 * CHAN_USE_RESET); with CHAN_USE_RX chan_clear_status. Dies if the channel is read-only here:
 * the rings need writes. */
void chan_use(struct chan *c, unsigned use);

/* chan_clear_status - read (and so clear) IntrStatus: causes left from before this process
 * (the peer's start at boot sets the PEER bit) are not news to it. The receiving process of an
 * end does this (chan_use with CHAN_USE_RX does), a sender must not (it would take the news from
 * the receiver). */
void chan_clear_status(struct chan *c);

/* chan_probe - bind @c to uio_pci_generic, map its BAR0 and read its size and peer state into
 * @c; false (with a warning) if it cannot */
bool chan_probe(struct chan *c);

/* chan_reg - read the 32-bit BAR0 register at @off (IVSHMEM_*) */
uint32_t chan_reg(struct chan *c, unsigned off);

/* chan_doorbell - ring the peer (barrier first: the shared memory stores before it) */
void chan_doorbell(struct chan *c);

/* chan_notify - after committing @what (RING_WAKE_DATA: records; RING_WAKE_SPACE: room): ring
 * the peer if it sleeps for that */
void chan_notify(struct chan *c, unsigned what);

/* chan_wait_for - wait until @cond(@c, @arg) holds, which needs @why (RING_WAKE_*) from the
 * peer: first polling for c->spin_ns, then doorbell interrupts (sleep token, uio, IntrStatus
 * read, INTx re-enabled), or polling alone; notices peer starts and stops on the way.
 * @deadline: now_ns() value to give up at, 0 for never. Returns true when @cond holds, false
 * at the deadline. */
typedef bool (*chan_cond_fn)(struct chan *c, void *arg);
bool chan_wait_for(struct chan *c, unsigned why, chan_cond_fn cond, void *arg, int64_t deadline);

/* chan_peer_str - "running", "stopped" or "unknown" */
const char *chan_peer_str(int state);

/* chan_ring_err - the message for ring_attach's error @err */
const char *chan_ring_err(int err);

#endif

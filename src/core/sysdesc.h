/* sysdesc.h - the system description: cells, their memory, vCPUs, images and boot arguments,
 * parsed from the user's device tree (docs/system-description.md documents the format). */
#ifndef CELLA_CORE_SYSDESC_H
#define CELLA_CORE_SYSDESC_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/util.h"
#include "../lib/fdt.h"

#define SYSDESC_NAME_MAX 32
#define SYSDESC_PATH_MAX 96
#define SYSDESC_MEM_ALIGN 0x200000ull	/* cell memory is a multiple of 2 MiB */
#define SYSDESC_MEM_MIN 0x200000ull
#define SYSDESC_MEM_MAX (256ull << 30)		/* IPA space above the RAM base */
#define SYSDESC_MAX_CAPS 16			/* capabilities a cell's node may grant */
#define SYSDESC_SLOTS 64			/* CELLA_CSPACE_SLOTS (include/cella/abi.h) */
#define SYSDESC_RESTART_MAX_DEFAULT 5		/* on-fault restarts ... */
#define SYSDESC_RESTART_WINDOW_DEFAULT 60	/* ... per this many seconds */
#define SYSDESC_PRIO_MAX 255			/* 'priority': 0..255, higher runs first */
#define SYSDESC_PRIO_DEFAULT 100
#define SYSDESC_SLICE_MIN_US 100		/* 'time-slice-us' bounds ... */
#define SYSDESC_SLICE_MAX_US 1000000
#define SYSDESC_SLICE_DEFAULT_US 10000		/* ... and default (10 ms) */
#define SYSDESC_MAX_CHANS 16			/* channels in a description */
#define SYSDESC_CELL_CHANS 8			/* channels one cell can be an end of */
#define SYSDESC_CHAN_MAX (64ull << 20)		/* 'size' of a channel: a 4 KiB multiple, */
#define SYSDESC_CHAN_ALIGN 0x1000ull		/* at most 64 MiB */

enum sysdesc_on_fault {
	SYSDESC_FAULT_STOP = 0,		/* default: the cell stops, the others run on */
	SYSDESC_FAULT_RESTART,		/* restart it, at most restart-limit times per window */
	SYSDESC_FAULT_SYSTEM_OFF,	/* power the whole machine off */
};

/* the object number of a CELLA_CAP_VCPU capability: vCPU @vcpu of cell @cell (indexes in
 * the description), and back */
#define SYSDESC_VCPU_OBJ(cell, vcpu) ((uint32_t)(cell) << 8 | (uint32_t)(vcpu))
#define SYSDESC_VCPU_OBJ_CELL(obj) ((uint32_t)(obj) >> 8)
#define SYSDESC_VCPU_OBJ_VCPU(obj) ((uint32_t)(obj) & 0xffu)
_Static_assert(CELLA_MAX_VCPUS <= 0x100, "a vCPU index fits the low 8 bits of its object");

/* the object number of a CELLA_CAP_CHANNEL capability: its holder's channel @i (an index in
 * its sysdesc_cell.ends); a copy names the same end of the same channel */
#define SYSDESC_CHAN_OBJ(i) ((uint32_t)(i))

/* a capability a cell's node grants it (a child of its 'caps' node) */
struct sysdesc_cap {
	uint32_t slot;			/* cspace slot: 'slot', else its position among caps */
	uint32_t type;			/* CELLA_CAP_* */
	uint32_t obj;			/* CELLA_CAP_CELL: the index of the cell it controls;
					 * CELLA_CAP_VCPU: SYSDESC_VCPU_OBJ(cell, vcpu) */
	uint32_t rights;		/* CELLA_R_* */
};

/* one end of a channel, as its cell sees it: the cell's channel i is chans[i] */
struct sysdesc_end {
	uint32_t chan;			/* index in sysdesc.chans */
	uint32_t end;			/* 0: the first of 'ends', 1: the second */
	uint32_t slot;			/* its channel capability's cspace slot */
	uint32_t rights;		/* CELLA_R_READ, _WRITE (if a writer), _NOTIFY */
	uint64_t size;			/* the channel's size, bytes */
	char name[SYSDESC_NAME_MAX];	/* the channel's node name */
	char peer[SYSDESC_NAME_MAX];	/* the other end's cell name */
};

/* a channel: shared memory between two cells, with a doorbell each way */
struct sysdesc_chan {
	char path[SYSDESC_PATH_MAX];	/* its DTS node path, for messages */
	uint64_t size;			/* bytes */
	uint32_t cell[2];		/* the two ends (cell indexes) */
	uint32_t idx[2];		/* its index among each end's channels */
};

struct sysdesc_cell {
	char name[SYSDESC_NAME_MAX];	/* node name without unit address */
	char path[SYSDESC_PATH_MAX];	/* DTS node path, for messages */
	uint64_t mem_size;		/* bytes */
	uint64_t mem_pa;		/* host PA of the memory if mem_pa_fixed, else 0 */
	bool mem_pa_fixed;
	uint32_t nr_vcpus;
	uint32_t pcpu[CELLA_MAX_VCPUS];	/* pCPU index each vCPU runs on (may be shared) */
	uint32_t priority;		/* 'priority': its vCPUs' scheduling priority */
	uint32_t slice_us;		/* 'time-slice-us': round robin slice among equals */
	const char *kernel;		/* module name (points into the DTB) */
	const char *initrd;		/* module name or NULL */
	const char *bootargs;		/* or "" */
	bool console;			/* receives console input */
	bool restart_on_reset;		/* PSCI SYSTEM_RESET restarts the cell (default true) */
	enum sysdesc_on_fault on_fault;	/* 'on-fault' */
	uint32_t restart_max;		/* 'restart-limit': at most this many restarts ... */
	uint32_t restart_window_s;	/* ... in this many seconds, then the cell stops */
	uint32_t phandle;		/* the node's phandle (0: none), for caps naming it */
	uint32_t nr_caps;
	struct sysdesc_cap caps[SYSDESC_MAX_CAPS];
	uint32_t nr_ends;		/* channels it is an end of */
	struct sysdesc_end ends[SYSDESC_CELL_CHANS];
};

struct sysdesc {
	bool prompt_off;		/* /cells operator-prompt = "off": no console prompt */
	uint32_t nr_cells;
	struct sysdesc_cell cells[CELLA_MAX_CELLS];
	uint32_t nr_chans;
	struct sysdesc_chan chans[SYSDESC_MAX_CHANS];
};

/* sysdesc_parse - parse the description in @f into @out for a machine with @nr_pcpus pCPUs.
 * On error returns a negative code and writes one line naming the problem and the DTS node path
 * into @err (@errlen bytes), e.g. "/cells/linux: 'vcpus' is 9, more than the 8 allowed".
 * Checks: /cells exists with 1..CELLA_MAX_CELLS cells; unique names; memory-size present,
 * non-zero, 2 MiB multiple, <= SYSDESC_MEM_MAX; vcpus 1..CELLA_MAX_VCPUS; pinning
 * (cpus property, or the least-loaded pCPU in order) within nr_pcpus, pCPUs may be shared;
 * priority 0..SYSDESC_PRIO_MAX; time-slice-us SYSDESC_SLICE_MIN_US..SYSDESC_SLICE_MAX_US;
 * kernel present; fixed memory ranges 2 MiB aligned, not overflowing, not overlapping each
 * other; exactly one console cell (the first cell if none says so); on-fault and
 * restart-limit; each capability under a cell's 'caps' node: either a cell by phandle that
 * exists, with rights from "query" "start" "stop" "restart", or a vCPU by <phandle index> of a
 * cell that has that vCPU, with right "query"; a slot inside the cspace used once; each channel
 * under /channels: 'size' non-zero, a 4 KiB multiple, <= SYSDESC_CHAN_MAX; 'ends' two
 * different cells by phandle; 'writers' (optional, default both ends) among the ends; at most
 * SYSDESC_CELL_CHANS per cell; each end's capability in its lowest free slot. */
int sysdesc_parse(const struct fdt *f, struct sysdesc *out, uint32_t nr_pcpus, char *err,
		  uint32_t errlen);

#endif
